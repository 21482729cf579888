/**
 * `npm run screenshots`: the main pages at desktop and phone width, into docs/screenshots/, from the built server
 * on a throw-away demo database (the e2e server's set-up: tests/screenshots/ runs with it instead of tests/e2e/).
 */
import { defineConfig } from '@playwright/test';
import e2e from './playwright.config';

export default defineConfig({ ...e2e, testDir: 'tests/screenshots', testMatch: '**/*.shots.ts', timeout: 120_000 });

import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRunTmpdir } from './tests/helpers/run-tmpdir';

const port = Number(process.env.E2E_PORT ?? 4391);
const dist = process.env.E2E_DIST ?? 'dist';
// The run's own temp folder (tests/helpers/run-tmpdir.ts), made by the runner, which loads this file first, and
// removed when it exits (after the web server has stopped); workers load this file again and inherit it.
if (!process.env.FA_E2E_TMPDIR) {
  process.on('exit', useRunTmpdir('fa-e2e-run-'));
  process.env.FA_E2E_TMPDIR = process.env.TMPDIR;
}
// A throw-away database per run: the e2e suite never touches data/. Kept in the environment so that test workers
// (which load this file again, inheriting the runner's environment) name the same file, e.g. to count rows.
process.env.E2E_DB_FILE ??= join(mkdtempSync(join(tmpdir(), 'fa-e2e-')), 'e2e.db');
const dbFile = process.env.E2E_DB_FILE;

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    // Runs the built server (npm test builds first) on a fresh database with demo data and a movable clock.
    command: 'node_modules/.bin/node src/cli/start.mjs',
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `file:${dbFile}`,
      FRONTLINE_TEST_CLOCK: '1',
      // Attempts and runs draw reproducible orders, so a journey never passes or fails by the luck of a shuffle.
      FRONTLINE_TEST_SEEDS: '1',
      FRONTLINE_DIST: dist,
      INSECURE_COOKIES: '1',
      SITE_URL: `http://127.0.0.1:${port}`,
      // The specs post as scripts do (the fuzzing alone sends hundreds of writes a minute as one person), so this
      // server lifts the per-person write limit; tests/e2e/rate-limit.spec.ts runs a server of its own at the default.
      WRITE_RATE_LIMIT: '1000000',
      // Every spec signs in from 127.0.0.1, and the fuzzing posts dozens of bad sign-ins; the per-address sign-in
      // limit is lifted here too, and tests/e2e/throttle.spec.ts runs a server of its own at the default.
      SIGN_IN_ADDRESS_LIMIT: '1000000',
    },
  },
});

// @ts-check
/**
 * `npm run lint`: ESLint's and typescript-eslint's recommended rules over the TypeScript, the .mjs scripts and the
 * .astro components (eslint-plugin-astro). Formatting is Prettier's (`npm run format`); eslint-config-prettier
 * turns off the rules that would argue with it. Each override below says why it is there.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    '.astro/',
    'data/',
    'db/migrations/',
    // Installed apart from the app (their own package.json and node_modules).
    'tests/lrs/',
    'tests/sqld/',
    'playwright-report/',
    'test-results/',
  ]),
  js.configs.recommended,
  // The syntactic rules only: the type-aware set would type-check the whole project a second time on every run,
  // and `astro check` (strict tsconfig) already does that in `npm test`.
  tseslint.configs.recommended,
  astro.configs.recommended,
  {
    languageOptions: {
      // Server code, CLI scripts and tests run on Node; islands and <script> blocks in the browser.
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.tsx'],
    rules: {
      // Solid fills `let el!: HTMLElement` through `ref={el}` at compile time, which this rule cannot see.
      'no-unassigned-vars': 'off',
    },
  },
  prettier,
);

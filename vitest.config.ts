import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The `~/` alias of tsconfig.json.
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Each file gets its own throw-away database (tests/helpers/db.ts); files run in parallel processes.
    pool: 'forks',
    testTimeout: 20_000,
    // Every temp folder a test makes goes under one that is removed when the run ends.
    globalSetup: ['tests/setup/vitest-tmpdir.ts'],
  },
});

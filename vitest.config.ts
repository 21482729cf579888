import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Each file gets its own throw-away database (tests/helpers/db.ts); files run in parallel processes.
    pool: 'forks',
    testTimeout: 20_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // a throw-away PostgreSQL cluster for the PostgreSQL tests (skipped when not installed)
    globalSetup: ['test/setup/postgres.ts'],
  },
});

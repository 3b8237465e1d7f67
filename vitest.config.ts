import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2-core machine: real PostgreSQL, NATS and Chromium tests share it; keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    // builds dashboard/dist for the browser tests when it is missing or stale
    globalSetup: ['test/e2e/support/global-setup.ts'],
  },
});

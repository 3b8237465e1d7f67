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
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    // The end-to-end file starts the real sync server (embedded PostgreSQL) and Chromium.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: true,
  },
});

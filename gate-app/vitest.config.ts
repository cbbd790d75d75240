import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'gate-app',
    include: ['test/**/*.test.ts'],
    // End-to-end files start the real sync server (embedded PostgreSQL) and gate processes.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: true,
  },
});

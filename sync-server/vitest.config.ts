import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sync-server',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own database cloned from a migrated template; files run in parallel.
    fileParallelism: true,
    // Files share a worker's module cache instead of importing the whole server
    // again each (half of this project's time). Safe because the server keeps no
    // module-level state: createContext builds every service per app.
    isolate: false,
  },
});

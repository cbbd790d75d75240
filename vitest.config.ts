import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace; each package keeps its own config
// (setup files, timeouts) in its folder.
export default defineConfig({
  test: {
    projects: ['shared/crypto', 'shared/protocol', 'shared/ui', 'hardware', 'sync-server', 'gate-app', 'scripts', 'web'],
  },
});

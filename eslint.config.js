// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'child_process', 'net', 'http', 'os', 'worker_threads']
  .flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '**/*.d.ts', '.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Process boundaries (after Signal-Desktop): what runs where may only import what exists there.
  {
    files: ['shared/**/*.ts', 'hardware/**/*.ts', 'gate-app/src/engine/**/*.ts', 'sync-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Electron belongs to gate-app/src/main only.' }],
        patterns: [{ group: ['**/gate-app/src/main/**', '**/gate-app/src/renderer/**'], message: 'UI/Electron code is not importable here.' }] }],
    },
  },
  {
    files: ['sync-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'not on the server' }],
        patterns: [{ group: ['@ticketgate/gate-app*', '**/gate-app/**', '@ticketgate/hardware*'], message: 'The server never imports the gate.' }] }],
    },
  },
  {
    files: ['gate-app/**/*.ts', 'hardware/**/*.ts'],
    // Integration tests may start the real server; product code never imports it.
    ignores: ['gate-app/src/main/**', 'gate-app/test/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Electron belongs to gate-app/src/main only.' }],
        patterns: [{ group: ['@ticketgate/sync-server*', '**/sync-server/src/**'], message: 'The gate never imports the server (tests may start it through the test helpers).' }] }],
    },
  },
  { files: ['web/public/sw.js'], languageOptions: { globals: globals.serviceworker } },
  {
    // Browser code: the fan app and the shared UI run in a browser and talk to the server over HTTP only.
    files: ['web/src/**/*.{ts,tsx}', 'shared/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeBuiltins, 'pg', 'better-sqlite3'],
        patterns: [{ group: ['@ticketgate/sync-server*', '**/sync-server/**', '@ticketgate/gate-app*', '**/gate-app/**', '@ticketgate/crypto*'],
          message: 'Browser code talks to the server over HTTP (@ticketgate/ui/api) only.' }] }],
    },
  },
  {
    files: ['gate-app/src/renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeBuiltins, 'better-sqlite3'],
        patterns: [{ group: ['**/engine/**', '**/main/**'], message: 'The renderer talks to the engine through the preload bridge or HTTP only.' }] }],
    },
  },
);

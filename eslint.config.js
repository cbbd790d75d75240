// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';

// Zones: what runs where, and which other zones each may import (docs/architecture.md, "Process boundaries").
// This table is the only place the boundaries are written; shared/protocol/test/boundaries.test.ts holds a
// probe per forbidden pair. Order matters: a file belongs to the first zone whose pattern matches it.
// runtime decides which modules outside the repository a zone may use:
//   browser  – no Node built-ins, no electron, no better-sqlite3 (renderer, web app, browser-safe shared code)
//   preload  – electron only (Electron's sandboxed preload has no Node)
//   node     – Node built-ins and npm packages, but not electron
//   electron – anything (the Electron main process)
/** @type {Record<string, { pattern: string, runtime: 'browser' | 'preload' | 'node' | 'electron', may: string[] }>} */
export const zones = {
  protocol: { pattern: 'shared/protocol/src/**', runtime: 'browser', may: [] },
  ui: { pattern: 'shared/ui/src/**', runtime: 'browser', may: ['protocol'] },
  crypto: { pattern: 'shared/crypto/src/**', runtime: 'node', may: ['protocol'] },
  wedge: { pattern: 'hardware/src/wedge/**', runtime: 'browser', may: ['protocol'] },
  hardware: { pattern: 'hardware/src/**', runtime: 'node', may: ['protocol', 'wedge'] },
  // The server's public entry: the only file of sync-server that tooling outside the package may import.
  serverEntry: { pattern: 'sync-server/src/index.ts', runtime: 'node', may: ['server', 'protocol', 'crypto'] },
  server: { pattern: 'sync-server/src/**', runtime: 'node', may: ['protocol', 'crypto'] },
  engine: { pattern: 'gate-app/src/engine/**', runtime: 'node', may: ['protocol', 'crypto', 'hardware', 'wedge'] },
  preload: { pattern: 'gate-app/src/main/preload.ts', runtime: 'preload', may: [] },
  main: { pattern: 'gate-app/src/main/**', runtime: 'electron', may: ['protocol'] },
  renderer: { pattern: 'gate-app/src/renderer/**', runtime: 'browser', may: ['protocol', 'wedge', 'ui'] },
  cli: { pattern: 'gate-app/src/cli.ts', runtime: 'node', may: ['engine', 'protocol', 'crypto', 'hardware', 'wedge'] },
  web: { pattern: 'web/src/**', runtime: 'browser', may: ['protocol', 'ui'] },
  // gate-app's bundling scripts (the kiosk UI and the packaged gate), used by the tooling below.
  build: { pattern: 'gate-app/scripts/**', runtime: 'node', may: ['protocol', 'crypto'] },
  // Repository tooling and benchmarks: anything, but the server only through its public entry.
  scripts: {
    pattern: 'scripts/**',
    runtime: 'node',
    may: ['serverEntry', 'protocol', 'crypto', 'hardware', 'wedge', 'engine', 'build'],
  },
  bench: { pattern: 'bench/**', runtime: 'node', may: ['serverEntry', 'protocol', 'crypto', 'hardware', 'wedge', 'engine', 'build'] },
};

const forbiddenModules = {
  browser: [{ origin: 'core' }, { source: 'electron' }, { source: 'better-sqlite3' }],
  preload: [{ origin: 'core' }, { origin: 'external', source: '!electron' }],
  node: [{ source: 'electron' }],
  electron: [],
};

const sourceFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.js', '**/*.mjs'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '**/*.d.ts', '.artifacts/**', 'shared/protocol/test/boundary-probes/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Type-aware rules: a promise is awaited, returned, or explicitly voided with its failure handled.
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    ignores: ['**/vitest.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // Process boundaries, from the zone table above. Resolution goes through TypeScript's resolver so
  // relative imports ('../engine/x.js' → x.ts) and workspace packages ('@ticketgate/crypto', a
  // symlink into shared/crypto) land on the same real file and so in the same zone.
  {
    files: sourceFiles,
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
      'boundaries/elements': Object.entries(zones).map(([type, zone]) => ({ type, pattern: zone.pattern, mode: 'full' })),
      'boundaries/include': sourceFiles,
      // Zones are whole-path globs (two of them are single files), which is the 'full' mode; v7 still
      // supports it but warns on every run.
      'boundaries/legacy-warnings': false,
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true, // also judge node:*, electron and npm packages, not only local files
          checkUnknownLocals: true, // a zone may not reach into tests, scripts or an unlisted folder
          policies: Object.entries(zones).flatMap(([type, zone]) => [
            {
              from: { element: { type } },
              allow: { to: [{ element: { type: [type, ...zone.may] } }, { module: { origin: ['external', 'core'] } }] },
            },
            ...forbiddenModules[zone.runtime].map((module) => ({
              from: { element: { type } },
              disallow: { to: { module } },
              message: `${type} runs in a ${zone.runtime} process: '{{ to.module.source }}' is not available there`,
            })),
          ]),
        },
      ],
    },
  },
);

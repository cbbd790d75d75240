// The password worker when the server runs from TypeScript source (tsx, vitest):
// a worker thread gets no TypeScript loader of its own on Node 20 (not under
// vitest, which uses none, and not under tsx, whose inherited execArgv leaves
// workers without its hooks), so this plain-JavaScript entry loads
// password-worker.ts through tsx's scoped tsImport. The compiled server starts
// dist/password-worker.js instead and needs no tsx.
const { tsImport } = await import('tsx/esm/api');
await tsImport('./password-worker.ts', import.meta.url);

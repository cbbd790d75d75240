// The lint rules that keep each process to what exists there (docs/architecture.md).
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('process boundaries', () => {
  it('the renderer cannot import Node, Electron, SQLite or the engine', async () => {
    for (const mod of ['node:fs', 'electron', 'better-sqlite3', '../engine/store.js']) {
      expect(await restricted('gate-app/src/renderer/x.ts', `import '${mod}';\n`), mod).toHaveLength(1);
    }
    expect(await restricted('gate-app/src/renderer/x.ts', `import '@ticketgate/hardware/wedge';\n`)).toEqual([]);
  });

  it('the engine and hardware cannot import Electron or the server', async () => {
    expect(await restricted('gate-app/src/engine/x.ts', `import 'electron';\n`)).toHaveLength(1);
    expect(await restricted('hardware/src/x.ts', `import 'electron';\n`)).toHaveLength(1);
    expect(await restricted('gate-app/src/engine/x.ts', `import '../../../sync-server/src/app.js';\n`)).toHaveLength(1);
  });

  it('the server cannot import the gate or hardware; the Electron main may import electron', async () => {
    expect(await restricted('sync-server/src/x.ts', `import '@ticketgate/hardware';\n`)).toHaveLength(1);
    expect(await restricted('sync-server/src/x.ts', `import '../../gate-app/src/engine/store.js';\n`)).toHaveLength(1);
    expect(await restricted('gate-app/src/main/x.ts', `import { app } from 'electron';\nexport { app };\n`)).toEqual([]);
  });
});

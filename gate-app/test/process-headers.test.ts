import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every gate-app source file names the process it runs in on its first line
// (`// process: engine`), and the name matches its folder: a reader knows
// what a file may import before reading it.
const src = fileURLToPath(new URL('../src/', import.meta.url));
const EXPECTED: Record<string, RegExp> = {
  engine: /^\/\/ process: engine\b/,
  renderer: /^\/\/ process: renderer\b/,
  main: /^\/\/ process: (main|preload)\b/,
  '.': /^\/\/ process: cli\b/,
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('process headers', () => {
  const all = files(src).map((f) => relative(src, f));
  it('covers every source file', () => expect(all.length).toBeGreaterThan(30));
  it.each(all)('%s names its process', (file) => {
    const zone = file.includes('/') ? file.split('/')[0]! : '.';
    const first = readFileSync(join(src, file), 'utf8').split('\n')[0]!;
    expect(first).toMatch(EXPECTED[zone] ?? /^$/);
    if (file === 'main/preload.ts') expect(first).toMatch(/process: preload/);
  });
});

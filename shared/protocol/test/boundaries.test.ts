// The zone table in eslint.config.js, proved against the real config through ESLint's Node API.
// Each file in boundary-probes/ is linted as if it lived at the path its "lint as:" line names;
// the probes at the top level must have every import refused, those in allowed/ every import accepted.
// A matrix over the table then checks every pair of zones against a real file of the target zone.
import { ESLint } from 'eslint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type Zone = { pattern: string; runtime: string; may: string[] };
const root = resolve(import.meta.dirname, '../../..');
const { zones } = (await import(pathToFileURL(join(root, 'eslint.config.js')).href)) as { zones: Record<string, Zone> };
const probes = join(import.meta.dirname, 'boundary-probes');

// The real config, minus type information: probes are not files of any tsconfig project, and the
// type-aware rules have nothing to do with imports.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  ],
});

type Verdict = { line: number; ruleId: string | null; message: string };

async function lintAs(filePath: string, code: string): Promise<Verdict[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => ({ line: m.line, ruleId: m.ruleId, message: m.message }));
}

function readProbe(file: string): { as: string; code: string; importLines: number[] } {
  const code = readFileSync(file, 'utf8');
  const as = /^\/\/ lint as: (\S+)$/m.exec(code)?.[1];
  if (!as) throw new Error(`${file} has no "// lint as:" line`);
  const importLines = code.split('\n').flatMap((l, i) => (l.startsWith('import ') ? [i + 1] : []));
  return { as, code, importLines };
}

const probeFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));

describe('forbidden imports between zones are refused', () => {
  const files = probeFiles(probes);
  it('has probes', () => expect(files.length).toBeGreaterThan(40));

  for (const file of files) {
    it(relative(probes, file), async () => {
      const { as, code, importLines } = readProbe(file);
      expect(importLines.length).toBeGreaterThan(0);
      const verdicts = await lintAs(as, code);
      // Nothing but boundary errors (a parse error or resolver failure would hide the point).
      expect(verdicts.filter((v) => v.ruleId !== 'boundaries/dependencies')).toEqual([]);
      expect(verdicts.map((v) => v.line).sort((a, b) => a - b)).toEqual(importLines);
    });
  }
});

describe('allowed imports pass', () => {
  for (const file of probeFiles(join(probes, 'allowed'))) {
    it(relative(probes, file), async () => {
      const { as, code } = readProbe(file);
      expect(await lintAs(as, code)).toEqual([]);
    });
  }
});

// Every zone that has files today, and one of its files as an import target.
function someFileOf(pattern: string): string | undefined {
  if (!pattern.endsWith('/**')) return pattern;
  const dir = join(root, pattern.slice(0, -3));
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return undefined; // a zone kept for later (web, shared/ui) has no folder yet
  }
  const hit = entries.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()[0];
  return hit && relative(root, join(dir, hit));
}

describe('the zone table, pair by pair', () => {
  const zoneOf = (file: string) => {
    const hit = Object.entries(zones).find(([, z]) =>
      z.pattern.endsWith('/**') ? file.startsWith(z.pattern.slice(0, -2)) : file === z.pattern,
    );
    return hit?.[0];
  };
  const targets = Object.keys(zones).flatMap((to) => {
    const file = someFileOf(zones[to]!.pattern);
    // a target file must land in its own zone (wedge sits inside hardware's folder and comes first)
    return file && zoneOf(file) === to ? [{ to, file }] : [];
  });

  it('finds a file in every zone that exists today', () => {
    const existing = Object.keys(zones).filter((z) => existsSync(join(root, zones[z]!.pattern.replace(/\/\*\*$/, ''))));
    expect(existing).toEqual(
      expect.arrayContaining(['cli', 'crypto', 'engine', 'hardware', 'main', 'preload', 'protocol', 'renderer', 'server', 'wedge']),
    );
    expect(targets.map((t) => t.to).sort()).toEqual(existing.sort());
  });

  for (const [from, zone] of Object.entries(zones)) {
    it(`${from} → ${zone.may.join(', ') || 'nothing else'}`, async () => {
      const as = zone.pattern.endsWith('/**') ? `${zone.pattern.slice(0, -3)}/probe.ts` : zone.pattern;
      const wanted: string[] = [];
      const lines = targets.map(({ to, file }) => {
        let spec = relative(dirname(as), file).replace(/\.ts$/, '.js');
        if (!spec.startsWith('.')) spec = `./${spec}`;
        if (to !== from && !zone.may.includes(to)) wanted.push(to);
        return { to, line: `import '${spec}';` };
      });
      const verdicts = await lintAs(as, lines.map((l) => l.line).join('\n') + '\n');
      expect(verdicts.filter((v) => v.ruleId !== 'boundaries/dependencies')).toEqual([]);
      const refused = verdicts.map((v) => lines[v.line - 1]!.to);
      expect(refused.sort()).toEqual(wanted.sort());
    });
  }
});

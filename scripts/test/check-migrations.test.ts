import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, migrationProblems, MIGRATIONS_PATH, numberingProblems, type MigrationTree } from '../check-migrations.js';

const tree = (...names: string[]): MigrationTree => ({ files: new Map(names.map((n) => [n, `-- ${n}\n`])) });
const base = tree('0001_initial.sql', '0002_sync_live.sql', '0003_transfers.sql');

describe('migration numbering', () => {
  it('accepts 0001.. without gaps', () => {
    expect(numberingProblems(['0002_b.sql', '0001_a.sql'])).toEqual([]);
  });
  it('refuses duplicates, gaps, a wrong start and bad names', () => {
    expect(numberingProblems(['0001_a.sql', '0001_b.sql'])).toEqual([expect.stringContaining('already used by 0001_a.sql')]);
    expect(numberingProblems(['0001_a.sql', '0003_c.sql'])).toEqual([expect.stringContaining('expected number 0002')]);
    expect(numberingProblems(['0002_a.sql'])).toEqual([expect.stringContaining('expected number 0001')]);
    expect(numberingProblems(['0001_a.sql', '2_b.sql', '0002_Upper.sql', '0002_x.js'])).toHaveLength(3);
  });
});

describe('append-only against the base', () => {
  it('accepts a new migration after the newest on the base', () => {
    const head = tree(...base.files.keys(), '0004_seat_notes.sql');
    expect(migrationProblems(head, base)).toEqual([]);
  });
  it('refuses a new migration that sorts before the newest on the base', () => {
    const head = tree('0001_initial.sql', '0002_sync_live.sql', '0003_aaa_first.sql', '0004_transfers.sql');
    const problems = migrationProblems(head, base);
    expect(problems).toContain(
      '0003_aaa_first.sql: added, but does not sort after 0003_transfers.sql, the newest migration on the base (renumber it)',
    );
    expect(problems).toContain('0003_transfers.sql: removed or renamed, but it is on the base (migrations are append-only)');
  });
  it('refuses two branches taking the same number (after a merge)', () => {
    const head = tree(...base.files.keys(), '0004_a.sql', '0004_b.sql');
    expect(migrationProblems(head, base)).toEqual([expect.stringContaining('0004_b.sql: number 0004 is already used by 0004_a.sql')]);
  });
  it('refuses a changed migration of the base', () => {
    const head = tree(...base.files.keys());
    head.files.set('0002_sync_live.sql', '-- edited\n');
    expect(migrationProblems(head, base)).toEqual([expect.stringContaining('0002_sync_live.sql: changed')]);
  });
  it('checks only the numbering against a base from before the strict numbering', () => {
    const old = tree('0001_initial.sql', '0005_sync_live.sql', '0003_auth.sql');
    expect(migrationProblems(base, old)).toEqual([]);
  });
});

describe('the CLI on a git repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'tg-migrations-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=ci@example.test', '-c', 'user.name=ci', ...args], { cwd: repo, stdio: 'ignore' });
  const write = (name: string) => writeFileSync(join(repo, MIGRATIONS_PATH, name), `-- ${name}\n`);

  it('finds the merge base with main and refuses a file that sorts before its newest', () => {
    mkdirSync(join(repo, MIGRATIONS_PATH), { recursive: true });
    git('init', '-q', '-b', 'main');
    write('0001_initial.sql');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    git('checkout', '-q', '-b', 'feature');
    write('0002_feature.sql');
    git('add', '-A');
    git('commit', '-q', '-m', 'feature');
    git('checkout', '-q', 'main');
    write('0002_on_main.sql');
    git('add', '-A');
    git('commit', '-q', '-m', 'main moves on');
    expect(main(['--repo', repo])).toBe(0);
    git('checkout', '-q', 'feature');
    expect(main(['--repo', repo])).toBe(0); // the merge base has only 0001
    git('merge', '-q', '--no-edit', 'main');
    expect(main(['--repo', repo])).toBe(1); // two 0002s
    git('mv', `${MIGRATIONS_PATH}/0002_feature.sql`, `${MIGRATIONS_PATH}/0003_feature.sql`);
    git('commit', '-q', '-m', 'renumber');
    expect(main(['--repo', repo])).toBe(0);
    // Numbering alone is not enough: slipping the branch's file in before main's is refused.
    git('mv', `${MIGRATIONS_PATH}/0002_on_main.sql`, `${MIGRATIONS_PATH}/0004_on_main.sql`);
    git('mv', `${MIGRATIONS_PATH}/0003_feature.sql`, `${MIGRATIONS_PATH}/0002_feature.sql`);
    git('mv', `${MIGRATIONS_PATH}/0004_on_main.sql`, `${MIGRATIONS_PATH}/0003_on_main.sql`);
    expect(main(['--repo', repo])).toBe(1);
  });
});

// process: node (CI check)
// Migrations are append-only: a database that has applied the migrations of
// main must be able to apply a branch's new ones after them. node-pg-migrate
// runs with `checkOrder: true`, so a new file that sorts before one already
// applied would make such a database refuse to start. This check refuses that
// before it lands, and keeps the numbering strict so the order is the file order.
//
//   npx tsx scripts/check-migrations.ts [--base REF] [--repo DIR]
//
// The base is `git merge-base HEAD origin/main` when origin/main exists, else
// `git merge-base HEAD main`; without either (a tarball, a shallow clone) only
// the numbering of the tree is checked.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MIGRATIONS_PATH = 'sync-server/src/db/migrations';
const NAME = /^(\d{4})_[a-z0-9]+(?:_[a-z0-9]+)*\.sql$/;

export interface MigrationTree {
  /** File name → content. */
  files: Map<string, string>;
}

/** Problems with the numbering of one tree: names, duplicates, gaps. */
export function numberingProblems(names: string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const name of [...names].sort()) {
    const m = NAME.exec(name);
    if (!m) {
      problems.push(`${name}: not named NNNN_snake_case.sql`);
      continue;
    }
    const n = Number(m[1]);
    const twin = seen.get(n);
    if (twin) problems.push(`${name}: number ${m[1]} is already used by ${twin}`);
    else seen.set(n, name);
  }
  const numbers = [...seen.keys()].sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i + 1)
      problems.push(`${seen.get(n)}: expected number ${String(i + 1).padStart(4, '0')} (numbers start at 0001 and have no gaps)`);
  });
  return [...new Set(problems)];
}

/**
 * Every problem of `head` against `base`. A base that does not follow the
 * numbering rules itself (the tree before the one-time renumbering) cannot be
 * appended to, so only the head's numbering is checked then.
 */
export function migrationProblems(head: MigrationTree, base?: MigrationTree): string[] {
  const problems = numberingProblems([...head.files.keys()]);
  if (!base || numberingProblems([...base.files.keys()]).length > 0) return problems;
  const newestOnBase = [...base.files.keys()].sort().at(-1);
  for (const [name, content] of base.files) {
    const now = head.files.get(name);
    if (now === undefined) problems.push(`${name}: removed or renamed, but it is on the base (migrations are append-only)`);
    else if (now !== content) problems.push(`${name}: changed, but it is on the base (add a new migration instead)`);
  }
  for (const name of head.files.keys()) {
    if (base.files.has(name)) continue;
    if (newestOnBase && name <= newestOnBase)
      problems.push(`${name}: added, but does not sort after ${newestOnBase}, the newest migration on the base (renumber it)`);
  }
  return problems;
}

function git(repo: string, args: string[], raw = false): string | undefined {
  try {
    const out = execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return raw ? out : out.trim();
  } catch {
    return undefined;
  }
}

export function findBase(repo: string): string | undefined {
  for (const ref of ['origin/main', 'main']) {
    if (git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) === undefined) continue;
    const base = git(repo, ['merge-base', 'HEAD', ref]);
    if (base) return base;
  }
  return undefined;
}

export function treeAt(repo: string, ref: string): MigrationTree {
  const files = new Map<string, string>();
  const listing = git(repo, ['ls-tree', '--name-only', `${ref}:${MIGRATIONS_PATH}`]) ?? '';
  for (const name of listing.split('\n').filter(Boolean)) {
    files.set(name, git(repo, ['show', `${ref}:${MIGRATIONS_PATH}/${name}`], true) ?? '');
  }
  return { files };
}

export function workingTree(repo: string): MigrationTree {
  const dir = join(repo, MIGRATIONS_PATH);
  return { files: new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')])) };
}

/** The CLI: prints the problems and returns the exit code. */
export function main(argv: string[]): number {
  const opt = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const repo = resolve(opt('--repo') ?? resolve(import.meta.dirname, '..'));
  const base = opt('--base') ?? findBase(repo);
  const head = workingTree(repo);
  const problems = migrationProblems(head, base ? treeAt(repo, base) : undefined);
  for (const p of problems) console.error(`migrations: ${p}`);
  if (problems.length === 0)
    console.log(
      `migrations: ${head.files.size} files, in order${base ? ` (base ${base.slice(0, 12)})` : ' (no base found: numbering only)'}`,
    );
  return problems.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exit(main(process.argv.slice(2)));

/**
 * Static guard (runs in `npm test`): strings from flows are rendered as text, never markup, and SQL is
 * parameterised. Fails when a file under app/, components/, lib/, core/ or collector/ uses a raw-HTML
 * sink, or builds SQL from text outside the few reviewed places that pass only constants or checked
 * identifiers to `unsafe`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../db/paths';

const ROOTS = ['app', 'components', 'lib', 'core', 'collector'];
const SKIP = new Set(['node_modules', 'generated', '.next']);
const SELF = path.join('lib', 'testing', 'no-raw-html-or-sql.test.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

const files = ROOTS.flatMap((root) => sourceFiles(path.join(repoRoot, root)))
  .map((file) => path.relative(repoRoot, file))
  .filter((file) => file !== SELF);

/** Reviewed: each passes only constants, or identifiers checked against a pattern, to `unsafe`. */
const UNSAFE_SQL_ALLOWED = new Set([
  'lib/server/auth/data-scope.ts', // safeIdentifier() on column/alias names
  'lib/db/embedded-postgres.ts', // database name from configuration, quoted
  'lib/db/migrate.ts', // migration files from the repository
  'lib/testing/integration-setup.ts', // generated test database name
  'collector/retention/retention-job.ts', // `set local lock_timeout = <integer>`
  'collector/writer/flow-writer.ts', // COPY statements with constant column lists
]);

describe('rendering and SQL hygiene', () => {
  it('has no raw-HTML sinks anywhere in the app', () => {
    const sinks = /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(|new Function\(|\beval\(/;
    const offenders = files.filter((file) => sinks.test(readFileSync(path.join(repoRoot, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('builds no SQL from text outside the reviewed places', () => {
    const offenders = files.filter((file) => {
      if (file.endsWith('.test.ts')) return false;
      const source = readFileSync(path.join(repoRoot, file), 'utf8');
      const usesUnsafe = /\.unsafe\(|\$queryRawUnsafe|\$executeRawUnsafe/.test(source);
      return usesUnsafe && !UNSAFE_SQL_ALLOWED.has(file.split(path.sep).join('/'));
    });
    expect(offenders).toEqual([]);
  });
});

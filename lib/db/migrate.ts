/**
 * Applies the SQL migrations in prisma/migrations/<timestamp>_<name>/migration.sql in order and records
 * them in `_prisma_migrations` exactly as Prisma Migrate does (so `prisma migrate deploy` agrees where it
 * can run). A recorded migration whose file changed since is refused: edit history with a new migration.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from 'postgres';

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/** Prisma Migrate's advisory lock key, so our runner and `prisma migrate deploy` never interleave. */
const PRISMA_MIGRATE_LOCK = 72707369;

export function readMigrations(migrationsDir: string): MigrationFile[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export async function migrateDatabase(
  sql: Sql,
  migrations: MigrationFile[],
  log: (message: string) => void = () => {},
): Promise<MigrateResult> {
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${PRISMA_MIGRATE_LOCK})`;
    await reserved.unsafe(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum"            VARCHAR(64) NOT NULL,
        "finished_at"         TIMESTAMPTZ,
        "migration_name"      VARCHAR(255) NOT NULL,
        "logs"                TEXT,
        "rolled_back_at"      TIMESTAMPTZ,
        "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
    const recorded = await reserved<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      select migration_name, checksum, finished_at from "_prisma_migrations" where rolled_back_at is null`;
    const byName = new Map(recorded.map((row) => [row.migration_name, row]));
    const applied: string[] = [];
    let alreadyApplied = 0;
    for (const migration of migrations) {
      const record = byName.get(migration.name);
      if (record) {
        if (record.finished_at === null) {
          throw new Error(
            `migration ${migration.name} failed earlier and is not finished; fix the database, then mark it rolled back`,
          );
        }
        if (record.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was modified after it was applied (checksum ${record.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk); add a new migration instead of editing an applied one`,
          );
        }
        alreadyApplied += 1;
        continue;
      }
      log(`applying migration ${migration.name}`);
      const id = randomUUID();
      // NOTE: a reserved connection has no .begin(); the advisory lock is per session, so the
      // transaction must run on this same connection.
      await reserved.unsafe('begin');
      try {
        await reserved`insert into "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
                       values (${id}, ${migration.checksum}, ${migration.name}, now(), 0)`;
        await reserved.unsafe(migration.sql);
        await reserved`update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = ${id}`;
        await reserved.unsafe('commit');
      } catch (error) {
        await reserved.unsafe('rollback').catch(() => {});
        throw new Error(`migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied };
  } finally {
    await reserved`select pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`.catch(() => {});
    reserved.release();
  }
}

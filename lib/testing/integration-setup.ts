/**
 * Vitest global setup for integration tests: a real PostgreSQL — DATABASE_URL's server when set,
 * else an embedded one started once per run under .test-data/ — with a fresh database per run,
 * migrated exactly as production is. Tests read the URL with `inject('databaseUrl')`.
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../db/migrate';
import { migrationsDir, repoRoot } from '../db/paths';
import { createSql } from '../db/sql';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedPostgresHandle | null = null;

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = `flowlens_it_${process.pid}_${Date.now().toString(36)}`;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(repoRoot, '.test-data', 'integration'),
      port: Number(process.env.FLOWLENS_TEST_PG_PORT ?? 5498),
      database: 'postgres',
    });
    serverUrl = embedded.url;
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();

  const sql = createSql(databaseUrl, { max: 1 });
  await migrateDatabase(sql, readMigrations(migrationsDir));
  await sql.end();
  project.provide('databaseUrl', databaseUrl);

  return async () => {
    const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists ${database} with (force)`).catch(() => {});
    await cleanup.end();
    await embedded?.stop();
  };
}

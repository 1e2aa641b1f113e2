/**
 * Vitest global setup for integration tests: a real PostgreSQL — DATABASE_URL's server when set,
 * else an embedded one started once per run under .test-data/ — with a fresh database per run,
 * migrated exactly as production is. Tests read the URL with `inject('databaseUrl')`.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../db/migrate';
import { migrationsDir, repoRoot } from '../db/paths';
import { createSql } from '../db/sql';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedPostgresHandle | null = null;
let runDataDir: string | null = null;

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = `flowlens_it_${process.pid}_${Date.now().toString(36)}`;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    // A cluster of its own per run (initdb takes a second or two), so concurrent runs never share one.
    runDataDir = path.join(repoRoot, '.test-data', `integration-${process.pid}`);
    rmSync(runDataDir, { recursive: true, force: true });
    embedded = await startEmbeddedPostgres({
      dataDir: runDataDir,
      port: process.env.FLOWLENS_TEST_PG_PORT ? Number(process.env.FLOWLENS_TEST_PG_PORT) : await freePort(),
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
    if (runDataDir) rmSync(runDataDir, { recursive: true, force: true });
  };
}

/**
 * Losing nothing: a tailed file survives rotation, truncation and a collector restart with no gap and
 * no duplicate; a stopped database makes ingest answer 503 with Retry-After, and ingest resumes by
 * itself when the database is back, with every acknowledged flow stored exactly once.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createCollectorToken, ensureCluster } from '../lib/db/collector-tokens';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../lib/db/migrate';
import { migrationsDir, repoRoot } from '../lib/db/paths';
import { createSql } from '../lib/db/sql';
import { startCollector } from './testing/start-collector';

function nativeLine(cluster: string, port: number, startMs: number): string {
  return JSON.stringify({
    v: 1,
    clusterId: cluster,
    startMs,
    endMs: startMs + 1000,
    source: { kind: 'workload', namespace: 'chat', name: 'rag-api', labels: {} },
    destination: { kind: 'workload', namespace: 'llm', name: 'vllm', labels: {} },
    protocol: 'TCP',
    destinationPort: port,
    verdict: 'allowed',
    reporter: 'source',
    policyTrace: [],
    bytesOut: 1,
    bytesIn: 1,
    packetsOut: 1,
    packetsIn: 1,
    connections: 1,
    format: 'native',
  });
}

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('file tail', () => {
  let sql: Sql;
  const dir = path.join(repoRoot, '.test-data', `tail-${process.pid}`);
  beforeAll(() => {
    sql = createSql(inject('databaseUrl'), { max: 2 });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await sql.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows rotation and truncation and resumes after a restart with no gap and no duplicate', async () => {
    const cluster = `tail-${Date.now().toString(36)}`;
    const clusterId = await ensureCluster(sql, cluster);
    const file = path.join(dir, 'flows.log');
    const base = Date.now() - 3_600_000;
    const ports = (): Promise<number[]> =>
      sql<{ dst_port: number }[]>`select dst_port from flows where cluster_id = ${clusterId} order by dst_port`.then((rows) =>
        rows.map((row) => row.dst_port),
      );
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
    const write = (from: number, to: number) => appendFileSync(file, range(from, to).map((port) => nativeLine(cluster, port, base + port) + '\n').join(''));

    writeFileSync(file, '');
    write(1, 50);
    const args = ['--tail', file, '--cluster', cluster, '--format', 'native'];
    let collector = await startCollector({ databaseUrl: inject('databaseUrl'), args, env: { FLOWLENS_COLLECTOR_PORT: '0' } });
    expect(await until(ports, (value) => value.length >= 50)).toEqual(range(1, 50));

    // A partial line is not stored until its newline arrives.
    appendFileSync(file, nativeLine(cluster, 51, base + 51).slice(0, 40));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await ports()).toHaveLength(50);
    appendFileSync(file, nativeLine(cluster, 51, base + 51).slice(40) + '\n');
    expect(await until(ports, (value) => value.length >= 51)).toEqual(range(1, 51));

    // Rotation by rename: lines written to the old file before the switch are still read.
    write(52, 60);
    renameSync(file, `${file}.1`);
    writeFileSync(file, '');
    write(61, 70);
    expect(await until(ports, (value) => value.length >= 70)).toEqual(range(1, 70));

    // Stop the collector, write more (and rotate again) while it is down, start again.
    await collector.stop();
    write(71, 80);
    renameSync(file, `${file}.2`);
    writeFileSync(file, '');
    write(81, 90);
    collector = await startCollector({ databaseUrl: inject('databaseUrl'), args, env: { FLOWLENS_COLLECTOR_PORT: '0' } });
    expect(await until(ports, (value) => value.length >= 90)).toEqual(range(1, 90));

    // A SIGKILL mid-stream loses nothing either: the offset commits with the rows.
    write(91, 300);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await collector.stop('SIGKILL');
    collector = await startCollector({ databaseUrl: inject('databaseUrl'), args, env: { FLOWLENS_COLLECTOR_PORT: '0' } });
    expect(await until(ports, (value) => value.length >= 300)).toEqual(range(1, 300));

    // copytruncate: the file is emptied in place and written from the start.
    writeFileSync(file, '');
    write(301, 310);
    expect(await until(ports, (value) => value.length >= 310)).toEqual(range(1, 310));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await ports()).toEqual(range(1, 310));
    await collector.stop();
  });
});

describe('database outage', () => {
  it('answers 503 with Retry-After while the database is down and recovers by itself', async () => {
    const port = Number(process.env.FLOWLENS_TEST_OUTAGE_PG_PORT ?? 5497);
    const dataDir = path.join(repoRoot, '.test-data', 'outage');
    rmSync(dataDir, { recursive: true, force: true });
    let database = await startEmbeddedPostgres({ dataDir, port, database: 'flowlens' });
    const sql = createSql(database.url, { max: 2 });
    await migrateDatabase(sql, readMigrations(migrationsDir));
    const { token } = await createCollectorToken(sql, { clusterName: 'outage', tokenName: 'test' });
    await sql.end();
    const collector = await startCollector({ databaseUrl: database.url, env: { FLOWLENS_RETRY_AFTER_SEC: '2' } });
    const send = async (portNumber: number) => {
      const response = await fetch(`${collector.url}/v1/flows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': `outage-${portNumber}` },
        body: nativeLine('outage', portNumber, Date.now() - 1000),
      });
      return response;
    };
    try {
      const acknowledged: number[] = [];
      for (let portNumber = 1; portNumber <= 5; portNumber += 1) {
        if ((await send(portNumber)).status === 200) acknowledged.push(portNumber);
      }
      expect(acknowledged).toEqual([1, 2, 3, 4, 5]);

      await database.stop();
      const during = await send(6);
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('2');
      expect((await fetch(`${collector.url}/readyz`)).status).toBe(503);

      database = await startEmbeddedPostgres({ dataDir, port, database: 'flowlens' });
      // The sender retries what was refused; the collector reconnects by itself.
      const retried = await until(() => send(6).then((response) => response.status), (status) => status === 200);
      expect(retried).toBe(200);
      expect(await until(() => fetch(`${collector.url}/readyz`).then((response) => response.status), (status) => status === 200)).toBe(200);
      const check = createSql(database.url, { max: 1 });
      const stored = await check<{ dst_port: number }[]>`select dst_port from flows order by dst_port`;
      await check.end();
      expect(stored.map((row) => row.dst_port)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await collector.stop();
      await database.stop();
    }
  });
});

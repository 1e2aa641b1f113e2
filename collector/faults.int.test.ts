/**
 * Faults while flows stream in over HTTP, with the real sender (`flowlens send`'s sendFlowLines:
 * same Idempotency-Key on every retry of a batch):
 *   - the collector is SIGKILLed twice mid-stream and restarted on the same port: every flow in an
 *     acknowledged batch is stored exactly once (no loss, no duplicate);
 *   - Postgres is stopped for 30 s under load and started again: ingest answers 503 with Retry-After
 *     meanwhile, resumes by itself, and every acknowledged flow is stored exactly once.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createCollectorToken } from '../lib/db/collector-tokens';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../lib/db/migrate';
import { migrationsDir, repoRoot } from '../lib/db/paths';
import { createSql } from '../lib/db/sql';
import { sendFlowLines } from './cli/send-command';
import { startCollector, type RunningCollector } from './testing/start-collector';

/** One native line per flow; `startMs` is unique per flow, so it identifies the flow in the database. */
function nativeLines(cluster: string, count: number, baseMs: number): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index += 1) {
    lines.push(
      JSON.stringify({
        v: 1,
        clusterId: cluster,
        startMs: baseMs + index,
        endMs: baseMs + index + 1000,
        source: { kind: 'workload', namespace: 'chat', name: 'rag-api', labels: {} },
        destination: { kind: 'workload', namespace: 'llm', name: 'vllm', labels: {} },
        protocol: 'TCP',
        destinationPort: 8000 + (index % 50),
        verdict: index % 7 === 0 ? 'denied' : 'allowed',
        reporter: 'source',
        policyTrace: [],
        bytesOut: 100,
        bytesIn: 200,
        packetsOut: 1,
        packetsIn: 1,
        connections: 1,
        format: 'native',
      }),
    );
  }
  return lines.join('\n') + '\n';
}

async function storedCounts(sql: Sql, clusterId: number): Promise<{ rows: number; distinct: number }> {
  const [row] = await sql<{ rows: number; distinct: number }[]>`
    select count(*)::int as rows, count(distinct start_time)::int as distinct from flows where cluster_id = ${clusterId}`;
  return row ?? { rows: 0, distinct: 0 };
}

describe('collector killed mid-stream', () => {
  let sql: Sql;
  let collector: RunningCollector | undefined;
  beforeAll(() => {
    sql = createSql(inject('databaseUrl'), { max: 2 });
  });
  afterAll(async () => {
    await collector?.stop('SIGKILL');
    await sql.end();
  });

  it('stores every acknowledged flow exactly once across two SIGKILLs', async () => {
    const cluster = `kill-${Date.now().toString(36)}`;
    const { token, clusterId } = await createCollectorToken(sql, { clusterName: cluster, tokenName: 'test' });
    collector = await startCollector({ databaseUrl: inject('databaseUrl') });
    const port = collector.port;
    const flowCount = 40_000;
    const text = nativeLines(cluster, flowCount, Date.now() - 3_600_000);
    let networkRetries = 0;
    const sending = sendFlowLines(text, {
      url: `${collector.url}/v1/flows`,
      token,
      format: 'native',
      batchLines: 500,
      maxWaitMs: 90_000,
      log: (message) => {
        if (/retrying/.test(message) && !/HTTP/.test(message)) networkRetries += 1;
      },
    });
    for (let kill = 0; kill < 2; kill += 1) {
      // Kill once some batches are in: wait until rows appear and grow past the last kill's count.
      const before = (await storedCounts(sql, clusterId)).rows;
      const deadline = Date.now() + 20_000;
      while ((await storedCounts(sql, clusterId)).rows < before + 4000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await collector.stop('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 500));
      collector = await startCollector({ databaseUrl: inject('databaseUrl'), port });
    }
    const result = await sending;
    expect(result.failedBatches).toEqual([]);
    expect(result.acknowledgedBatches).toBe(result.batches);
    expect(result.rejected).toBe(0);
    expect(networkRetries).toBeGreaterThan(0); // the kills really interrupted the stream
    const stored = await storedCounts(sql, clusterId);
    expect(stored).toEqual({ rows: flowCount, distinct: flowCount });
  }, 120_000);
});

describe('database stopped for 30 s under load', () => {
  it('answers 503 meanwhile, resumes by itself, and loses nothing acknowledged', async () => {
    const port = Number(process.env.FLOWLENS_TEST_FAULT_PG_PORT ?? 5496);
    const dataDir = path.join(repoRoot, '.test-data', 'fault-outage');
    rmSync(dataDir, { recursive: true, force: true });
    let database = await startEmbeddedPostgres({ dataDir, port, database: 'flowlens' });
    const setup = createSql(database.url, { max: 2 });
    await migrateDatabase(setup, readMigrations(migrationsDir));
    const { token, clusterId } = await createCollectorToken(setup, { clusterName: 'outage', tokenName: 'test' });
    await setup.end();
    const collector = await startCollector({ databaseUrl: database.url, env: { FLOWLENS_RETRY_AFTER_SEC: '1' } });
    const statuses = new Map<string, number>();
    let acknowledgedFlows = 0;
    let stopSending = false;
    let senderFailure: string | null = null;
    const baseMs = Date.now() - 3_600_000;
    const batchLines = 500;
    try {
      const sender = (async () => {
        for (let batch = 0; !stopSending; batch += 1) {
          const result = await sendFlowLines(nativeLines('outage', batchLines, baseMs + batch * batchLines), {
            url: `${collector.url}/v1/flows`,
            token,
            format: 'native',
            batchLines,
            keyPrefix: `outage-${batch}`,
            maxWaitMs: 60_000,
            log: (message) => {
              const status = /HTTP (\d{3})/.exec(message)?.[1] ?? (/retrying/.test(message) ? 'network' : 'ok');
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
            },
          });
          if (result.failedBatches.length > 0) {
            // Reported by the test body (an assertion failing here would only be an unhandled rejection).
            senderFailure = `${JSON.stringify(result.failedBatches)} (statuses ${JSON.stringify([...statuses])})\n${collector.output().slice(-4000)}`;
            return;
          }
          acknowledgedFlows += result.accepted;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const beforeOutage = acknowledgedFlows;
      expect(beforeOutage).toBeGreaterThan(0);
      await database.stop();
      const outageStartedMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const readyDuringOutage = await fetch(`${collector.url}/readyz`).then(
        (response) => response.status,
        (error: unknown) => {
          throw new Error(`collector unreachable during the outage (did it exit?):\n${collector.output().slice(-3000)}`, { cause: error });
        },
      );
      expect(readyDuringOutage).toBe(503);
      const duringOutage = acknowledgedFlows;
      await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() - outageStartedMs)));
      // Nothing can have been acknowledged while the database was down (at most the batch in flight at the stop).
      expect(acknowledgedFlows - duringOutage).toBe(0);
      database = await startEmbeddedPostgres({ dataDir, port, database: 'flowlens' });
      const resumeDeadline = Date.now() + 20_000;
      while (acknowledgedFlows <= duringOutage && senderFailure === null && Date.now() < resumeDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(senderFailure).toBeNull();
      expect(acknowledgedFlows).toBeGreaterThan(duringOutage);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      stopSending = true;
      await sender;
      expect(senderFailure).toBeNull();
      expect(statuses.get('503') ?? 0).toBeGreaterThan(0);
      expect([...statuses.keys()].filter((status) => !['ok', '503', '429', 'network'].includes(status))).toEqual([]);
      const check = createSql(database.url, { max: 1 });
      const stored = await storedCounts(check, clusterId);
      await check.end();
      expect(stored).toEqual({ rows: acknowledgedFlows, distinct: acknowledgedFlows });
    } finally {
      stopSending = true;
      await collector.stop();
      await database.stop();
    }
  }, 120_000);
});

/**
 * The collector's composition root (`npm run collector`): config → database → inventory → ingest
 * pipeline → inputs (HTTP, tailed files, stdin) → health and metrics. Required config missing: exit
 * with a clear message. Database down: keep serving (503 on ingest) and recover by itself.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCluster } from '../lib/db/collector-tokens';
import { createSql } from '../lib/db/sql';
import { ConfigError, loadCollectorConfig, type CollectorConfig } from './config';
import { createIngestServer } from './http/ingest-server';
import { TokenAuth } from './http/token-auth';
import { IngestService } from './ingest/ingest-service';
import { InventoryStore } from './inventory/inventory-store';
import { startRetentionJob } from './retention/retention-job';
import { CollectorMetrics } from './metrics';
import { postureIntervalMs, startPostureJob } from './posture/posture-job';
import { FileTail } from './sources/file-tail';
import { runStdinSource } from './sources/stdin-source';
import { FlowWriter } from './writer/flow-writer';
import { RollupCompactor } from './writer/rollup-compactor';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INVENTORY_REFRESH_MS = 30_000;

/**
 * NOTE: postgres.js can throw from a write it queued on a socket that a database restart has just
 * destroyed (connection.js nextWrite: "Cannot read properties of null (reading 'write')"), outside any
 * query's promise. The connection is dead either way and the pool reconnects; every batch in flight
 * fails and is answered 503, so nothing acknowledged is affected. Only that error is survived: any
 * other uncaught exception still ends the process.
 */
function isPostgresDeadSocketWrite(error: unknown): boolean {
  return error instanceof TypeError && /reading 'write'/.test(error.message) && (error.stack ?? '').includes('postgres/src/connection.js');
}

process.on('uncaughtException', (error) => {
  if (isPostgresDeadSocketWrite(error)) {
    console.error('collector: a database connection died mid-write; reconnecting');
    return;
  }
  console.error(`collector: ${error.stack ?? String(error)}`);
  process.exit(1);
});

async function main(): Promise<number> {
  let config: CollectorConfig;
  try {
    config = loadCollectorConfig(process.argv.slice(2), process.env, repoRoot);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `collector: ${String(error)}`);
    return 2;
  }
  const log = (message: string): void => console.error(message);
  const sql = createSql(config.databaseUrl, { max: config.databasePoolSize, applicationName: 'flowlens-collector' });
  const metrics = new CollectorMetrics();
  const postureJob = startPostureJob({ sql, intervalMs: postureIntervalMs(process.env), log });
  const writer = new FlowWriter(sql, {
    concurrency: config.writerConcurrency,
    maxGroupFlows: config.maxGroupFlows,
    // Flows for a past day change that day's posture snapshot (and the week's trend): refresh soon.
    onCommittedDays: (days) => {
      const today = new Date().toISOString().slice(0, 10);
      if ([...days].some((day) => day < today)) postureJob.runSoon();
    },
  });
  const compactor = new RollupCompactor(sql, config.rollupCompactMs, log);
  compactor.start();
  const inventory = new InventoryStore(sql, log);
  await inventory.refresh().catch((error: unknown) => log(`collector: inventory not loaded yet (${describe(error)}); will retry`));
  const refreshTimer = setInterval(() => {
    inventory.refresh().catch(() => {});
  }, INVENTORY_REFRESH_MS);
  refreshTimer.unref();
  const retentionJob = startRetentionJob(sql, { intervalMs: 3_600_000, nowMs: () => Date.now(), log });

  const ingest = new IngestService({
    writer,
    metrics,
    resolverFor: (clusterDbId) => inventory.resolverFor(clusterDbId),
    keepRaw: config.keepRaw,
    hubbleWindowMs: config.hubbleWindowMs,
    maxConcurrentWrites: config.writerConcurrency,
    maxQueuedBatches: config.queueMaxBatches,
    maxFlowAgeMs: config.maxFlowAgeMs,
    nowMs: () => Date.now(),
  });

  // Closed in reverse: inputs first, then the background jobs, before the pool ends.
  const closers: Array<() => Promise<void>> = [
    () => compactor.stop(),
    async () => {
      retentionJob.stop();
      await postureJob.stop();
    },
  ];
  if (config.http) {
    const server = createIngestServer({
      ingest,
      inventory,
      auth: new TokenAuth(sql, () => Date.now()),
      metrics,
      checkDatabase: async () => {
        await sql`select 1`;
      },
      maxBodyBytes: config.maxBodyBytes,
      maxInflatedBytes: config.maxInflatedBytes,
      retryAfterSec: config.retryAfterSec,
      log,
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          console.error(`collector: port ${config.port} is already in use; set FLOWLENS_COLLECTOR_PORT to another port`);
        } else {
          console.error(`collector: cannot listen on ${config.host}:${config.port}: ${error.message}`);
        }
        resolve(false);
      });
      server.listen(config.port, config.host, () => resolve(true));
    });
    if (!listening) {
      await sql.end({ timeout: 1 });
      return 1;
    }
    const address = server.address();
    const boundPort = typeof address === 'object' && address ? address.port : config.port;
    log(`collector: listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${boundPort} (POST /v1/flows, /v1/inventory; GET /healthz, /readyz, /metrics)`);
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  }

  let clusterDbId: number | undefined;
  if (config.cluster) clusterDbId = await withDatabaseRetry(() => ensureCluster(sql, config.cluster as string), log);

  const tails = config.tails.map(
    (filePath) =>
      new FileTail({
        filePath,
        clusterDbId: clusterDbId as number,
        clusterName: config.cluster as string,
        ...(config.format ? { format: config.format } : {}),
        ...(config.vpcFields ? { vpcFields: config.vpcFields } : {}),
        ingest,
        sql,
        pollMs: 250,
        maxBatchBytes: 4 * 1024 * 1024,
        log,
      }),
  );
  for (const tail of tails) {
    tail.start();
    log(`collector: following ${tail.filePath}`);
    closers.push(() => tail.stop());
  }

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`collector: ${signal}, finishing in-flight batches`);
    for (const close of closers.reverse()) await close().catch(() => {});
    await sql.end({ timeout: 5 });
    log('collector: stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.stdin) {
    const summary = await runStdinSource({
      input: process.stdin,
      clusterDbId: clusterDbId as number,
      clusterName: config.cluster as string,
      ...(config.format ? { format: config.format } : {}),
      ...(config.vpcFields ? { vpcFields: config.vpcFields } : {}),
      ingest,
      maxBatchLines: 5000,
      flushMs: 200,
      log,
    });
    log(`collector: stdin done: ${summary.accepted} stored, ${summary.rejected} rejected (kept in ingest_errors), ${summary.skipped} skipped`);
    if (!config.http && tails.length === 0) {
      await sql.end({ timeout: 5 });
      return summary.rejected > 0 ? 1 : 0;
    }
  }
  return -1; // keep running
}

async function withDatabaseRetry<T>(operation: () => Promise<T>, log: (message: string) => void): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt === 1) log(`collector: database not reachable (${describe(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`collector: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);

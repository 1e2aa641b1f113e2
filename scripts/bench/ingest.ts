/**
 * `npm run bench:ingest` — collector throughput on this machine, against a fresh embedded Postgres:
 *   1. parse-only lines/s (core/flow, one core);
 *   2. end-to-end flows/s: HTTP in → committed rows (rollups included), concurrent senders;
 *   3. the raw COPY ceiling: the same rows COPYed straight into `flows`, no collector;
 *   4. their ratio, and the collector's peak RSS.
 * Last line: {"parseLinesPerSec","endToEndFlowsPerSec","copyCeilingRowsPerSec","ratio","peakRssMb"}.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseFlowBatch } from '../../core/flow';
import { startCollector } from '../../collector/testing/start-collector';
import { FLOW_COLUMNS } from '../../collector/writer/flow-writer';
import { EndpointIdCache, prepareBatch } from '../../collector/writer/prepare-batch';
import { createCollectorToken } from '../../lib/db/collector-tokens';
import { startEmbeddedPostgres } from '../../lib/db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../../lib/db/migrate';
import { migrationsDir, repoRoot } from '../../lib/db/paths';
import { createSql } from '../../lib/db/sql';
import {
  logStatementStats,
  readMachineCpuSeconds,
  readPostgresCpuSeconds,
  readProcessCpuSeconds,
  readProcessStatusKb,
  resetStatementStats,
  statementStatsSettings,
} from './bench-support';
import { generateBatches } from './generate-flow-lines';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 80);
const LINES_PER_BATCH = Number(process.env.BENCH_LINES_PER_BATCH ?? 5000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 4);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 5495);

const log = (message: string): void => console.log(message);

async function main(): Promise<void> {
  const startMs = Date.UTC(2026, 10, 20, 12, 0, 0);
  log(`generating ${BATCHES} batches × ${LINES_PER_BATCH} lines (half Calico, half Hubble)…`);
  const batches = generateBatches({ seed: 42, batches: BATCHES, linesPerBatch: LINES_PER_BATCH, startMs });
  const totalLines = batches.reduce((sum, batch) => sum + batch.lines, 0);
  // Senders hold their batches as bytes (encoded once, as a shipper reading a file would), so the timed
  // part does not charge this process's UTF-8 encoding of 400 MB to the shared CPU.
  const encoder = new TextEncoder();
  const bodies = batches.map((batch) => encoder.encode(batch.body));
  const totalBytes = bodies.reduce((sum, body) => sum + body.length, 0);
  log(`  ${totalLines} lines, ${(totalBytes / 1048576).toFixed(0)} MiB`);

  // 1. Parse only.
  const parseSample = batches.slice(0, Math.min(20, batches.length));
  let parsedLines = 0;
  let parsedFlows = 0;
  const parseStartedMs = performance.now();
  for (const batch of parseSample) {
    const result = parseFlowBatch(batch.body, { clusterId: 'bench', format: batch.format });
    if (result.errors.length > 0) throw new Error(`generator produced bad ${batch.format} lines: ${result.errors[0]?.message}`);
    parsedLines += batch.lines;
    parsedFlows += result.flows.length;
  }
  const parseLinesPerSec = parsedLines / ((performance.now() - parseStartedMs) / 1000);
  log(`parse only: ${Math.round(parseLinesPerSec)} lines/s (${parsedLines} lines → ${parsedFlows} flows, one core)`);

  // A fresh database.
  const dataDir = path.join(repoRoot, '.bench', 'ingest');
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir, port: PG_PORT, database: 'flowlens', ...statementStatsSettings() });
  const sql = createSql(database.url, { max: 4 });
  try {
    await migrateDatabase(sql, readMigrations(migrationsDir));
    const { token, clusterId } = await createCollectorToken(sql, { clusterName: 'bench', tokenName: 'bench' });
    for (let day = -1; day <= 1; day += 1) {
      await sql`select flowlens_ensure_day_partitions(${new Date(startMs + day * 86_400_000).toISOString().slice(0, 10)}::date)`;
    }

    // 2. End to end through the collector.
    const collector = await startCollector({
      databaseUrl: database.url,
      env: {
        FLOWLENS_MAX_FLOW_AGE_DAYS: '36500',
        ...(process.env.FLOWLENS_POSTURE_INTERVAL_MS ? { FLOWLENS_POSTURE_INTERVAL_MS: process.env.FLOWLENS_POSTURE_INTERVAL_MS } : {}),
        ...(process.env.FLOWLENS_WRITER_CONCURRENCY ? { FLOWLENS_WRITER_CONCURRENCY: process.env.FLOWLENS_WRITER_CONCURRENCY } : {}),
      },
    });
    const peakRss = { mb: 0 };
    const rssTimer = setInterval(() => {
      peakRss.mb = Math.max(peakRss.mb, readProcessStatusKb(collector.process.pid, 'VmRSS') / 1024);
    }, 100);
    // Warm-up: one batch of each format (connections, partitions, JIT).
    for (const [index, batch] of batches.slice(0, 2).entries()) await send(collector.url, token, bodies[index] as Uint8Array<ArrayBuffer>, batch.format);
    await resetStatementStats(sql);
    // Endpoints stay: the collector remembers the ones it has written (as a long-running one would).
    await sql`truncate flows, edge_rollup_1m_store, edge_rollup_1h_store, edge_rollup_6h_store, edge_rollup_1d_store, rollup_pending_batches`;
    let next = 0;
    let accepted = 0;
    let retries = 0;
    const e2eStartedMs = performance.now();
    const cpuBefore = readProcessCpuSeconds(collector.process.pid);
    const postgresCpuBefore = readPostgresCpuSeconds(database.clusterDir);
    const machineBefore = readMachineCpuSeconds();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < batches.length) {
          const batch = batches[next] as (typeof batches)[number];
          const body = bodies[next] as Uint8Array<ArrayBuffer>;
          next += 1;
          for (;;) {
            const result = await send(collector.url, token, body, batch.format);
            if (result.status === 200) {
              accepted += result.accepted;
              break;
            }
            if (result.status !== 429 && result.status !== 503) throw new Error(`collector answered ${result.status}: ${result.text.slice(0, 300)}`);
            retries += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }),
    );
    const e2eSeconds = (performance.now() - e2eStartedMs) / 1000;
    const collectorCpuSeconds = readProcessCpuSeconds(collector.process.pid) - cpuBefore;
    const postgresCpuSeconds = readPostgresCpuSeconds(database.clusterDir) - postgresCpuBefore;
    const machineAfter = readMachineCpuSeconds();
    clearInterval(rssTimer);
    peakRss.mb = Math.max(peakRss.mb, readProcessStatusKb(collector.process.pid, 'VmHWM') / 1024);
    const [stored] = await sql<{ rows: number }[]>`select count(*)::int as rows from flows where cluster_id = ${clusterId}`;
    const [rollups] = await sql<{ rows: number }[]>`select count(*)::int as rows from edge_rollup_1m`;
    await collector.stop();
    await logStatementStats(sql, log);
    const storedRows = stored?.rows ?? 0;
    const endToEndFlowsPerSec = storedRows / e2eSeconds;
    log(
      `end to end: ${Math.round(endToEndFlowsPerSec)} flows/s (${totalLines} lines → ${storedRows} rows + ${rollups?.rows ?? 0} rollup rows committed in ${e2eSeconds.toFixed(2)} s; ` +
        `${Math.round(totalLines / e2eSeconds)} lines/s; ${SENDERS} senders; ${retries} retries after 429/503)`,
    );
    const perFlow = (seconds: number): string => ((seconds * 1e6) / Math.max(1, storedRows)).toFixed(1);
    log(`collector CPU: ${perFlow(collectorCpuSeconds)} µs per stored flow (${collectorCpuSeconds.toFixed(2)} s over ${e2eSeconds.toFixed(2)} s)`);
    log(`Postgres CPU: ${perFlow(postgresCpuSeconds)} µs per stored flow (${postgresCpuSeconds.toFixed(2)} s, all its processes)`);
    const machineBusy = machineAfter.busy - machineBefore.busy;
    log(`machine: ${perFlow(machineBusy)} µs of CPU per stored flow; ${((100 * machineBusy) / Math.max(0.001, machineAfter.total - machineBefore.total)).toFixed(0)}% of all cores busy`);
    if (accepted !== storedRows) throw new Error(`acknowledged ${accepted} flows but ${storedRows} rows are stored`);

    // 3. The COPY ceiling: the same rows, straight into flows.
    await sql`truncate flows`;
    const cache = new EndpointIdCache();
    const prepared = batches.map((batch) => {
      const parsed = parseFlowBatch(batch.body, { clusterId: 'bench', format: batch.format });
      // Same rows as the collector writes, raw-line references included (the compressed batch blobs are not).
      return prepareBatch(clusterId, parsed.flows.map(({ flow, line }) => ({ flow, line })), cache, '1');
    });
    const copyRows = prepared.reduce((sum, batch) => sum + batch.rowCount, 0);
    const copyStartedMs = performance.now();
    let nextCopy = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (nextCopy < prepared.length) {
          const batch = prepared[nextCopy] as (typeof prepared)[number];
          nextCopy += 1;
          await sql.begin(async (tx) => {
            const stream = await tx.unsafe(`copy flows (${FLOW_COLUMNS}) from stdin`).writable();
            await new Promise<void>((resolve, reject) => {
              stream.on('error', reject);
              stream.on('finish', resolve);
              for (const chunk of batch.copyChunks) stream.write(chunk);
              stream.end();
            });
          });
        }
      }),
    );
    const copyCeilingRowsPerSec = copyRows / ((performance.now() - copyStartedMs) / 1000);
    log(`COPY ceiling: ${Math.round(copyCeilingRowsPerSec)} rows/s (${copyRows} rows, 2 connections, no collector, no rollups)`);
    const ratio = endToEndFlowsPerSec / copyCeilingRowsPerSec;
    log(`ratio: ${ratio.toFixed(2)} of the COPY ceiling`);
    log(`collector peak RSS: ${peakRss.mb.toFixed(0)} MB`);
    console.log(
      JSON.stringify({
        parseLinesPerSec: Math.round(parseLinesPerSec),
        endToEndFlowsPerSec: Math.round(endToEndFlowsPerSec),
        copyCeilingRowsPerSec: Math.round(copyCeilingRowsPerSec),
        ratio: Number(ratio.toFixed(3)),
        peakRssMb: Math.round(peakRss.mb),
      }),
    );
  } finally {
    await sql.end();
    await database.stop();
  }
}



async function send(url: string, token: string, body: Uint8Array<ArrayBuffer>, format: string): Promise<{ status: number; accepted: number; text: string }> {
  const response = await fetch(`${url}/v1/flows?format=${format}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body,
  });
  const text = await response.text();
  const accepted = response.status === 200 ? (JSON.parse(text) as { accepted: number }).accepted : 0;
  return { status: response.status, accepted, text };
}

main().catch((error: unknown) => {
  console.error(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

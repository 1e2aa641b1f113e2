/**
 * `npm run bench:soak` — holds a target rate (default 50,000 flows/s) for a duration (default 60 s)
 * against a fresh embedded Postgres + collector: paced batches of 5,000 Calico lines from
 * scripts/bench/generate-flow-lines.ts (cycled from a pre-generated pool, each under its own
 * Idempotency-Key), 4 concurrent senders, retries after 429/503 as a real sender does.
 * Checks that memory stays bounded (collector RSS sampled every 250 ms) and that every acknowledged
 * flow is stored. NOT part of `npm test`.
 * Last line: {"flowsPerSec","durationSec","errors","acknowledged","stored","peakRssMb"}.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startCollector } from '../../collector/testing/start-collector';
import { createCollectorToken } from '../../lib/db/collector-tokens';
import { startEmbeddedPostgres } from '../../lib/db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../../lib/db/migrate';
import { migrationsDir, repoRoot } from '../../lib/db/paths';
import { createSql } from '../../lib/db/sql';
import { generateBatches } from './generate-flow-lines';
import { logStatementStats, readPostgresCpuSeconds, readProcessStatusKb, resetStatementStats, statementStatsSettings } from './bench-support';

const TARGET_FLOWS_PER_SEC = Number(process.env.SOAK_FLOWS_PER_SEC ?? 50_000);
const DURATION_SEC = Number(process.env.SOAK_DURATION_SEC ?? 60);
const LINES_PER_BATCH = 5000;
const POOL_BATCHES = 16;
const SENDERS = Number(process.env.SOAK_SENDERS ?? 4);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 5494);

const log = (message: string): void => console.error(message);

async function main(): Promise<void> {
  const startMs = Date.now() - 30 * 60_000;
  log(`soak: ${TARGET_FLOWS_PER_SEC} flows/s for ${DURATION_SEC} s; generating a pool of ${POOL_BATCHES} × ${LINES_PER_BATCH} Calico lines…`);
  const pool = generateBatches({ seed: 7, batches: POOL_BATCHES * 2, linesPerBatch: LINES_PER_BATCH, startMs })
    .filter((batch) => batch.format === 'calico')
    // As bytes, encoded once: the timed loop does not charge UTF-8 encoding to the shared CPU.
    .map((batch) => new TextEncoder().encode(batch.body));

  const dataDir = path.join(repoRoot, '.bench', 'soak');
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir, port: PG_PORT, database: 'flowlens', ...statementStatsSettings() });
  const sql = createSql(database.url, { max: 2 });
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  try {
    await migrateDatabase(sql, readMigrations(migrationsDir));
    const { token, clusterId } = await createCollectorToken(sql, { clusterName: 'soak', tokenName: 'soak' });
    collector = await startCollector({ databaseUrl: database.url, env: { FLOWLENS_MAX_FLOW_AGE_DAYS: '36500' } });
    const running = collector;
    const rss = { startMb: 0, peakMb: 0, lastMb: 0, samples: [] as number[] };
    rss.startMb = readProcessStatusKb(running.process.pid, 'VmRSS') / 1024;
    const rssTimer = setInterval(() => {
      const mb = readProcessStatusKb(running.process.pid, 'VmRSS') / 1024;
      rss.lastMb = mb;
      rss.peakMb = Math.max(rss.peakMb, mb);
      rss.samples.push(mb);
    }, 250);

    const batchIntervalMs = (LINES_PER_BATCH / TARGET_FLOWS_PER_SEC) * 1000;
    const totalBatches = Math.round((DURATION_SEC * 1000) / batchIntervalMs);
    let next = 0;
    let acknowledged = 0;
    let errors = 0;
    let retries = 0;
    let lastReportMs = performance.now();
    let lastReportAck = 0;
    await resetStatementStats(sql);
    const postgresCpuBefore = readPostgresCpuSeconds(database.clusterDir);
    const startedMs = performance.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (;;) {
          const index = next;
          // The duration is fixed: a collector slower than the target shows as a lower rate, not a longer run.
          if (index >= totalBatches || performance.now() - startedMs >= DURATION_SEC * 1000) return;
          next += 1;
          // Pacing: batch k may start at k × interval; a slow collector makes us fall behind (and shows in the figure).
          const dueMs = startedMs + index * batchIntervalMs;
          const waitMs = dueMs - performance.now();
          if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
          const body = pool[index % pool.length] as Uint8Array<ArrayBuffer>;
          for (let attempt = 0; ; attempt += 1) {
            try {
              const response = await fetch(`${running.url}/v1/flows?format=calico`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': `soak-${index}` },
                body,
              });
              const text = await response.text();
              if (response.status === 200) {
                acknowledged += (JSON.parse(text) as { accepted: number }).accepted;
                break;
              }
              if (response.status !== 429 && response.status !== 503) {
                errors += 1;
                log(`soak: batch ${index}: HTTP ${response.status} ${text.slice(0, 200)}`);
                break;
              }
              retries += 1;
            } catch (error) {
              errors += 1;
              log(`soak: batch ${index}: ${error instanceof Error ? error.message : String(error)}`);
              if (attempt > 5) break;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const nowMs = performance.now();
          if (nowMs - lastReportMs >= 10_000) {
            log(
              `soak: ${((nowMs - startedMs) / 1000).toFixed(0)} s: ${Math.round(((acknowledged - lastReportAck) * 1000) / (nowMs - lastReportMs))} flows/s over the last 10 s, ` +
                `collector RSS ${rss.lastMb.toFixed(0)} MB, ${retries} retries`,
            );
            lastReportMs = nowMs;
            lastReportAck = acknowledged;
          }
        }
      }),
    );
    const durationSec = (performance.now() - startedMs) / 1000;
    clearInterval(rssTimer);
    rss.peakMb = Math.max(rss.peakMb, readProcessStatusKb(running.process.pid, 'VmHWM') / 1024);
    const [stored] = await sql<{ rows: number }[]>`select count(*)::int as rows from flows where cluster_id = ${clusterId}`;
    const storedRows = stored?.rows ?? 0;
    const postgresCpuSeconds = readPostgresCpuSeconds(database.clusterDir) - postgresCpuBefore;
    log(`soak: Postgres used ${postgresCpuSeconds.toFixed(1)} s of CPU (${((postgresCpuSeconds * 1e6) / Math.max(1, storedRows)).toFixed(1)} µs per stored flow)`);
    await logStatementStats(sql, log);
    const tail = rss.samples.slice(-20);
    const half = rss.samples.slice(Math.floor(rss.samples.length / 2), Math.floor(rss.samples.length / 2) + 20);
    const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    log(
      `soak: ${acknowledged} flows acknowledged, ${storedRows} stored in ${durationSec.toFixed(1)} s (target ${TARGET_FLOWS_PER_SEC}/s → ${Math.round(acknowledged / durationSec)}/s); ` +
        `${errors} errors, ${retries} retries after 429/503; collector RSS start ${rss.startMb.toFixed(0)} MB, mid-run ${average(half).toFixed(0)} MB, end ${average(tail).toFixed(0)} MB, peak ${rss.peakMb.toFixed(0)} MB`,
    );
    if (storedRows !== acknowledged) log(`soak: MISMATCH: acknowledged ${acknowledged} but ${storedRows} stored`);
    console.log(
      JSON.stringify({
        flowsPerSec: Math.round(acknowledged / durationSec),
        durationSec: Number(durationSec.toFixed(1)),
        errors,
        acknowledged,
        stored: storedRows,
        peakRssMb: Math.round(rss.peakMb),
      }),
    );
  } finally {
    await collector?.stop();
    await sql.end();
    await database.stop();
  }
}


main().catch((error: unknown) => {
  console.error(`bench:soak failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

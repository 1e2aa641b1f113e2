/**
 * `npm run demo -- --seed N --rate FLOWS_PER_S --backfill 7d`: simulates a GenAI platform in two clusters
 * (prod-east reporting Calico flow logs, prod-west Hubble events) and drives the collector through its
 * real HTTP ingest API: inventory first, then history (backfill), then live traffic until stopped.
 * The scenario itself is pure (topology/scenario/*-lines/*-events); this file owns the clock, the
 * database (tokens), the network and the arguments.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCollectorToken } from '../../lib/db/collector-tokens';
import { dataDir } from '../../lib/db/paths';
import { createSql } from '../../lib/db/sql';
import { buildInventory } from './inventory';
import { buildTimeline, DAY_MS, HOUR_MS, MINUTE_MS, type Timeline } from './scenario';
import { AbortedError, chunkLines, CollectorClient, sleep, TaskPool, type ClusterTarget, type IngestAnswer } from './sender';
import { buildTopology, CLUSTER_FLOW_FORMAT, DEMO_CLUSTERS, type DemoClusterName, type Topology } from './topology';
import { windowRecords } from './window-records';

const USAGE = `usage: npm run demo -- [options]
  --seed N                 scenario seed (default 1); same seed + same --start ⇒ same lines
  --rate RECORDS_PER_S     records per second across both clusters, in the history and live (default 0.7)
  --backfill DURATION      history to write first: 0, 90m, 12h, 7d, 30d (default 0)
  --start ISO_TIME         the run's anchor time (default: now); backfill ends here, live starts here
  --duration SECONDS       stop live streaming after this long (default: until SIGINT/SIGTERM)
  --no-live                only write the backfill, then exit
  --collector URL          collector base URL (default http://127.0.0.1:$FLOWLENS_COLLECTOR_PORT or :4800)
  --token-prod-east TOKEN  collector token for prod-east (or FLOWLENS_DEMO_TOKEN_PROD_EAST)
  --token-prod-west TOKEN  collector token for prod-west (or FLOWLENS_DEMO_TOKEN_PROD_WEST)
  --concurrency N          concurrent backfill requests (default 3, 1-8)
  --dry-run                generate and count, send nothing (no collector or database needed)`;

/** Backfill aggregates per 5 minutes so 7 days stays a few hundred thousand records. */
const BACKFILL_WINDOW_MS = 5 * MINUTE_MS;
/** Calico flushes flow logs every 15 s; Hubble is per event, sent every second. */
const LIVE_WINDOW_MS: Record<DemoClusterName, number> = { 'prod-east': 15_000, 'prod-west': 1_000 };
/**
 * ≈ 30k records/day/cluster on average (the daily curve peaks in the afternoon): 7 days of history are
 * ~420k records, written in about half a minute. History and live traffic share the rate, so a chart
 * that spans the start of live traffic shows one steady curve, not a step.
 */
const DEFAULT_RATE_RECORDS_PER_SEC = 0.7;
const MAX_BATCH_LINES = 5_000;
/** Below the collector's 8 MiB limit with room for headers and line-length variance. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
const PROGRESS_EVERY_MS = 5_000;
const LIVE_REPORT_EVERY_MS = 30_000;

interface DemoOptions {
  seed: string;
  rateRecordsPerSec: number;
  backfillMs: number;
  anchorMs: number;
  durationMs?: number;
  live: boolean;
  collectorUrl: string;
  tokens: Partial<Record<DemoClusterName, string>>;
  concurrency: number;
  dryRun: boolean;
}

class UsageError extends Error {}

/** `0`, `90m`, `12h`, `7d`, `30d`, `45s` → milliseconds. */
function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?$/.exec(text.trim());
  if (!match?.[1]) throw new UsageError(`--backfill ${text}: expected a duration like 0, 12h, 7d or 30d`);
  const value = Number(match[1]);
  const unitMs = { s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS }[match[2] ?? 's'] ?? 1000;
  if (value > 0 && !match[2]) throw new UsageError(`--backfill ${text}: give a unit (s, m, h, d)`);
  return value * unitMs;
}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name} ${raw}: expected a positive number`);
  return value;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv, nowMs: number): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string' },
      rate: { type: 'string' },
      backfill: { type: 'string' },
      start: { type: 'string' },
      duration: { type: 'string' },
      'no-live': { type: 'boolean' },
      collector: { type: 'string' },
      'token-prod-east': { type: 'string' },
      'token-prod-west': { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  let anchorMs = nowMs;
  if (values.start !== undefined) {
    anchorMs = Date.parse(values.start);
    if (Number.isNaN(anchorMs)) throw new UsageError(`--start ${values.start}: expected an ISO time such as 2025-01-31T12:00:00Z`);
  }
  const port = env.FLOWLENS_COLLECTOR_PORT && env.FLOWLENS_COLLECTOR_PORT !== '' ? env.FLOWLENS_COLLECTOR_PORT : '4800';
  const collectorUrl = values.collector ?? `http://127.0.0.1:${port}`;
  try {
    new URL(collectorUrl);
  } catch {
    throw new UsageError(`--collector ${collectorUrl}: not a URL`);
  }
  const concurrency = Math.round(positiveNumber('--concurrency', values.concurrency, 3));
  if (concurrency > 8) throw new UsageError('--concurrency: at most 8');
  const options: DemoOptions = {
    seed: values.seed ?? '1',
    rateRecordsPerSec: positiveNumber('--rate', values.rate, DEFAULT_RATE_RECORDS_PER_SEC),
    backfillMs: parseDurationMs(values.backfill ?? '0'),
    anchorMs,
    live: !values['no-live'],
    collectorUrl,
    tokens: {},
    concurrency,
    dryRun: values['dry-run'] === true,
  };
  if (values.duration !== undefined) options.durationMs = positiveNumber('--duration', values.duration, 0) * 1000;
  const east = values['token-prod-east'] ?? env.FLOWLENS_DEMO_TOKEN_PROD_EAST;
  const west = values['token-prod-west'] ?? env.FLOWLENS_DEMO_TOKEN_PROD_WEST;
  if (east) options.tokens['prod-east'] = east;
  if (west) options.tokens['prod-west'] = west;
  return options;
}

/**
 * DATABASE_URL when set; else the embedded PostgreSQL that `npm start`/the collector runs from the data
 * directory (its password file and port), so `npm run demo` works next to a default local start.
 */
function databaseUrlOrThrow(env: NodeJS.ProcessEnv): string {
  if (env.DATABASE_URL && env.DATABASE_URL.trim() !== '') return env.DATABASE_URL;
  const passwordFile = path.join(dataDir(), 'pg-password');
  if (existsSync(passwordFile)) {
    const password = readFileSync(passwordFile, 'utf8').trim();
    const port = env.FLOWLENS_PG_PORT && env.FLOWLENS_PG_PORT !== '' ? env.FLOWLENS_PG_PORT : '5433';
    return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/flowlens`;
  }
  throw new UsageError(
    'no collector tokens: pass --token-prod-east/--token-prod-west (or FLOWLENS_DEMO_TOKEN_PROD_EAST/_WEST), or set DATABASE_URL so the demo can mint its own',
  );
}

/** Mints a `demo` token per cluster that has none (creating the cluster with its flow format). */
async function obtainTokens(options: DemoOptions, log: (message: string) => void): Promise<Record<DemoClusterName, string>> {
  const missing = DEMO_CLUSTERS.filter((cluster) => !options.tokens[cluster]);
  const tokens = { ...options.tokens };
  if (missing.length > 0 && !options.dryRun) {
    const sql = createSql(databaseUrlOrThrow(process.env), { max: 1, applicationName: 'flowlens-demo' });
    try {
      for (const cluster of missing) {
        const minted = await createCollectorToken(sql, { clusterName: cluster, tokenName: 'demo', flowFormat: CLUSTER_FLOW_FORMAT[cluster], createdBy: 'demo' });
        // The tokens of earlier demo runs are the demo's own bookkeeping, not an admin's: delete them, so
        // Settings lists the running demo's token per cluster, not one more revoked row per restart.
        await sql`
          delete from collector_tokens
          where cluster_id = ${minted.clusterId} and name = 'demo' and created_by = 'demo' and prefix <> ${minted.prefix}`;
        tokens[cluster] = minted.token;
        log(`minted collector token ${minted.prefix}… for cluster ${cluster} (id ${minted.clusterId})`);
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  for (const cluster of DEMO_CLUSTERS) tokens[cluster] ??= 'dry-run';
  return tokens as Record<DemoClusterName, string>;
}

/** Sent/accepted/rejected counters, per phase. */
class Tally {
  records = 0;
  accepted = 0;
  rejected = 0;
  skipped = 0;
  refusedBatches = 0;
  add(lineCount: number, answer: IngestAnswer | null): void {
    this.records += lineCount;
    if (answer === null) {
      this.refusedBatches++;
      return;
    }
    this.accepted += answer.accepted;
    this.rejected += answer.rejected;
    this.skipped += answer.skipped;
  }
  /** What the collector made of the records: fewer flows than lines is expected (Hubble events fold into windowed flows). */
  outcome(): string {
    return `stored as ${formatCount(this.accepted)} flows (Hubble events fold into windowed flows), ${formatCount(this.skipped)} skipped, ${formatCount(this.rejected)} rejected`;
  }
  static merged(tallies: readonly Tally[]): Tally {
    const total = new Tally();
    for (const tally of tallies) {
      total.records += tally.records;
      total.accepted += tally.accepted;
      total.rejected += tally.rejected;
      total.skipped += tally.skipped;
      total.refusedBatches += tally.refusedBatches;
    }
    return total;
  }
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

interface RunContext {
  options: DemoOptions;
  client: CollectorClient;
  targets: Record<DemoClusterName, ClusterTarget>;
  topologies: Record<DemoClusterName, Topology>;
  timeline: Timeline;
  signal: AbortSignal;
  log: (message: string) => void;
}

function idempotencyKey(context: RunContext, cluster: DemoClusterName, sequence: string): string {
  return `demo:${context.options.seed}:${cluster}:${new Date(context.options.anchorMs).toISOString()}:${sequence}`;
}

/** One cluster's mean records in a window of `windowMs` at `rate` records/s across both clusters. */
function recordsPerWindow(rate: number, windowMs: number): number {
  return ((rate / DEMO_CLUSTERS.length) * windowMs) / 1000;
}

/** Writes the history through the same ingest path: both clusters in time order, batches in parallel. */
async function backfill(context: RunContext, startMs: number, endMs: number): Promise<void> {
  const { options, log } = context;
  const meanRecordsPerWindow = recordsPerWindow(options.rateRecordsPerSec, BACKFILL_WINDOW_MS);
  const windowCount = Math.round((endMs - startMs) / BACKFILL_WINDOW_MS);
  log(`backfill ${new Date(startMs).toISOString()} → ${new Date(endMs).toISOString()}: ${windowCount} windows of 5 min per cluster, ~${formatCount(meanRecordsPerWindow * windowCount * DEMO_CLUSTERS.length)} records`);
  const tally = new Tally();
  const pool = new TaskPool(options.concurrency, (error) => {
    if (!(error instanceof AbortedError)) log(`backfill batch failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  const buffers: Record<DemoClusterName, string[]> = { 'prod-east': [], 'prod-west': [] };
  const sequences: Record<DemoClusterName, number> = { 'prod-east': 0, 'prod-west': 0 };
  const startedAt = Date.now();
  let lastProgressAt = startedAt;
  let windowsDone = 0;
  const flush = async (cluster: DemoClusterName, all: boolean): Promise<void> => {
    const buffer = buffers[cluster];
    while (buffer.length >= MAX_BATCH_LINES || (all && buffer.length > 0)) {
      for (const batch of chunkLines(buffer.splice(0, MAX_BATCH_LINES), MAX_BATCH_LINES, MAX_BATCH_BYTES)) {
        const key = idempotencyKey(context, cluster, `backfill:${sequences[cluster]++}`);
        await pool.run(async () => {
          const answer = await context.client.postFlowBatch(context.targets[cluster], batch, key);
          tally.add(batch.length, answer);
        });
      }
    }
  };
  for (let windowStartMs = startMs; windowStartMs < endMs; windowStartMs += BACKFILL_WINDOW_MS) {
    if (context.signal.aborted) break;
    for (const cluster of DEMO_CLUSTERS) {
      const records = windowRecords({ topology: context.topologies[cluster], timeline: context.timeline, windowStartMs, windowMs: BACKFILL_WINDOW_MS, meanRecordsPerWindow });
      buffers[cluster].push(...records.lines);
      await flush(cluster, false);
    }
    windowsDone++;
    const now = Date.now();
    if (now - lastProgressAt >= PROGRESS_EVERY_MS) {
      lastProgressAt = now;
      const elapsedSec = (now - startedAt) / 1000;
      log(`backfill ${Math.round((100 * windowsDone) / Math.max(1, windowCount))}% (${new Date(windowStartMs).toISOString().slice(0, 16)}Z): ${formatCount(tally.records)} records sent, ${formatCount(tally.records / elapsedSec)} records/s, ${formatCount(tally.rejected)} rejected`);
    }
    // Let responses and timers run between windows; generation is synchronous CPU work.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  for (const cluster of DEMO_CLUSTERS) await flush(cluster, true);
  await pool.drain();
  const elapsedSec = (Date.now() - startedAt) / 1000;
  log(`backfill done: ${formatCount(tally.records)} records in ${elapsedSec.toFixed(1)}s (${formatCount(tally.records / Math.max(0.001, elapsedSec))} records/s); ${tally.outcome()}, refused batches ${tally.refusedBatches}`);
}

interface LiveChunk {
  releaseMs: number;
  key: string;
  lines: string[];
}

/**
 * Streams live windows as the clock passes them. A closed window's lines are released over the next
 * window-length in one-second slices (Calico's 15-s flush spread out as a log shipper would), each
 * slice its own batch with a key derived from the window, so a replay of the same run dedupes.
 */
async function live(context: RunContext, liveStartMs: number): Promise<void> {
  const { options, log, signal } = context;
  const cursors: Record<DemoClusterName, number> = { 'prod-east': liveStartMs, 'prod-west': liveStartMs };
  const queues: Record<DemoClusterName, LiveChunk[]> = { 'prod-east': [], 'prod-west': [] };
  const pumping: Record<DemoClusterName, Promise<void> | null> = { 'prod-east': null, 'prod-west': null };
  let draining = false;
  const tallies: Record<DemoClusterName, Tally> = { 'prod-east': new Tally(), 'prod-west': new Tally() };
  const stopAtMs = options.durationMs === undefined ? Infinity : Date.now() + options.durationMs;
  log(`live: ${options.rateRecordsPerSec} records/s on average (daily curve) across both clusters; Ctrl-C to stop`);

  const drainQueue = async (cluster: DemoClusterName): Promise<void> => {
    try {
      for (;;) {
        const chunk = queues[cluster][0];
        // When draining (a --duration stop), what was generated is sent now rather than dropped.
        if (!chunk || (!draining && chunk.releaseMs > Date.now())) break;
        const answer = await context.client.postFlowBatch(context.targets[cluster], chunk.lines, chunk.key);
        queues[cluster].shift();
        tallies[cluster].add(chunk.lines.length, answer);
      }
    } catch (error) {
      if (!(error instanceof AbortedError)) log(`live ${cluster}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // One sender per cluster, so its batches arrive in order. The busy marker is cleared by the caller
  // once the drain settles (never from inside it: an empty drain settles synchronously).
  const pump = (cluster: DemoClusterName): Promise<void> => {
    const running = pumping[cluster];
    if (running) return running;
    const started = drainQueue(cluster).finally(() => {
      if (pumping[cluster] === started) pumping[cluster] = null;
    });
    pumping[cluster] = started;
    return started;
  };

  let lastReportAt = Date.now();
  let lastReportRecords = 0;
  while (!signal.aborted && Date.now() < stopAtMs) {
    const now = Date.now();
    for (const cluster of DEMO_CLUSTERS) {
      const windowMs = LIVE_WINDOW_MS[cluster];
      const slices = Math.max(1, Math.round(windowMs / 1000));
      // Catch up on every window the clock has closed (after a backfill, or when the loop was busy).
      while (cursors[cluster] + windowMs <= now) {
        const windowStartMs = cursors[cluster];
        const records = windowRecords({
          topology: context.topologies[cluster],
          timeline: context.timeline,
          windowStartMs,
          windowMs,
          meanRecordsPerWindow: recordsPerWindow(options.rateRecordsPerSec, windowMs),
        });
        const perSlice = Math.ceil(records.lines.length / slices);
        for (let slice = 0; slice < slices; slice++) {
          const lines = records.lines.slice(slice * perSlice, (slice + 1) * perSlice);
          if (lines.length === 0) continue;
          for (const [part, batch] of chunkLines(lines, MAX_BATCH_LINES, MAX_BATCH_BYTES).entries()) {
            queues[cluster].push({ releaseMs: windowStartMs + windowMs + slice * 1000, key: idempotencyKey(context, cluster, `live:${windowStartMs}:${slice}:${part}`), lines: batch });
          }
        }
        cursors[cluster] += windowMs;
      }
      void pump(cluster);
    }
    if (now - lastReportAt >= LIVE_REPORT_EVERY_MS) {
      const sent = tallies['prod-east'].records + tallies['prod-west'].records;
      const pending = queues['prod-east'].length + queues['prod-west'].length;
      log(`live: ${formatCount(sent)} records sent (${((sent - lastReportRecords) / ((now - lastReportAt) / 1000)).toFixed(1)} records/s; east ${formatCount(tallies['prod-east'].records)}, west ${formatCount(tallies['prod-west'].records)}), ${pending} batches queued, ${formatCount(tallies['prod-east'].rejected + tallies['prod-west'].rejected)} rejected`);
      lastReportAt = now;
      lastReportRecords = sent;
    }
    try {
      // Wake just after the next whole second, when the next window closes.
      await sleep(1000 - (Date.now() % 1000) + 5, signal);
    } catch (error) {
      if (error instanceof AbortedError) break;
      throw error;
    }
  }
  if (!signal.aborted) {
    // A --duration stop sends what was already generated (bounded by the collector answering).
    draining = true;
    await Promise.all(DEMO_CLUSTERS.map(async (cluster) => {
      await pumping[cluster];
      await pump(cluster);
    }));
  }
  const sent = tallies['prod-east'].records + tallies['prod-west'].records;
  log(`live stopped: ${formatCount(sent)} records sent (east ${formatCount(tallies['prod-east'].records)}, west ${formatCount(tallies['prod-west'].records)}); ${Tally.merged([tallies['prod-east'], tallies['prod-west']]).outcome()}`);
}

async function main(): Promise<void> {
  const log = (message: string): void => console.log(`[demo ${new Date().toISOString().slice(11, 19)}] ${message}`);
  let options: DemoOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env, Date.now());
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const controller = new AbortController();
  let stops = 0;
  const stop = (signalName: string): void => {
    stops++;
    if (stops > 1) process.exit(130);
    log(`${signalName}: stopping (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  let tokens: Record<DemoClusterName, string>;
  try {
    tokens = await obtainTokens(options, log);
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const timeline = buildTimeline(options.seed, options.anchorMs);
  const context: RunContext = {
    options,
    client: new CollectorClient({ collectorUrl: options.collectorUrl, log, signal: controller.signal, dryRun: options.dryRun }),
    targets: {
      'prod-east': { cluster: 'prod-east', format: CLUSTER_FLOW_FORMAT['prod-east'], token: tokens['prod-east'] },
      'prod-west': { cluster: 'prod-west', format: CLUSTER_FLOW_FORMAT['prod-west'], token: tokens['prod-west'] },
    },
    topologies: { 'prod-east': buildTopology(options.seed, 'prod-east'), 'prod-west': buildTopology(options.seed, 'prod-west') },
    timeline,
    signal: controller.signal,
    log,
  };
  const backfillStartMs = Math.floor((options.anchorMs - options.backfillMs) / BACKFILL_WINDOW_MS) * BACKFILL_WINDOW_MS;
  const backfillEndMs = Math.floor(options.anchorMs / BACKFILL_WINDOW_MS) * BACKFILL_WINDOW_MS;
  const hasBackfill = options.backfillMs > 0 && backfillEndMs > backfillStartMs;
  log(`seed ${options.seed}, anchor ${new Date(options.anchorMs).toISOString()}, collector ${options.dryRun ? '(dry run)' : options.collectorUrl}; compromised pod starts probing at ${new Date(timeline.compromiseStartMs).toISOString()}`);
  try {
    const takenAtMs = hasBackfill ? backfillStartMs : options.anchorMs;
    for (const cluster of DEMO_CLUSTERS) {
      const list = buildInventory(context.topologies[cluster], takenAtMs);
      const answer = await context.client.postInventory(context.targets[cluster], list, takenAtMs);
      log(`${cluster}: inventory uploaded (${list.items.length} objects, takenAt ${new Date(takenAtMs).toISOString()}) → ${JSON.stringify(answer)}`);
    }
    if (hasBackfill) await backfill(context, backfillStartMs, backfillEndMs);
    // Live windows align to 15 s (a multiple of both clusters' windows); after a backfill they pick up where it ended.
    const liveStartMs = hasBackfill ? backfillEndMs : Math.floor(options.anchorMs / 15_000) * 15_000;
    if (options.live && !controller.signal.aborted) await live(context, liveStartMs);
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
  }
  log('done');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * Retention: drops whole day partitions past the configured age — `DROP TABLE flows_pYYYYMMDD` —
 * never a row-by-row delete (which would bloat the tables and the WAL and take hours at volume).
 * Raw flows, raw batches and minute rollups follow `rawFlowDays`; hourly, 6-hour and daily rollups follow `rollupDays`
 * (`settings` row `retention`, edited in /settings). Idempotency records (`ingest_batches`) older
 * than 7 days are pruned: a sender retries within minutes, not weeks.
 * A partition is dropped only when its whole day is older than the cut-off. Each DROP waits at most
 * `lockTimeoutMs` for its lock so it never stalls the writer; a skipped drop is retried next run.
 */
import type { Sql } from 'postgres';

export interface RetentionPolicy {
  rawFlowDays: number;
  rollupDays: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { rawFlowDays: 30, rollupDays: 400 };
const IDEMPOTENCY_KEEP_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;
const PARTITION_NAME = /^(flows|edge_rollup_1m|edge_rollup_1h|edge_rollup_6h|edge_rollup_1d|raw_batches)_p(\d{4})(\d{2})(\d{2})$/;
/** Rollups kept for `rollupDays` (the minute rollup follows the raw flows). */
const LONG_ROLLUPS = new Set(['edge_rollup_1h', 'edge_rollup_6h', 'edge_rollup_1d']);
/** Partitioned parents (the rollups' stored tables are `*_store`; their partitions keep the logical name). */
const PARENTS = ['flows', 'raw_batches', 'edge_rollup_1m', 'edge_rollup_1h', 'edge_rollup_1m_store', 'edge_rollup_1h_store', 'edge_rollup_6h_store', 'edge_rollup_1d_store'];

export interface RetentionRunResult {
  dropped: string[];
  skipped: Array<{ partition: string; reason: string }>;
  idempotencyRecordsPruned: number;
}

export async function readRetentionPolicy(sql: Sql): Promise<RetentionPolicy> {
  const [row] = await sql<{ value: Partial<RetentionPolicy> }[]>`select value from settings where key = 'retention'`;
  const days = (value: unknown, fallback: number): number =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 36_500 ? value : fallback;
  return {
    rawFlowDays: days(row?.value?.rawFlowDays, DEFAULT_RETENTION_POLICY.rawFlowDays),
    rollupDays: days(row?.value?.rollupDays, DEFAULT_RETENTION_POLICY.rollupDays),
  };
}

/** Which partitions a policy drops at `nowMs` (pure, unit-tested). */
export function partitionsToDrop(partitionNames: readonly string[], policy: RetentionPolicy, nowMs: number): string[] {
  const drop: string[] = [];
  for (const name of partitionNames) {
    const match = PARTITION_NAME.exec(name);
    if (!match) continue;
    const [, parent, year, month, day] = match;
    const dayEndMs = Date.UTC(Number(year), Number(month) - 1, Number(day)) + DAY_MS;
    const keepDays = parent !== undefined && LONG_ROLLUPS.has(parent) ? policy.rollupDays : policy.rawFlowDays;
    if (dayEndMs <= nowMs - keepDays * DAY_MS) drop.push(name);
  }
  return drop.sort();
}

export async function runRetention(sql: Sql, options: { nowMs: number; lockTimeoutMs?: number; policy?: RetentionPolicy }): Promise<RetentionRunResult> {
  const policy = options.policy ?? (await readRetentionPolicy(sql));
  const partitions = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = any(${PARENTS})`;
  const result: RetentionRunResult = { dropped: [], skipped: [], idempotencyRecordsPruned: 0 };
  for (const name of partitionsToDrop(partitions.map((row) => row.name), policy, options.nowMs)) {
    try {
      await sql.begin(async (transaction) => {
        await transaction.unsafe(`set local lock_timeout = ${Math.max(100, Math.floor(options.lockTimeoutMs ?? 3000))}`);
        // The name matched PARTITION_NAME above and is quoted as an identifier by postgres.js.
        await transaction`drop table if exists ${transaction(name)}`;
      });
      result.dropped.push(name);
    } catch (error) {
      result.skipped.push({ partition: name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const pruned = await sql`delete from ingest_batches where received_at < ${new Date(options.nowMs - IDEMPOTENCY_KEEP_MS)}`;
  result.idempotencyRecordsPruned = pruned.count;
  return result;
}

/**
 * Runs retention a minute after start (not at once: a collector restarted in a crash loop should not
 * hammer the catalogue) and then every `intervalMs`; errors (database down) are logged and retried next time.
 */
export function startRetentionJob(sql: Sql, options: { intervalMs: number; nowMs: () => number; log: (message: string) => void }): { stop: () => void } {
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const result = await runRetention(sql, { nowMs: options.nowMs() });
      if (result.dropped.length > 0 || result.skipped.length > 0) {
        options.log(`collector: retention dropped ${result.dropped.length} partitions (${result.dropped.join(', ') || 'none'}); skipped ${result.skipped.length}`);
      }
    } catch (error) {
      options.log(`collector: retention run failed (${error instanceof Error ? error.message : String(error)}); will retry`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 60_000);
  const timer = setInterval(() => void tick(), options.intervalMs);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

/**
 * Brings the daily posture snapshots up to date (the body of the collector's posture job): for every
 * cluster, each UTC day of the last `maxDays` that has rollups and no snapshot, or whose snapshot was
 * computed before the day was over, or whose rollups gained flows since, or that was computed by
 * another method (GenAI rules edited, scoring changed), is (re)computed and upserted — oldest first, because a day's
 * denied-flow baseline reads the snapshots of the days before it. Today is recomputed on every run.
 * Idempotent: running it twice computes the same rows.
 */
import type { Sql } from 'postgres';
import { compactRollups } from '../compact-rollups';
import { computeDaySnapshot, DAY_MS, dayText, loadStoredGenAiRules, postureMethod, upsertDaySnapshot } from './compute-day-snapshot';

/** Late flows (collector batching, agents catching up) still land this long after midnight. */
const SETTLE_MS = 15 * 60 * 1000;
/** Keeps concurrent collectors (horizontal scale-out) from computing the same days at once. */
const ADVISORY_LOCK_KEY = 0x706f7374; // 'post'

export interface RefreshPostureSnapshotsOptions {
  nowMs: number;
  /** How far back to look for days without a snapshot (default 95, beyond the 90-day trend). */
  maxDays?: number;
  /** Only these cluster ids (tests); default all. */
  clusterIds?: readonly number[];
  log?: (message: string) => void;
}

export interface RefreshPostureSnapshotsResult {
  /** `cluster/day` of every snapshot written, in order. */
  computed: string[];
  /** False when another process held the lock and nothing was done. */
  ran: boolean;
}

export async function refreshPostureSnapshots(sql: Sql, options: RefreshPostureSnapshotsOptions): Promise<RefreshPostureSnapshotsResult> {
  const reserved = await sql.reserve();
  try {
    const [lock] = await reserved<{ locked: boolean }[]>`select pg_try_advisory_lock(${ADVISORY_LOCK_KEY}) as locked`;
    if (!lock?.locked) return { computed: [], ran: false };
    try {
      return { computed: await refreshLocked(sql, options), ran: true };
    } finally {
      await reserved`select pg_advisory_unlock(${ADVISORY_LOCK_KEY})`;
    }
  } finally {
    reserved.release();
  }
}

async function refreshLocked(sql: Sql, options: RefreshPostureSnapshotsOptions): Promise<string[]> {
  const todayStartMs = Math.floor(options.nowMs / DAY_MS) * DAY_MS;
  const fromMs = todayStartMs - (options.maxDays ?? 95) * DAY_MS;
  const clusters = await sql<{ id: number; name: string }[]>`select id, name from clusters order by id`;
  const selected = options.clusterIds ? clusters.filter((cluster) => options.clusterIds?.includes(cluster.id)) : clusters;
  const rules = await loadStoredGenAiRules(sql);
  const method = postureMethod(rules);
  let remethoded = 0;
  // Snapshots read the rollup stores, so the flows committed so far are folded into them first.
  await compactRollups(sql, { wait: true });
  const computed: string[] = [];
  for (const cluster of selected) {
    // One index probe per day (exists stops at the first row of the day's partition), and the day's
    // flow count from the daily rollup (a few hundred rows) against the count its snapshot saw. The
    // stores, not the edge_rollup_* views: a view adds the aggregate of every pending batch's flows to
    // each read (seconds of work per run while ingest runs at full speed).
    const days = await sql<{ dayMs: number; flows: number | null; computedAt: Date | null; snapshotFlows: number | null; method: string | null }[]>`
      select (extract(epoch from d) * 1000)::float8 as "dayMs", p.computed_at as "computedAt", p.components->>'method' as method,
             (select sum(r.flows)::float8 from edge_rollup_1d_store r where r.cluster_id = ${cluster.id} and r.bucket = d) as flows,
             (p.components->>'rollupFlows')::float8 as "snapshotFlows"
      from generate_series(${new Date(fromMs)}::timestamptz, ${new Date(todayStartMs)}::timestamptz, interval '1 day') d
      left join posture_snapshots p on p.cluster_id = ${cluster.id} and p.day = (d at time zone 'UTC')::date
      where exists (select 1 from edge_rollup_1h_store r where r.cluster_id = ${cluster.id} and r.bucket >= d and r.bucket < d + interval '1 day')
      order by d`;
    for (const day of days) {
      // NOTE: flows can land days late (a backfill, an agent catching up after an outage): a day whose
      // rollups grew since its snapshot is recomputed even when the snapshot was taken after the day ended.
      const grew = day.computedAt !== null && (day.snapshotFlows === null ? day.flows !== null : day.flows !== null && day.flows > day.snapshotFlows + 0.5);
      const otherMethod = day.computedAt !== null && day.method !== method;
      const stale = day.computedAt === null || day.computedAt.getTime() < day.dayMs + DAY_MS + SETTLE_MS || grew || otherMethod;
      if (!stale) continue;
      if (otherMethod) remethoded += 1;
      const snapshot = await computeDaySnapshot(sql, { clusterId: cluster.id, clusterName: cluster.name, dayStartMs: day.dayMs, nowMs: options.nowMs, rules });
      await upsertDaySnapshot(sql, snapshot);
      computed.push(`${cluster.name}/${dayText(day.dayMs)}`);
    }
  }
  if (computed.length > 1) {
    const why = remethoded > 0 ? `; ${remethoded} of them because the GenAI rules or the scoring changed since` : '';
    options.log?.(`posture: ${computed.length} daily snapshots computed (${computed[0]} … ${computed[computed.length - 1]}${why})`);
  }
  return computed;
}

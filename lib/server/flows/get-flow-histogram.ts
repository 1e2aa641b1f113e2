import 'server-only';
import type { Sql } from 'postgres';
import type { FlowFilter, FlowHistogramDto } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';
import { buildFlowWhere, endpointIndexCanAnswer, resolveEndpointIds, rollupCanAnswer } from './build-flow-where';
import { resolveFlowQuery } from './resolve-flow-query';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const BUCKET_SIZES_MS = [MINUTE_MS, 2 * MINUTE_MS, 5 * MINUTE_MS, 10 * MINUTE_MS, 15 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS, 24 * HOUR_MS];
const TARGET_BUCKETS = 96;
/** Windows longer than this read the hourly rollup when the filter allows it. */
const ROLLUP_MIN_WINDOW_MS = 24 * HOUR_MS;

/** The smallest "nice" bucket giving at most ~96 bars. */
export function histogramBucketMs(windowMs: number): number {
  return BUCKET_SIZES_MS.find((size) => windowMs / size <= TARGET_BUCKETS) ?? 24 * HOUR_MS;
}

/**
 * Allowed vs denied flows over time for a filter. Long windows with a broad filter the rollup can answer read
 * `edge_rollup_1h` (hour-aligned; `exact` says whether the window was already aligned); everything else
 * counts raw flows with the full filter, so its total is exactly the table's and the export's row count.
 * An endpoint filter (namespace, workload, IP, free text naming endpoints) counts raw flows even over long
 * windows: the rollup has no index on its endpoints and would be read whole, while the flows'
 * (cluster_id, src_id|dst_id, start_time) indexes reach just the matches.
 */
export async function getFlowHistogram(sql: Sql, filter: FlowFilter, scope: DataScope, nowMs: number): Promise<FlowHistogramDto> {
  const started = performance.now();
  const resolved = await resolveFlowQuery(sql, filter, scope, nowMs);
  const windowMs = resolved.toMs - resolved.fromMs;
  const endpointIds = resolved.clusterIds.length > 0 ? await resolveEndpointIds(sql, filter, resolved.clusterIds) : {};
  const useRollup = windowMs > ROLLUP_MIN_WINDOW_MS && rollupCanAnswer(filter) && !endpointIndexCanAnswer(filter, endpointIds);
  const bucketMs = useRollup ? Math.max(HOUR_MS, histogramBucketMs(windowMs)) : histogramBucketMs(windowMs);
  let fromMs = resolved.fromMs;
  let toMs = resolved.toMs;
  let exact = true;
  if (useRollup) {
    fromMs = Math.floor(resolved.fromMs / HOUR_MS) * HOUR_MS;
    toMs = Math.ceil(resolved.toMs / HOUR_MS) * HOUR_MS;
    exact = fromMs === resolved.fromMs && toMs === resolved.toMs;
  }
  let rows: { bucketMs: number; allowed: number; denied: number }[] = [];
  if (resolved.clusterIds.length > 0) {
    const where = buildFlowWhere(sql, {
      filter, fromMs, toMs, scope, clusterIds: resolved.clusterIds, table: useRollup ? 'rollup' : 'flows', endpointsJoined: false, endpointIds,
    });
    const interval = `${bucketMs / 1000} seconds`;
    rows = useRollup
      ? await sql`
          select (extract(epoch from date_bin(${interval}::interval, f.bucket, 'epoch'::timestamptz)) * 1000)::float8 as "bucketMs",
                 coalesce(sum(f.flows) filter (where f.verdict = 'allowed'), 0)::float8 as allowed,
                 coalesce(sum(f.flows) filter (where f.verdict = 'denied'), 0)::float8 as denied
          from edge_rollup_1h f where ${where} group by 1 order by 1`
      : await sql`
          select (extract(epoch from date_bin(${interval}::interval, f.start_time, 'epoch'::timestamptz)) * 1000)::float8 as "bucketMs",
                 (count(*) filter (where f.verdict = 'allowed'))::float8 as allowed,
                 (count(*) filter (where f.verdict = 'denied'))::float8 as denied
          from flows f where ${where} group by 1 order by 1`;
  }
  const byBucket = new Map(rows.map((row) => [Number(row.bucketMs), row]));
  const buckets: FlowHistogramDto['buckets'] = [];
  let total = 0;
  for (let start = Math.floor(fromMs / bucketMs) * bucketMs; start < toMs; start += bucketMs) {
    const row = byBucket.get(start);
    const allowed = row ? Number(row.allowed) : 0;
    const denied = row ? Number(row.denied) : 0;
    total += allowed + denied;
    buckets.push({ startMs: start, allowed, denied });
  }
  return { fromMs, toMs, bucketMs, buckets, total, source: useRollup ? 'rollup-1h' : 'raw', exact, tookMs: Math.round(performance.now() - started) };
}

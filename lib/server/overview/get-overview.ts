import 'server-only';
import type { OverviewDto } from '../../api/overview';
import { clusterInScope, FULL_SCOPE, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { toOverviewDto, type OverviewRows } from './to-overview-dto';

const HOUR_MS = 60 * 60 * 1000;
const BUCKET_COUNT = 24;
const RECENT_WINDOW_MS = 5 * 60 * 1000;

/**
 * Per-cluster ingest figures for the overview. Reads the rollups only (never raw flows), so the cost
 * does not grow with ingest volume: the hourly rollup for the 24 h chart and totals, the minute rollup
 * for the live rate. Every query groups by cluster_id (Citus-friendly).
 * NOTE: postgres.js returns int8 as a string; counters are cast to float8 (exact up to 2^53) in SQL.
 */
export async function getOverview(options: { nowMs?: number; scope?: DataScope } = {}): Promise<OverviewDto> {
  const sql = getSql();
  // Data scope: a user restricted to some clusters sees only theirs (ingest figures are per cluster).
  const scope = options.scope ?? FULL_SCOPE;
  const nowMs = options.nowMs ?? Date.now();
  // 24 hourly buckets ending with the current (partial) hour.
  const windowStartMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS - (BUCKET_COUNT - 1) * HOUR_MS;
  const windowStart = new Date(windowStartMs);
  // The live rate uses the last 5 complete minutes: the current minute is still filling.
  const recentEndMs = Math.floor(nowMs / 60_000) * 60_000;
  const recentStart = new Date(recentEndMs - RECENT_WINDOW_MS);
  const recentEnd = new Date(recentEndMs);

  const [clusters, buckets, lastSeen, recent, endpoints] = await Promise.all([
    sql<OverviewRows['clusters']>`
      select id, name, display_name as "displayName", flow_format as "flowFormat", created_at as "createdAt"
      from clusters c where ${clusterInScope(sql, scope, 'c.id')} order by name`,
    sql<OverviewRows['buckets']>`
      select cluster_id as "clusterId", bucket, verdict, sum(flows)::float8 as flows
      from edge_rollup_1h
      where bucket >= ${windowStart} and ${clusterInScope(sql, scope, 'cluster_id')}
      group by cluster_id, bucket, verdict`,
    // The newest hour bucket per cluster (an index-only walk of the primary key), then its last_seen.
    sql<OverviewRows['lastSeen']>`
      select c.id as "clusterId",
             (select max(r.last_seen) from edge_rollup_1h r
               where r.cluster_id = c.id
                 and r.bucket = (select max(b.bucket) from edge_rollup_1h b where b.cluster_id = c.id)) as "lastSeen"
      from clusters c where ${clusterInScope(sql, scope, 'c.id')}`,
    sql<OverviewRows['recent']>`
      select cluster_id as "clusterId", sum(flows)::float8 as flows
      from edge_rollup_1m
      where bucket >= ${recentStart} and bucket < ${recentEnd} and ${clusterInScope(sql, scope, 'cluster_id')}
      group by cluster_id`,
    sql<OverviewRows['endpoints']>`
      select cluster_id as "clusterId", count(*)::int as endpoints from endpoints where ${clusterInScope(sql, scope, 'cluster_id')} group by cluster_id`,
  ]);

  return toOverviewDto(
    { clusters, buckets, lastSeen, recent, endpoints },
    { nowMs, windowStartMs, bucketMs: HOUR_MS, bucketCount: BUCKET_COUNT, recentWindowMs: RECENT_WINDOW_MS },
  );
}

import 'server-only';
import type { ClusterOverviewDto, FlowVolumeBucketDto, OverviewDto } from '../../api/overview';

/** Rows as the overview queries return them (postgres.js: bigint → number, timestamptz → Date). */
export interface OverviewRows {
  clusters: { id: number; name: string; displayName: string | null; flowFormat: string | null; createdAt: Date }[];
  buckets: { clusterId: number; bucket: Date; verdict: string; flows: number }[];
  lastSeen: { clusterId: number; lastSeen: Date | null }[];
  recent: { clusterId: number; flows: number }[];
  endpoints: { clusterId: number; endpoints: number }[];
}

export interface OverviewWindow {
  nowMs: number;
  windowStartMs: number;
  bucketMs: number;
  bucketCount: number;
  recentWindowMs: number;
}

/** Maps the overview rows to the DTO: fills missing hours with zeros, sums per cluster and overall. */
export function toOverviewDto(rows: OverviewRows, window: OverviewWindow): OverviewDto {
  const seriesByCluster = new Map<number, FlowVolumeBucketDto[]>();
  for (const cluster of rows.clusters) {
    seriesByCluster.set(
      cluster.id,
      Array.from({ length: window.bucketCount }, (_, index) => ({
        startMs: window.windowStartMs + index * window.bucketMs,
        allowedFlows: 0,
        deniedFlows: 0,
      })),
    );
  }
  for (const row of rows.buckets) {
    const index = Math.floor((row.bucket.getTime() - window.windowStartMs) / window.bucketMs);
    const bucket = seriesByCluster.get(row.clusterId)?.[index];
    if (!bucket) continue; // outside the window or a cluster deleted meanwhile
    // Number(): a driver returning int8/numeric as a string must not turn sums into concatenations.
    if (row.verdict === 'denied') bucket.deniedFlows += Number(row.flows);
    else bucket.allowedFlows += Number(row.flows);
  }
  const lastSeenByCluster = new Map(rows.lastSeen.map((row) => [row.clusterId, row.lastSeen?.getTime() ?? null]));
  const recentByCluster = new Map(rows.recent.map((row) => [row.clusterId, Number(row.flows)]));
  const endpointsByCluster = new Map(rows.endpoints.map((row) => [row.clusterId, Number(row.endpoints)]));
  const recentMinutes = window.recentWindowMs / 60_000;

  const clusters: ClusterOverviewDto[] = rows.clusters.map((cluster) => {
    const series = seriesByCluster.get(cluster.id) ?? [];
    return {
      id: cluster.id,
      name: cluster.name,
      displayName: cluster.displayName,
      flowFormat: cluster.flowFormat,
      createdAtMs: cluster.createdAt.getTime(),
      flowsLast24h: series.reduce((sum, bucket) => sum + bucket.allowedFlows + bucket.deniedFlows, 0),
      deniedFlowsLast24h: series.reduce((sum, bucket) => sum + bucket.deniedFlows, 0),
      flowsPerMinuteLast5m: (recentByCluster.get(cluster.id) ?? 0) / recentMinutes,
      lastFlowSeenMs: lastSeenByCluster.get(cluster.id) ?? null,
      endpointCount: endpointsByCluster.get(cluster.id) ?? 0,
      series,
    };
  });

  const lastSeenValues = clusters.map((cluster) => cluster.lastFlowSeenMs).filter((value): value is number => value !== null);
  return {
    generatedAtMs: window.nowMs,
    windowStartMs: window.windowStartMs,
    windowEndMs: window.windowStartMs + window.bucketCount * window.bucketMs,
    bucketMs: window.bucketMs,
    bucketCount: window.bucketCount,
    totals: {
      clusters: clusters.length,
      flowsLast24h: clusters.reduce((sum, cluster) => sum + cluster.flowsLast24h, 0),
      deniedFlowsLast24h: clusters.reduce((sum, cluster) => sum + cluster.deniedFlowsLast24h, 0),
      flowsPerMinuteLast5m: clusters.reduce((sum, cluster) => sum + cluster.flowsPerMinuteLast5m, 0),
      lastFlowSeenMs: lastSeenValues.length > 0 ? Math.max(...lastSeenValues) : null,
    },
    clusters,
  };
}

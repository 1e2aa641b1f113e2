/** DTO of `GET /api/overview`: per-cluster ingest figures for the last 24 h. All times are epoch ms. */

export interface FlowVolumeBucketDto {
  /** Start of the hour bucket (UTC). */
  startMs: number;
  allowedFlows: number;
  deniedFlows: number;
}

export interface ClusterOverviewDto {
  id: number;
  name: string;
  displayName: string | null;
  /** The format this cluster usually reports (null = auto-detected per line). */
  flowFormat: string | null;
  createdAtMs: number;
  flowsLast24h: number;
  deniedFlowsLast24h: number;
  /** Flows per minute over the last 5 minutes (a live ingest rate). */
  flowsPerMinuteLast5m: number;
  /** The newest flow end seen for this cluster (any age), or null when it never sent one. */
  lastFlowSeenMs: number | null;
  endpointCount: number;
  /** One bucket per hour, oldest first, always `bucketCount` long (missing hours are zero). */
  series: FlowVolumeBucketDto[];
}

export interface OverviewDto {
  /** Server time the figures were computed at; relative times ("12 s ago") are measured from it. */
  generatedAtMs: number;
  windowStartMs: number;
  windowEndMs: number;
  bucketMs: number;
  bucketCount: number;
  totals: {
    clusters: number;
    flowsLast24h: number;
    deniedFlowsLast24h: number;
    flowsPerMinuteLast5m: number;
    lastFlowSeenMs: number | null;
  };
  clusters: ClusterOverviewDto[];
}

'use client';
import { useQuery } from '@tanstack/react-query';
import { overviewQueryOptions } from '@/lib/query/overview';
import { formatCount } from '@/components/ui/format-count';
import { formatRelativeTime } from '@/components/ui/format-relative-time';
import { Stat } from '@/components/ui/stat';
import { ClusterOverviewCard } from './cluster-overview-card';
import { NoClustersYet } from './no-clusters-yet';

/** The overview: totals over all clusters, then one card per cluster. Refreshes every 10 s. */
export function OverviewView(props: { collectorPort: number }) {
  const { data, error, isPending, isRefetchError } = useQuery(overviewQueryOptions());

  if (isPending) {
    return (
      <p className="muted" role="status" data-state="loading">
        Loading the overview…
      </p>
    );
  }
  if (!data) {
    return (
      <div className="error-box" role="alert">
        The overview could not be loaded: {error?.message ?? 'unknown error'}. It will retry automatically.
      </div>
    );
  }

  const { totals } = data;
  const deniedShare = totals.flowsLast24h > 0 ? (totals.deniedFlowsLast24h / totals.flowsLast24h) * 100 : 0;
  return (
    <div data-state="ready" data-testid="overview">
      {isRefetchError ? (
        <div className="error-box" role="status" style={{ marginBottom: 16 }}>
          Refreshing failed ({error?.message}); showing figures from {formatRelativeTime(data.generatedAtMs, Date.now())}.
        </div>
      ) : null}
      <div className="stat-grid" aria-label="Totals over all clusters">
        <Stat label="Clusters" value={formatCount(totals.clusters)} testId="total-clusters" />
        <Stat label="Flows, last 24 h" value={formatCount(totals.flowsLast24h, { compact: true })} note={formatCount(totals.flowsLast24h)} testId="total-flows" />
        <Stat
          label="Denied, last 24 h"
          tone="denied"
          value={formatCount(totals.deniedFlowsLast24h, { compact: true })}
          note={`${deniedShare.toFixed(deniedShare > 0 && deniedShare < 1 ? 2 : 1)} % of flows`}
          testId="total-denied"
        />
        <Stat label="Ingest rate" value={`${formatCount(totals.flowsPerMinuteLast5m, { compact: true })}/min`} note="flows, last 5 min" />
        <Stat
          label="Last flow seen"
          value={totals.lastFlowSeenMs === null ? 'never' : formatRelativeTime(totals.lastFlowSeenMs, data.generatedAtMs)}
          note="any cluster"
        />
      </div>
      {data.clusters.length === 0 ? (
        <NoClustersYet collectorPort={props.collectorPort} />
      ) : (
        <div className="cluster-grid">
          {data.clusters.map((cluster) => (
            <ClusterOverviewCard key={cluster.id} cluster={cluster} overview={data} />
          ))}
        </div>
      )}
    </div>
  );
}

import type { ClusterOverviewDto, OverviewDto } from '@/lib/api/overview';
import { formatCount } from '@/components/ui/format-count';
import { formatRelativeTime } from '@/components/ui/format-relative-time';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { FlowVolumeChart } from './flow-volume-chart';

/** A flow seen within this long counts as "live" (the collector batches for a few seconds). */
const LIVE_WITHIN_MS = 2 * 60 * 1000;

/** One cluster's ingest figures and its 24 h chart. */
export function ClusterOverviewCard(props: { cluster: ClusterOverviewDto; overview: OverviewDto }) {
  const { cluster, overview } = props;
  const lastSeen = cluster.lastFlowSeenMs;
  const live = lastSeen !== null && overview.generatedAtMs - lastSeen <= LIVE_WITHIN_MS;
  const deniedShare = cluster.flowsLast24h > 0 ? (cluster.deniedFlowsLast24h / cluster.flowsLast24h) * 100 : 0;
  return (
    <section
      className="panel cluster-card"
      aria-labelledby={`cluster-${cluster.id}-title`}
      data-testid={`cluster-card-${cluster.name}`}
      data-flows-24h={cluster.flowsLast24h}
    >
      <div className="panel-header">
        <h2 id={`cluster-${cluster.id}-title`}>
          <span
            className={`status-dot ${lastSeen === null ? '' : live ? 'live' : 'stale'}`}
            role="img"
            aria-label={lastSeen === null ? 'no flows yet' : live ? 'receiving flows' : 'no recent flows'}
          />
          {cluster.displayName ?? cluster.name}
          {cluster.displayName ? <span className="muted small mono">{cluster.name}</span> : null}
        </h2>
        <span className="format-tag" title="Flow format this cluster reports">
          {cluster.flowFormat ?? 'auto-detect'}
        </span>
      </div>
      <dl className="cluster-facts">
        <div>
          <dt>Flows, 24 h</dt>
          <dd data-testid="cluster-flows-24h">{formatCount(cluster.flowsLast24h, { compact: true })}</dd>
        </div>
        <div>
          <dt>Denied, 24 h</dt>
          <dd className="denied" data-testid="cluster-denied-24h">
            {formatCount(cluster.deniedFlowsLast24h, { compact: true })}{' '}
            <span className="muted small">({deniedShare.toFixed(deniedShare > 0 && deniedShare < 1 ? 2 : 1)} %)</span>
          </dd>
        </div>
        <div>
          <dt>Rate, last 5 min</dt>
          <dd>{formatCount(cluster.flowsPerMinuteLast5m, { compact: true })} flows/min</dd>
        </div>
        <div>
          <dt>Last flow seen</dt>
          <dd data-testid="cluster-last-flow" title={lastSeen === null ? undefined : formatUtcTime(lastSeen)}>
            {lastSeen === null ? 'never' : formatRelativeTime(lastSeen, overview.generatedAtMs)}
          </dd>
        </div>
      </dl>
      <FlowVolumeChart
        clusterName={cluster.name}
        series={cluster.series}
        windowStartMs={overview.windowStartMs}
        windowEndMs={overview.windowEndMs}
        bucketMs={overview.bucketMs}
      />
      <p className="muted small" style={{ margin: '8px 0 0' }}>
        {formatCount(cluster.endpointCount)} endpoints known · registered {formatUtcTime(cluster.createdAtMs)}
      </p>
    </section>
  );
}

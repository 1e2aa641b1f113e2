import { formatEndpointLabel } from '@/lib/api/endpoint-label';
import type { FlowsSummaryDto } from '@/lib/api/flows-summary';
import { describePolicyKey } from '@/lib/api/policy-key';
import { formatCount } from '@/components/ui/format-count';
import { Panel } from '@/components/ui/panel';

/** Denied flows in the last hour per cluster, and the busiest denied edges with the deciding policy. */
export function FlowsSummaryView(props: { summary: FlowsSummaryDto }) {
  const { summary } = props;
  return (
    <>
      <Panel title="Denied flows, last hour">
        {summary.clusters.length === 0 ? (
          <p className="muted">No clusters yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="denied-per-cluster">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col" className="num">Denied</th>
                  <th scope="col" className="num">Allowed</th>
                  <th scope="col" className="num">Denied share</th>
                </tr>
              </thead>
              <tbody>
                {summary.clusters.map((cluster) => {
                  const total = cluster.allowedFlows + cluster.deniedFlows;
                  return (
                    <tr key={cluster.name}>
                      <th scope="row">{cluster.name}</th>
                      <td className="num">{formatCount(cluster.deniedFlows)}</td>
                      <td className="num">{formatCount(cluster.allowedFlows)}</td>
                      <td className="num">{total > 0 ? `${((cluster.deniedFlows / total) * 100).toFixed(1)} %` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <Panel title="Busiest denied connections, last hour">
        {summary.topDeniedEdges.length === 0 ? (
          <p className="muted">No denied flows in the last hour.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Source</th>
                  <th scope="col">Destination</th>
                  <th scope="col">Port</th>
                  <th scope="col">Denied by</th>
                  <th scope="col" className="num">Flows</th>
                </tr>
              </thead>
              <tbody>
                {summary.topDeniedEdges.map((edge, index) => (
                  <tr key={`${edge.clusterName}-${index}`}>
                    <td>{edge.clusterName}</td>
                    <td className="mono">{formatEndpointLabel(edge.source)}</td>
                    <td className="mono">{formatEndpointLabel(edge.destination)}</td>
                    <td className="mono">
                      {edge.destinationPort ?? '—'}/{edge.protocol}
                    </td>
                    <td>{describePolicyKey(edge.policyKey)}</td>
                    <td className="num">{formatCount(edge.flows)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </>
  );
}

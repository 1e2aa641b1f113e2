import type { GraphSummaryDto } from '@/lib/api/graph-summary';
import { formatCount } from '@/components/ui/format-count';
import { Panel } from '@/components/ui/panel';

/** Graph size per cluster: what the service-dependency graph will show once it lands. */
export function GraphSummaryView(props: { summary: GraphSummaryDto }) {
  return (
    <Panel title="Graph size per cluster">
      {props.summary.clusters.length === 0 ? (
        <p className="muted">No clusters yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col" className="num">Namespaces</th>
                <th scope="col" className="num">Workloads</th>
                <th scope="col" className="num">External peers</th>
                <th scope="col" className="num">All endpoints</th>
                <th scope="col" className="num">Edges, 24 h</th>
                <th scope="col" className="num">Edges with denials, 24 h</th>
              </tr>
            </thead>
            <tbody>
              {props.summary.clusters.map((cluster) => (
                <tr key={cluster.name}>
                  <th scope="row">{cluster.name}</th>
                  <td className="num">{formatCount(cluster.namespaces)}</td>
                  <td className="num">{formatCount(cluster.workloads)}</td>
                  <td className="num">{formatCount(cluster.externalPeers)}</td>
                  <td className="num">{formatCount(cluster.endpoints)}</td>
                  <td className="num">{formatCount(cluster.edgesLast24h)}</td>
                  <td className="num">{formatCount(cluster.deniedEdgesLast24h)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

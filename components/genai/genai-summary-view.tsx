import type { GenaiSummaryDto } from '@/lib/api/genai-summary';
import { formatCount } from '@/components/ui/format-count';
import { Panel } from '@/components/ui/panel';

/** External LLM APIs and model hubs that workloads talk to, found by domain. */
export function GenaiSummaryView(props: { summary: GenaiSummaryDto }) {
  const { summary } = props;
  return (
    <Panel title="External LLM APIs and model hubs seen">
      {summary.endpoints.length === 0 ? (
        <p className="muted">No traffic to a known external LLM API or model hub has been seen.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Domain</th>
                <th scope="col" className="num">Flows, 24 h</th>
                <th scope="col" className="num">Calling endpoints, 24 h</th>
              </tr>
            </thead>
            <tbody>
              {summary.endpoints.map((endpoint) => (
                <tr key={`${endpoint.clusterName}/${endpoint.domain}`}>
                  <td>{endpoint.clusterName}</td>
                  <td className="mono">{endpoint.domain}</td>
                  <td className="num">{formatCount(endpoint.flowsLast24h)}</td>
                  <td className="num">{formatCount(endpoint.sourcesLast24h)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small" style={{ marginBottom: 0 }}>
        Matched by domain only: {summary.domainPatterns.join(', ')}.
      </p>
    </Panel>
  );
}

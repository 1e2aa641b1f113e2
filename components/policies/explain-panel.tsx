'use client';
import { useQuery } from '@tanstack/react-query';
import { describePolicyKey } from '@/lib/api/policy-key';
import { policyExplainQueryOptions, type ExplainParams } from '@/lib/query/policies';
import { formatCount } from '@/components/ui/format-count';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';

/** What the current policies say about one edge and why, next to what the dataplane reported; reached by URL. */
export function ExplainPanel(props: { params: ExplainParams; onClose: () => void }) {
  const query = useQuery(policyExplainQueryOptions(props.params));
  const { params } = props;
  const title = `Why ${params.src} → ${params.dst} ${params.port}/${params.protocol}`;
  return (
    <Panel
      title={title}
      testId="policy-explain"
      actions={
        <button type="button" className="policy-link-button" onClick={props.onClose}>
          Close
        </button>
      }
    >
      {query.isPending ? <p className="muted">Evaluating…</p> : null}
      {query.isError ? <p className="error-box">{query.error.message}</p> : null}
      {query.data ? (
        <div data-state="ready">
          {query.data.mismatch ? (
            <p className="error-box" data-testid="explain-mismatch">
              <strong>Mismatch.</strong> {query.data.mismatch.text}
            </p>
          ) : null}
          <div className="policy-explain-grid">
            <div>
              <h3>The current policies say</h3>
              {query.data.policy ? (
                <>
                  <p>
                    <span className={`policy-verdict policy-verdict-${query.data.policy.verdict}`} data-testid="explain-policy-verdict">
                      {query.data.policy.verdict}
                    </span>
                  </p>
                  <ul className="policy-reasons">
                    <li>
                      <strong>Source egress:</strong> {query.data.policy.egress.text}
                    </li>
                    <li>
                      <strong>Destination ingress:</strong> {query.data.policy.ingress.text}
                    </li>
                  </ul>
                </>
              ) : (
                <p className="muted">Cannot evaluate: {query.data.error}</p>
              )}
            </div>
            <div>
              <h3>The dataplane reported ({formatUtcTime(query.data.fromMs)} – {formatUtcTime(query.data.toMs)})</h3>
              {query.data.observed.length === 0 ? (
                <p className="muted">No flows on this edge in the window.</p>
              ) : (
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">Verdict</th>
                      <th scope="col">Deciding policy (reported)</th>
                      <th scope="col" className="num">Flows</th>
                      <th scope="col">Last seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    {query.data.observed.map((row) => (
                      <tr key={`${row.verdict}|${row.policyKey}`}>
                        <td><span className={`policy-verdict policy-verdict-${row.verdict}`}>{row.verdict}</span></td>
                        <td>{row.policyKey ? describePolicyKey(row.policyKey) : <span className="muted">none reported</span>}</td>
                        <td className="num">{formatCount(row.flows)}</td>
                        <td>{formatUtcTime(row.lastSeenMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
        </div>
      ) : null}
    </Panel>
  );
}

'use client';
import { useQuery } from '@tanstack/react-query';
import type { GraphEdge, GraphNode } from '@/core/graph';
import { edgeDetailQueryOptions, nodeDetailQueryOptions, type GraphFilterParams } from '@/lib/query/graph';
import { formatCount } from '@/components/ui/format-count';
import { BYTES_NOT_REPORTED, bytesNotReported, formatBytes } from '@/components/ui/format-bytes';

function flowsHref(link: Record<string, string>): string {
  return `/flows?${new URLSearchParams(link)}`;
}

function PanelState(props: { isPending: boolean; error: Error | null }) {
  if (props.isPending) return <p className="muted" role="status">Loading details…</p>;
  return <div className="error-box" role="alert">Details could not be loaded: {props.error?.message ?? 'unknown error'}</div>;
}

export function EdgePanel(props: { filter: GraphFilterParams; edge: GraphEdge; sourceLabel: string; targetLabel: string; onClose: () => void }) {
  const { data, isPending, error } = useQuery(edgeDetailQueryOptions(props.filter, props.edge.source, props.edge.target));
  const { edge } = props;
  return (
    <aside className="graph-panel" aria-label="Edge details" data-testid="graph-edge-panel">
      <div className="graph-panel-header">
        <h2>
          {props.sourceLabel} → {props.targetLabel}
        </h2>
        <button type="button" className="graph-button" onClick={props.onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      <p className="muted small mono">{edge.cluster}</p>
      <dl className="graph-facts">
        <dt>Flows</dt>
        <dd>{formatCount(edge.flows)}</dd>
        <dt>Allowed</dt>
        <dd>{formatCount(edge.allowedFlows)}</dd>
        <dt>Denied</dt>
        <dd className={edge.deniedFlows > 0 ? 'denied' : undefined}>{formatCount(edge.deniedFlows)}</dd>
        <dt>Connections</dt>
        <dd>{formatCount(edge.connections)}</dd>
        <dt>Bytes out / in</dt>
        <dd>
          {bytesNotReported(edge) ? BYTES_NOT_REPORTED : `${formatBytes(edge.bytesOut)} / ${formatBytes(edge.bytesIn)}`}
        </dd>
        {edge.pendingDeniedFlows > 0 ? (
          <>
            <dt>Staged would deny</dt>
            <dd className="denied">{formatCount(edge.pendingDeniedFlows)}</dd>
          </>
        ) : null}
      </dl>
      {!data ? (
        <PanelState isPending={isPending} error={error} />
      ) : (
        <>
          <h3>Ports</h3>
          <table className="data graph-table">
            <thead>
              <tr>
                <th>Port</th>
                <th className="num">Allowed</th>
                <th className="num">Denied</th>
                <th className="num">Bytes</th>
              </tr>
            </thead>
            <tbody>
              {data.ports.map((port) => (
                <tr key={`${port.port}/${port.protocol}`}>
                  <td className="mono">
                    {port.port ?? '–'}/{port.protocol}
                  </td>
                  <td className="num">{formatCount(port.allowedFlows)}</td>
                  <td className="num">{formatCount(port.deniedFlows)}</td>
                  <td className="num">{bytesNotReported(edge) ? '—' : formatBytes(port.bytesOut + port.bytesIn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Policy trace</h3>
          <ul className="graph-policy-list" data-testid="graph-policy-trace">
            {data.policies.map((policy) => (
              <li key={`${policy.verdict}|${policy.key}|${policy.pendingVerdict}`} className={policy.verdict === 'denied' ? 'is-denied' : undefined}>
                <span>{policy.text}</span>
                <span className="muted small">
                  {' '}
                  — {formatCount(policy.flows)} flows{policy.pendingVerdict ? `; staged: would be ${policy.pendingVerdict}` : ''}
                </span>
              </li>
            ))}
          </ul>
          <h3>Evidence flows</h3>
          {data.evidence.length === 0 ? (
            <p className="muted small">No raw flows kept for this edge in the window.</p>
          ) : (
            <ol className="graph-evidence" data-testid="graph-evidence">
              {data.evidence.map((flow) => (
                <li key={flow.id} data-verdict={flow.verdict}>
                  <div className="mono small">
                    {new Date(flow.startMs).toISOString().replace('T', ' ').slice(0, 19)} · {flow.port ?? '–'}/{flow.protocol} ·{' '}
                    <strong className={flow.verdict === 'denied' ? 'denied' : undefined}>{flow.verdict}</strong>
                  </div>
                  <div className="small">
                    {flow.source} ({flow.sourceIp ?? '?'}) → {flow.destination} ({flow.destinationIp ?? '?'})
                  </div>
                  {flow.policyTrace.map((line, index) => (
                    <div key={index} className="small muted">
                      {line}
                    </div>
                  ))}
                </li>
              ))}
            </ol>
          )}
          <p>
            <a href={flowsHref(data.flowsLink)} data-testid="graph-flows-link">
              Open these flows in the flow explorer →
            </a>
          </p>
        </>
      )}
    </aside>
  );
}

export function NodePanel(props: { filter: GraphFilterParams; node: GraphNode; onClose: () => void; onSelectEdge: (id: string) => void }) {
  const { node } = props;
  const isGrouped = node.externalGroup !== null;
  const { data, isPending, error } = useQuery({ ...nodeDetailQueryOptions(props.filter, node.id), enabled: !isGrouped || node.kind !== 'unknown' });
  return (
    <aside className="graph-panel" aria-label="Node details" data-testid="graph-node-panel">
      <div className="graph-panel-header">
        <h2>{node.label}</h2>
        <button type="button" className="graph-button" onClick={props.onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      <p className="muted small mono">{node.id}</p>
      <dl className="graph-facts">
        <dt>Kind</dt>
        <dd>{node.workloadKind ?? node.kind}</dd>
        <dt>Flows</dt>
        <dd>{formatCount(node.flows)}</dd>
        <dt>Denied</dt>
        <dd className={node.deniedFlows > 0 ? 'denied' : undefined}>{formatCount(node.deniedFlows)}</dd>
        {node.kind === 'namespace' ? (
          <>
            <dt>Workloads</dt>
            <dd>{node.workloadCount}</dd>
          </>
        ) : null}
      </dl>
      {node.unprotected ? (
        <p className="graph-warning" data-testid="graph-unprotected-note">
          {node.kind === 'namespace' ? `${node.unprotectedCount} workload(s) here are` : 'This workload is'} unprotected: no NetworkPolicy selects{' '}
          {node.kind === 'namespace' ? 'them' : 'it'}, so all traffic to and from it is allowed.
        </p>
      ) : null}
      {node.members.length > 0 ? (
        <>
          <h3>{isGrouped ? 'Addresses' : 'Pods'} ({node.memberCount})</h3>
          <ul className="graph-members mono small">
            {node.members.map((member) => (
              <li key={`${member.ip}|${member.domain}|${member.name}`}>{[member.domain, member.name !== node.name ? member.name : null, member.ip].filter(Boolean).join(' · ')}</li>
            ))}
          </ul>
          {node.memberCount > node.members.length ? <p className="muted small">and {node.memberCount - node.members.length} more</p> : null}
        </>
      ) : null}
      {!data ? (
        <PanelState isPending={isPending} error={error} />
      ) : (
        <>
          {data.images.length > 0 ? (
            <>
              <h3>Images</h3>
              <ul className="mono small graph-members">
                {data.images.map((image) => (
                  <li key={image}>{image}</li>
                ))}
              </ul>
            </>
          ) : null}
          {Object.keys(data.labels).length > 0 ? (
            <>
              <h3>Labels</h3>
              <ul className="graph-labels">
                {Object.entries(data.labels).map(([key, value]) => (
                  <li key={key} className="mono small">
                    {key}={value}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {node.externalGroup === null ? (
            <>
              <h3>Policies selecting it</h3>
              {data.policies === null ? (
                <p className="muted small">No inventory uploaded for this cluster: coverage unknown.</p>
              ) : data.policies.length === 0 ? (
                <p className="small graph-none" data-testid="graph-node-policies-none">
                  none
                </p>
              ) : (
                <ul className="small">
                  {data.policies.map((policy) => (
                    <li key={`${policy.kind}|${policy.namespace}|${policy.name}|${policy.direction}`}>
                      {policy.kind} <code>{policy.namespace ? `${policy.namespace}/${policy.name}` : policy.name}</code> ({policy.direction})
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : null}
          <h3>Traffic</h3>
          <table className="data graph-table">
            <thead>
              <tr>
                <th>Peer</th>
                <th className="num">Allowed</th>
                <th className="num">Denied</th>
              </tr>
            </thead>
            <tbody>
              {data.edges.map((edge) => (
                <tr key={edge.edgeId}>
                  <td>
                    <button type="button" className="graph-link-button" onClick={() => props.onSelectEdge(edge.edgeId)}>
                      {edge.direction === 'out' ? '→' : '←'} {edge.peerLabel}
                    </button>
                    <div className="muted small mono">{edge.ports.slice(0, 4).join(', ')}</div>
                  </td>
                  <td className="num">{formatCount(edge.allowedFlows)}</td>
                  <td className={edge.deniedFlows > 0 ? 'num denied' : 'num'}>{formatCount(edge.deniedFlows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a href={flowsHref(data.flowsLink)}>Open its flows in the flow explorer →</a>
          </p>
        </>
      )}
    </aside>
  );
}

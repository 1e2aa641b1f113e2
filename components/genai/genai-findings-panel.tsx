'use client';
import Link from 'next/link';
import { GENAI_FINDING_KINDS, type GenAiFindingDto, type GenAiFindingKind, type GenAiFindingsDto, type GenAiSeverity } from '@/lib/api/genai';
import { formatCount } from '@/components/ui/format-count';
import { Panel } from '@/components/ui/panel';
import { GenAiNodeChip } from './genai-node-chip';
import type { GenAiViewState } from './genai-url-state';

const SEVERITIES: readonly GenAiSeverity[] = ['critical', 'high', 'medium', 'low'];
const KIND_WORDS: Record<GenAiFindingKind, string> = {
  'sensitive-data-to-external-llm': 'sensitive data → external LLM',
  'genai-exposed': 'exposed backend',
  'genai-unprotected': 'no policy',
  'model-pull': 'runtime model pull',
  'denied-attempt': 'denied attempts',
  'new-sensitive-edge': 'new edge to sensitive store',
  'llm-egress-spike': 'LLM egress spike',
};

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

function FindingEvidence(props: { finding: GenAiFindingDto; data: GenAiFindingsDto }) {
  const label = (id: string): string => props.data.nodes[id]?.label ?? id;
  const edges = props.finding.evidence.flatMap((entry) => (entry.kind === 'edge' ? [entry.edge] : []));
  const others = props.finding.evidence.filter((entry) => entry.kind !== 'edge');
  return (
    <details className="genai-details">
      <summary>Evidence ({props.finding.evidence.length})</summary>
      {edges.length > 0 ? (
        <table className="genai-evidence">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th>Port</th>
              <th>Verdict</th>
              <th>Flows</th>
              <th>Policy</th>
            </tr>
          </thead>
          <tbody>
            {edges.slice(0, 20).map((edge, index) => (
              <tr key={index}>
                <td>{label(edge.sourceNodeId)}</td>
                <td>{label(edge.destinationNodeId)}</td>
                <td>
                  {edge.destinationPort ?? '-'}/{edge.protocol}
                </td>
                <td>{edge.verdict}</td>
                <td>{formatCount(edge.flows)}</td>
                <td>{edge.policies.length > 0 ? edge.policies.map((policy) => `${policy.action} ${policy.kind} ${policy.namespace ? `${policy.namespace}/` : ''}${policy.name}`).join(', ') : 'no policy'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {others.length > 0 ? (
        <ul className="genai-component-evidence">
          {others.map((entry, index) => (
            <li key={index}>
              {entry.kind === 'role'
                ? `${label(entry.nodeId)} is ${entry.role} (confidence ${Math.round(entry.confidence * 100)} %)`
                : entry.kind === 'sensitivity'
                  ? `${label(entry.nodeId)} holds ${entry.level}${entry.tags.length > 0 ? ` ${entry.tags.join('/').toUpperCase()}` : ''} data`
                  : entry.kind === 'coverage'
                    ? `${label(entry.nodeId)}: ingress ${entry.ingressGoverned ? 'governed' : 'not governed by any policy'}, egress ${entry.egressGoverned ? 'governed' : 'not governed'}`
                    : entry.kind === 'baseline'
                      ? `${formatCount(entry.bytesOut)} bytes on the day against a median of ${formatCount(Math.round(entry.baselineBytesPerDay))} over ${entry.baselineDays} days`
                      : null}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

/** Findings sorted by severity, with severity and kind filters; each links to the graph (path highlighted) and to its flows. */
export function GenAiFindingsPanel(props: { data: GenAiFindingsDto; state: GenAiViewState; onChange: (state: GenAiViewState) => void }) {
  const { data, state } = props;
  const kinds = GENAI_FINDING_KINDS.filter((kind) => (data.counts.byKind[kind] ?? 0) > 0 || state.kind.includes(kind));
  return (
    <Panel title={`Findings (${data.findings.length}${data.findings.length !== data.counts.total ? ` of ${data.counts.total}` : ''})`} testId="genai-findings">
      <div className="genai-chip-row" role="group" aria-label="Filter by severity">
        {SEVERITIES.map((severity) => (
          <button
            key={severity}
            type="button"
            className="genai-chip"
            aria-pressed={state.severity.includes(severity)}
            onClick={() => props.onChange({ ...state, severity: toggle(state.severity, severity) })}
          >
            {severity} ({data.counts.bySeverity[severity]})
          </button>
        ))}
      </div>
      {kinds.length > 0 ? (
        <div className="genai-chip-row" role="group" aria-label="Filter by kind">
          {kinds.map((kind) => (
            <button key={kind} type="button" className="genai-chip" aria-pressed={state.kind.includes(kind)} onClick={() => props.onChange({ ...state, kind: toggle(state.kind, kind) })}>
              {KIND_WORDS[kind]} ({data.counts.byKind[kind] ?? 0})
            </button>
          ))}
        </div>
      ) : null}
      {data.findings.length === 0 ? (
        <p className="muted">{data.counts.total === 0 ? 'No GenAI findings in this window.' : 'No findings match these filters.'}</p>
      ) : (
        data.findings.map((finding) => (
          <article key={`${finding.cluster}:${finding.id}`} className="genai-finding" data-testid="genai-finding" data-kind={finding.kind} data-severity={finding.severity}>
            <div className="genai-finding-head">
              <span className="genai-severity" data-severity={finding.severity}>
                {finding.severity}
              </span>
              <span className="genai-finding-title">{finding.title}</span>
              <span className="muted small">
                {finding.cluster} · {KIND_WORDS[finding.kind]}
              </span>
            </div>
            <p>{finding.explanation}</p>
            <div className="genai-chain" aria-label="Path">
              {finding.path.map((id, index) => (
                <div key={id} style={{ display: 'flex', alignItems: 'center' }}>
                  {index > 0 ? <span className="muted" style={{ padding: '0 6px' }}>→</span> : null}
                  <GenAiNodeChip id={id} node={data.nodes[id]} />
                </div>
              ))}
            </div>
            <div className="genai-links">
              <Link href={finding.graphHref} data-testid="genai-finding-graph-link">
                Show on the graph
              </Link>
              {finding.flowsHref ? (
                <Link href={finding.flowsHref} data-testid="genai-finding-flows-link">
                  Evidence flows
                </Link>
              ) : null}
            </div>
            <FindingEvidence finding={finding} data={data} />
          </article>
        ))
      )}
    </Panel>
  );
}

'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { POLICY_RANGES, type PolicyRange, type RecommendedRuleDto } from '@/lib/api/policies';
import { policyRecommendationQueryOptions, recommendationSearch } from '@/lib/query/policies';
import { formatCount } from '@/components/ui/format-count';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';

function RuleRows(props: { rules: RecommendedRuleDto[] }) {
  return (
    <>
      {props.rules.map((rule) => (
        <tr key={`${rule.direction}|${rule.index}`} data-testid="recommendation-rule">
          <td>{rule.direction === 'Ingress' ? 'from' : 'to'}</td>
          <th scope="row" className="mono">{rule.peer}</th>
          <td className="mono">{rule.ports.map((port) => `${port.protocol}/${port.port}`).join(', ')}</td>
          <td className="num">{formatCount(rule.flows)}</td>
          <td>{formatUtcTime(rule.lastSeenMs)}</td>
          <td className="small mono">{[...new Set(rule.evidence.flatMap((entry) => entry.examples))].slice(0, 4).join(', ')}</td>
        </tr>
      ))}
    </>
  );
}

/** The least-privilege NetworkPolicy for a workload or namespace, from observed traffic, with its evidence. */
export function RecommendationPanel(props: {
  cluster: string;
  target: string | null;
  range: PolicyRange;
  workloads: string[];
  onChange: (patch: { recommend?: string | null; recommendRange?: PolicyRange }) => void;
}) {
  const [copied, setCopied] = useState(false);
  const enabled = props.target !== null && props.target !== '';
  const query = useQuery({ ...policyRecommendationQueryOptions({ cluster: props.cluster, target: props.target ?? '', range: props.range }), enabled });
  const namespaces = [...new Set(props.workloads.map((workload) => workload.split('/')[0] ?? ''))].sort();
  const downloadHref = enabled ? `/api/policies/recommendation?${recommendationSearch({ cluster: props.cluster, target: props.target ?? '', range: props.range })}&format=yaml` : undefined;
  const copy = async () => {
    if (!query.data) return;
    await navigator.clipboard.writeText(query.data.yaml).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Panel title="Least-privilege recommendation from observed traffic" testId="policy-recommendation">
      <div className="policy-toolbar">
        <label className="policy-field">
          Workload or namespace
          <select value={props.target ?? ''} onChange={(event) => props.onChange({ recommend: event.target.value || null })} data-testid="recommend-target">
            <option value="">choose…</option>
            <optgroup label="Workloads">
              {props.workloads.map((workload) => (
                <option key={workload} value={workload}>
                  {workload}
                </option>
              ))}
            </optgroup>
            <optgroup label="Whole namespace (one policy per workload)">
              {namespaces.map((namespace) => (
                <option key={namespace} value={`ns:${namespace}`}>
                  {namespace}/*
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="policy-field">
          From traffic of
          <select value={props.range} onChange={(event) => props.onChange({ recommendRange: event.target.value as PolicyRange })}>
            {POLICY_RANGES.map((range) => (
              <option key={range} value={range}>
                last {range}
              </option>
            ))}
          </select>
        </label>
        {query.data ? (
          <>
            <a className="policy-button" href={downloadHref} download={query.data.fileName} data-testid="recommend-download">
              Download YAML
            </a>
            <button type="button" className="policy-button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </>
        ) : null}
      </div>
      {!enabled ? <p className="muted">Pick a workload: the policy allows exactly the traffic observed as allowed in the window, nothing else.</p> : null}
      {enabled && query.isPending ? <p className="muted">Building the policy…</p> : null}
      {query.isError ? <p className="error-box">{query.error.message}</p> : null}
      {query.data ? (
        <div className="policy-recommendation" data-state="ready">
          <pre className="policy-yaml" data-testid="recommend-yaml">{query.data.yaml}</pre>
          <div>
            {query.data.recommendations.map((recommendation) => (
              <div key={recommendation.workload} className="policy-evidence">
                <h3>
                  {recommendation.policyName} <span className="muted small">selects {Object.entries(recommendation.podSelector).map(([key, value]) => `${key}=${value}`).join(', ')}</span>
                </h3>
                <div className="table-scroll">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">Dir.</th>
                      <th scope="col">Peer</th>
                      <th scope="col">Ports</th>
                      <th scope="col" className="num">Flows</th>
                      <th scope="col">Last seen</th>
                      <th scope="col">Evidence</th>
                    </tr>
                  </thead>
                  <tbody>
                    <RuleRows rules={recommendation.ingress} />
                    <RuleRows rules={recommendation.egress} />
                  </tbody>
                </table>
                </div>
                {recommendation.ingress.length + recommendation.egress.length === 0 ? <p className="muted small">No allowed traffic observed: the policy denies everything.</p> : null}
                {recommendation.excluded.length > 0 ? (
                  <p className="muted small">
                    Not allowed by this policy:{' '}
                    {recommendation.excluded
                      .map((entry) => `${entry.direction === 'Ingress' ? 'from' : 'to'} ${entry.peer} ${entry.protocol}${entry.port !== null ? `/${entry.port}` : ''} (${formatCount(entry.flows)} flows, ${entry.reason.replace(/-/g, ' ')})`)
                      .join('; ')}
                  </p>
                ) : null}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </Panel>
  );
}

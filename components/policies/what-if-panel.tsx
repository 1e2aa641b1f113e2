'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { MAX_PROPOSAL_BYTES, POLICY_RANGES, type PolicyRange, type WhatIfDto } from '@/lib/api/policies';
import { policyKeys, runWhatIfRequest } from '@/lib/query/policies';
import { formatCount } from '@/components/ui/format-count';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';

const EXAMPLE = `# e.g. default deny for the llm namespace
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: llm
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

function Verdict(props: { verdict: 'allowed' | 'denied' }) {
  return <span className={`policy-verdict policy-verdict-${props.verdict}`}>{props.verdict}</span>;
}

function Results(props: { result: WhatIfDto; explainHref: (source: string, destination: string, port: number, protocol: string) => string | null }) {
  const { result } = props;
  const skipped = Object.entries(result.skipped);
  return (
    <div data-testid="what-if-results" data-state="ready">
      {result.errors.length > 0 ? (
        <div className="error-box policy-errors" data-testid="what-if-errors">
          <strong>{result.errors.length} document(s) skipped; the rest of the proposal applies.</strong>
          <ul>
            {result.errors.map((error, index) => (
              <li key={index}>
                {error.file}, document {error.document}
                {error.object ? ` (${error.object})` : ''}
                {error.field ? `, field ${error.field}` : ''}: {error.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p data-testid="what-if-summary">
        {result.proposedPolicies.length} proposed {result.proposedPolicies.length === 1 ? 'policy' : 'policies'} ({result.mode === 'merge' ? 'added to the current set' : 'replacing the current set'}) replayed over {formatCount(result.evaluatedFlows)} flows on {formatCount(result.evaluatedEdges)} endpoint pairs, {formatUtcTime(result.fromMs)} – {formatUtcTime(result.toMs)} ({result.rollup} rollup, {result.tookMs} ms):{' '}
        <strong className="policy-denied-text">{formatCount(result.newlyDeniedFlows)} flows would be denied</strong>, <strong>{formatCount(result.newlyAllowedFlows)} would be allowed</strong> that are not today, on{' '}
        <span data-testid="what-if-changed-count">{result.changedTotal}</span> edges.
        {skipped.length > 0 ? <span className="muted"> Not judged: {skipped.map(([reason, entry]) => `${formatCount(entry.flows)} flows (${reason})`).join(', ')}.</span> : null}
      </p>
      {result.changed.length === 0 ? (
        <p className="muted">No stored flow would change verdict.</p>
      ) : (
        <div className="table-scroll">
          <table className="data" data-testid="what-if-table">
            <thead>
              <tr>
                <th scope="col">Edge</th>
                <th scope="col">Today → proposed</th>
                <th scope="col" className="num">Flows</th>
                <th scope="col">Deciding rule (proposed)</th>
                <th scope="col">Examples</th>
              </tr>
            </thead>
            <tbody>
              {result.changed.map((edge) => {
                const href = props.explainHref(edge.source, edge.destination, edge.port, edge.protocol);
                return (
                  <tr key={edge.key} data-testid="what-if-edge" data-edge={edge.edgeId} data-after={edge.after.verdict}>
                    <th scope="row">
                      <span className="mono">{edge.source} → {edge.destination}</span>
                      <div className="muted small">
                        {edge.protocol}/{edge.port}
                        {href ? (
                          <>
                            {' · '}
                            <a href={href}>why today</a>
                          </>
                        ) : null}
                      </div>
                    </th>
                    <td>
                      <Verdict verdict={edge.before.verdict} /> → <Verdict verdict={edge.after.verdict} />
                    </td>
                    <td className="num">
                      {formatCount(edge.flows)}
                      <div className="muted small">last {formatUtcTime(edge.lastSeenMs)}</div>
                    </td>
                    <td className="small">{edge.after.decidingText}</td>
                    <td className="small">
                      {edge.examples.map((example, index) => (
                        <div key={index} className="mono">
                          {example.source} → {example.destination}: {formatCount(example.flows)} ({example.observedVerdict})
                        </div>
                      ))}
                      {edge.pairs > edge.examples.length ? <div className="muted">+{edge.pairs - edge.examples.length} more pairs</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {result.changedTotal > result.changed.length ? <p className="muted small">Showing {result.changed.length} of {result.changedTotal} edges.</p> : null}
        </div>
      )}
    </div>
  );
}

/** Paste or upload a proposed policy set, pick a window, and see which stored flows would change verdict. */
export function WhatIfPanel(props: {
  cluster: string;
  range: PolicyRange;
  mode: 'merge' | 'replace';
  onChange: (patch: { range?: PolicyRange; mode?: 'merge' | 'replace' }) => void;
  explainHref: (source: string, destination: string, port: number, protocol: string) => string | null;
}) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<{ name: string; text: string }[]>([]);
  const [saveAs, setSaveAs] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: runWhatIfRequest,
    onSuccess: (result) => {
      if (result.proposalId) void queryClient.invalidateQueries({ queryKey: policyKeys.proposals(props.cluster) });
    },
  });
  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const list = [...(event.target.files ?? [])];
    const tooLarge = list.find((file) => file.size > MAX_PROPOSAL_BYTES);
    if (tooLarge) {
      setFileError(`${tooLarge.name} is over ${MAX_PROPOSAL_BYTES / 1024} KiB.`);
      return;
    }
    setFileError(null);
    setFiles(await Promise.all(list.map(async (file) => ({ name: file.name, text: await file.text() }))));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const all = [...(text.trim() !== '' ? [{ name: 'pasted.yaml', text }] : []), ...files];
    if (all.length === 0) {
      setFileError('Paste YAML or choose a file first.');
      return;
    }
    mutation.mutate({ cluster: props.cluster, range: props.range, mode: props.mode, files: all, ...(saveAs.trim() !== '' ? { saveAs: saveAs.trim() } : {}) });
  };
  return (
    <Panel title="What-if: replay stored traffic against a proposed policy set" testId="policy-what-if">
      <form onSubmit={submit} className="policy-form">
        <label className="policy-field policy-field-wide">
          Proposed policies (YAML, several documents separated by ---)
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={10} spellCheck={false} placeholder={EXAMPLE} data-testid="what-if-yaml" />
        </label>
        <div className="policy-toolbar">
          <label className="policy-field">
            Or upload files
            <input type="file" accept=".yaml,.yml,.json,text/yaml,application/json" multiple onChange={(event) => void onFiles(event)} data-testid="what-if-file" />
          </label>
          <label className="policy-field">
            Window
            <select value={props.range} onChange={(event) => props.onChange({ range: event.target.value as PolicyRange })} data-testid="what-if-range">
              {POLICY_RANGES.map((range) => (
                <option key={range} value={range}>
                  last {range}
                </option>
              ))}
            </select>
          </label>
          <label className="policy-field">
            Apply as
            <select value={props.mode} onChange={(event) => props.onChange({ mode: event.target.value as 'merge' | 'replace' })} data-testid="what-if-mode">
              <option value="merge">added to the current policies (same name replaces)</option>
              <option value="replace">replace all current policies</option>
            </select>
          </label>
          <label className="policy-field">
            Save proposal as (optional)
            <input type="text" value={saveAs} onChange={(event) => setSaveAs(event.target.value)} maxLength={120} placeholder="name" />
          </label>
          <button type="submit" className="policy-button-primary" disabled={mutation.isPending} data-testid="what-if-run">
            {mutation.isPending ? 'Replaying…' : 'Run what-if'}
          </button>
        </div>
        {files.length > 0 ? <p className="muted small">Files: {files.map((file) => file.name).join(', ')}</p> : null}
        {fileError ? <p className="field-error">{fileError}</p> : null}
      </form>
      {mutation.isError ? <p className="error-box">{mutation.error.message}</p> : null}
      {mutation.data ? <Results result={mutation.data} explainHref={props.explainHref} /> : null}
    </Panel>
  );
}

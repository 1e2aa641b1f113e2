'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { flowDetailQueryOptions } from '@/lib/query/flows';
import { BYTES_NOT_REPORTED, bytesNotReported, formatBytes } from '@/components/ui/format-bytes';
import { endpointText } from './flow-columns';
import { VerdictBadge } from './verdict-badge';

/** Backticks in the describer's sentences become <code>. */
function Words(props: { text: string }) {
  return (
    <>
      {props.text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : <span key={index}>{part}</span>))}
    </>
  );
}

/** The selected flow: trace in words, the policy engine's view, links, the full record and the raw line. */
export function FlowDetailDrawer(props: { flowRef: string; onClose: () => void }) {
  const [clusterText = '', flowId = '', startText = ''] = props.flowRef.split(':');
  const clusterId = Number(clusterText);
  const startMs = Number(startText);
  const valid = Number.isInteger(clusterId) && /^\d+$/.test(flowId) && Number.isFinite(startMs);
  const detail = useQuery({ ...flowDetailQueryOptions(clusterId, flowId, startMs), enabled: valid });
  const closeRef = useRef<HTMLButtonElement>(null);
  const { onClose } = props;
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const data = detail.data;
  return (
    <aside className="flow-drawer" aria-label="Flow detail" data-testid="flow-drawer" data-state={data ? 'ready' : detail.isError ? 'error' : 'loading'}>
      <div className="flow-drawer-header">
        <h2>Flow detail</h2>
        <button ref={closeRef} type="button" className="button-quiet-dark" onClick={onClose} aria-label="Close flow detail">Close ✕</button>
      </div>
      {!valid ? <p className="error-box">This link does not name a flow.</p> : null}
      {detail.isError ? <p className="error-box">{detail.error.message}</p> : null}
      {detail.isPending && valid ? <p className="muted">Loading the flow…</p> : null}
      {data ? (
        <div className="flow-drawer-body">
          <p className="flow-drawer-edge">
            <strong className="mono">{endpointText(data.row.source)}</strong> → <strong className="mono">{endpointText(data.row.destination)}</strong>{' '}
            <span className="mono">{data.row.port ?? '—'}/{data.row.protocol}</span> <VerdictBadge verdict={data.row.verdict} />
          </p>
          <p className="muted small">
            {new Date(data.row.startMs).toISOString().replace('T', ' ').slice(0, 23)} UTC · {data.row.cluster} · reported by the {data.row.reporter} · {data.row.format}
            {data.row.dropReason ? ` · drop reason ${data.row.dropReason}` : ''}
          </p>
          <section aria-labelledby="trace-heading">
            <h3 id="trace-heading">Why</h3>
            <p className={`trace-summary verdict-text-${data.row.verdict}`} data-testid="trace-summary">
              <Words text={data.trace.summary} />
            </p>
            {/* One hit is already the summary; the steps matter when several tiers passed or logged first. */}
            {data.trace.steps.length > 1 ? (
              <ol className="trace-steps">
                {data.trace.steps.map((step, index) => (
                  <li key={index}><Words text={step} /></li>
                ))}
              </ol>
            ) : null}
            {data.pendingTrace ? (
              <p className="small"><strong>Staged policies:</strong> <Words text={data.pendingTrace.summary} /></p>
            ) : null}
          </section>
          <section aria-labelledby="engine-heading">
            <h3 id="engine-heading">Policy engine</h3>
            {data.engine ? (
              <div data-testid="engine-explanation">
                {data.engine.mismatch ? (
                  <p className="notice-inline" role="status">
                    Mismatch: the uploaded policies compute <strong>{data.engine.verdict}</strong> but the dataplane reported <strong>{data.row.verdict}</strong> — policies changed since, or the inventory is stale.
                  </p>
                ) : null}
                <p>{data.engine.explanation}</p>
                <p className="muted small">Evaluated against the inventory of {new Date(data.engine.snapshotTakenAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC.</p>
              </div>
            ) : (
              <p className="muted small">No policies uploaded for this cluster: upload an inventory to compare what the policies compute with what was observed.</p>
            )}
          </section>
          <section aria-labelledby="links-heading">
            <h3 id="links-heading">Go to</h3>
            <ul className="link-list">
              <li><Link href={data.links.graph}>This edge on the graph</Link></li>
              {data.links.sourceCoverage ? <li><Link href={data.links.sourceCoverage}>Policy coverage of the source workload</Link></li> : null}
              {data.links.destinationCoverage ? <li><Link href={data.links.destinationCoverage}>Policy coverage of the destination workload</Link></li> : null}
            </ul>
          </section>
          <section aria-labelledby="counters-heading">
            <h3 id="counters-heading">Counters</h3>
            <dl className="facts">
              <dt>Bytes out / in</dt><dd>{bytesNotReported(data.row) ? BYTES_NOT_REPORTED : `${formatBytes(data.row.bytesOut)} / ${formatBytes(data.row.bytesIn)}`}</dd>
              <dt>Packets out / in</dt><dd>{data.row.packetsOut} / {data.row.packetsIn}</dd>
              <dt>Connections</dt><dd>{data.row.connections}</dd>
              <dt>In totals</dt><dd>{data.row.counted ? 'yes' : 'no (second report of a connection)'}</dd>
            </dl>
          </section>
          <section aria-labelledby="raw-heading">
            <h3 id="raw-heading">Original line</h3>
            {data.rawLine ? <pre className="raw-line" data-testid="raw-line">{data.rawLine}</pre> : <p className="muted small">The original line is not kept for this flow.</p>}
          </section>
          <details>
            <summary>Canonical record (JSON)</summary>
            <pre className="raw-line">{JSON.stringify(data.record, null, 2)}</pre>
          </details>
        </div>
      ) : null}
    </aside>
  );
}

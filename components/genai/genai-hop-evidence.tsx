'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { genAiEvidenceQueryOptions, type GenAiFilterParams } from '@/lib/query/genai';
import { formatCount } from '@/components/ui/format-count';
import { formatUtcTime } from '@/components/ui/format-utc-time';

/** The newest flows of one hop, loaded when opened. */
export function GenAiHopEvidence(props: { params: GenAiFilterParams; source: string; target: string }) {
  const { data, error, isPending } = useQuery(genAiEvidenceQueryOptions(props.params, props.source, props.target, 'allowed'));
  if (isPending) return <p className="muted small">Loading evidence flows…</p>;
  if (!data) return <p className="field-error">Evidence could not be loaded: {error?.message}</p>;
  return (
    <div data-testid="genai-hop-evidence">
      {data.flows.length === 0 ? (
        <p className="muted small">No raw flows kept for this hop in the window (the rollups still count them).</p>
      ) : (
        <table className="genai-evidence">
          <thead>
            <tr>
              <th>Start (UTC)</th>
              <th>From</th>
              <th>To</th>
              <th>Port</th>
              <th>Bytes out</th>
              <th>Policy trace</th>
            </tr>
          </thead>
          <tbody>
            {data.flows.map((flow) => (
              <tr key={flow.id}>
                <td>{formatUtcTime(flow.startMs)}</td>
                <td>{flow.source}</td>
                <td>{flow.destination}</td>
                <td>
                  {flow.port ?? '-'}/{flow.protocol}
                </td>
                <td>{formatCount(flow.bytesOut)}</td>
                <td>{flow.policyTrace.join('; ') || 'no policy'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Link href={data.flowsHref} className="small">
        All flows of this hop
      </Link>
    </div>
  );
}

'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { POSTURE_PERIODS, type PosturePeriod } from '@/lib/api/posture';
import { postureQueryOptions } from '@/lib/query/posture';
import { formatRelativeTime } from '@/components/ui/format-relative-time';
import { PostureSummary } from './posture-summary';
import './posture.css';

function reportQuery(period: PosturePeriod, clusters: readonly string[]): string {
  const params = new URLSearchParams({ period });
  if (clusters.length > 0) params.set('clusters', clusters.join(','));
  return params.toString();
}

/** The Overview's posture summary with its period selector and report links; refreshes every minute. */
export function PostureView(props: { initialPeriod: PosturePeriod; clusters: readonly string[] }) {
  const [period, setPeriod] = useState<PosturePeriod>(props.initialPeriod);
  const { data, error, isPending, isRefetchError } = useQuery(postureQueryOptions(period, props.clusters));

  const choosePeriod = (next: PosturePeriod) => {
    setPeriod(next);
    // Keep the choice in the URL (shareable, survives reload) without a server round trip.
    const url = new URL(window.location.href);
    url.searchParams.set('period', next);
    window.history.replaceState(null, '', url);
  };

  if (isPending) {
    return (
      <p className="muted" role="status" data-testid="posture" data-state="loading">
        Loading the posture summary…
      </p>
    );
  }
  if (!data) {
    return (
      <div className="error-box" role="alert" data-testid="posture" data-state="error">
        The posture summary could not be loaded: {error?.message ?? 'unknown error'}. It will retry automatically.
      </div>
    );
  }
  const query = reportQuery(period, props.clusters);
  const actions = (
    <div className="posture-actions">
      <div role="group" aria-label="Trend period" className="segmented">
        {POSTURE_PERIODS.map((candidate) => (
          <button key={candidate} type="button" aria-pressed={candidate === period} onClick={() => choosePeriod(candidate)}>
            {candidate === '7d' ? '7 days' : candidate === '30d' ? '30 days' : '90 days'}
          </button>
        ))}
      </div>
      <div className="report-links">
        <a href={`/report?${query}`} target="_blank" rel="noopener">
          Printable report
        </a>
        <a href={`/api/report/pdf?${query}`} data-testid="report-pdf-link">
          PDF
        </a>
        <a href={`/api/report/csv?${query}`}>CSV</a>
      </div>
    </div>
  );
  return (
    <div data-testid="posture" data-state="ready">
      {isRefetchError ? (
        <div className="error-box" role="status" style={{ marginBottom: 16 }}>
          Refreshing failed ({error?.message}); showing figures from {formatRelativeTime(data.generatedAtMs, Date.now())}.
        </div>
      ) : null}
      <PostureSummary data={data} variant="page" actions={actions} />
      {data.computedAtMs !== null ? (
        <p className="small muted">
          Scores from the daily snapshots; today&apos;s was computed {formatRelativeTime(data.computedAtMs, data.generatedAtMs)}.
        </p>
      ) : null}
    </div>
  );
}

'use client';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { policyCoverageQueryOptions } from '@/lib/query/policies';
import { CoveragePanel } from './coverage-panel';
import { ExplainPanel } from './explain-panel';
import { RecommendationPanel } from './recommendation-panel';
import { usePoliciesUrl } from './use-policies-url';
import { WhatIfPanel } from './what-if-panel';
import './policies.css';

/** /policies: cluster picker, explanation (from the URL), coverage, what-if and recommendation panels. */
export function PoliciesView(props: { clusters: string[]; canAnalyse: boolean }) {
  const [state, update] = usePoliciesUrl(props.clusters);
  const coverage = useQuery({ ...policyCoverageQueryOptions(state.cluster), enabled: state.cluster !== '' });
  const explainHref = useCallback(
    (source: string, destination: string, port: number, protocol: string): string | null => {
      if (source.includes(' ') || destination.includes(' ')) return null;
      const search = new URLSearchParams({ cluster: state.cluster, src: source, dst: destination, port: String(port), protocol });
      return `/policies?${search}`;
    },
    [state.cluster],
  );
  if (props.clusters.length === 0) {
    return <p className="muted">No clusters yet (or none in your scope): register one under Settings and upload its inventory.</p>;
  }
  const explaining = state.src !== null && state.dst !== null && state.port !== null;
  return (
    <div className="policies-view" data-state={coverage.data ? 'ready' : 'loading'}>
      <div className="policy-toolbar">
        <label className="policy-field">
          Cluster
          <select value={state.cluster} onChange={(event) => update({ cluster: event.target.value, recommend: null, src: null, dst: null, port: null })} data-testid="policy-cluster">
            {props.clusters.map((cluster) => (
              <option key={cluster} value={cluster}>
                {cluster}
              </option>
            ))}
          </select>
        </label>
      </div>
      {explaining ? (
        <ExplainPanel
          params={{ cluster: state.cluster, src: state.src ?? '', dst: state.dst ?? '', port: state.port ?? 0, protocol: state.protocol, range: state.range }}
          onClose={() => update({ src: null, dst: null, port: null, protocol: null })}
        />
      ) : null}
      {coverage.isError ? <p className="error-box">{coverage.error.message}</p> : null}
      {coverage.isPending ? <p className="muted">Loading coverage…</p> : null}
      {coverage.data ? (
        <CoveragePanel
          coverage={coverage.data}
          onRecommend={
            props.canAnalyse
              ? (workload) => {
                  update({ recommend: workload });
                  document.getElementById('policy-recommendation')?.scrollIntoView({ behavior: 'smooth' });
                }
              : undefined
          }
        />
      ) : null}
      {props.canAnalyse ? (
        <>
          <WhatIfPanel cluster={state.cluster} range={state.range} mode={state.mode} onChange={(patch) => update(patch)} explainHref={explainHref} />
          <div id="policy-recommendation">
            <RecommendationPanel
              cluster={state.cluster}
              target={state.recommend}
              range={state.recommendRange}
              workloads={coverage.data?.workloads.map((workload) => workload.workload) ?? []}
              onChange={(patch) => update(patch)}
            />
          </div>
        </>
      ) : (
        <p className="muted small">What-if and recommendations need the analyst or admin role.</p>
      )}
    </div>
  );
}

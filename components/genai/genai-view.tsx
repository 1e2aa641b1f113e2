'use client';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { GENAI_RANGES } from '@/lib/api/genai';
import { genAiComponentsQueryOptions, genAiFindingsQueryOptions, genAiPathsQueryOptions } from '@/lib/query/genai';
import { formatCount } from '@/components/ui/format-count';
import { Stat } from '@/components/ui/stat';
import { GenAiComponentsPanel } from './genai-components-panel';
import { GenAiFindingsPanel } from './genai-findings-panel';
import { GenAiPathsPanel } from './genai-paths-panel';
import { readGenAiViewState, writeGenAiViewState, type GenAiViewState } from './genai-url-state';
import './genai.css';

/**
 * `/genai`: findings by severity (with filters), the data-access paths as left-to-right chains, and the
 * inventory of GenAI components with their evidence. The state (window, clusters, filters) is the URL.
 */
export function GenAiView() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = readGenAiViewState(searchParams);
  const update = useCallback(
    (next: GenAiViewState) => {
      const query = writeGenAiViewState(next);
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const components = useQuery(genAiComponentsQueryOptions(state.params));
  const paths = useQuery(genAiPathsQueryOptions(state.params));
  const findings = useQuery(genAiFindingsQueryOptions({ ...state.params, severity: state.severity, kind: state.kind }));

  const ready = components.data !== undefined && paths.data !== undefined && findings.data !== undefined;
  const clusterNames = components.data?.clusters.map((cluster) => cluster.name) ?? [];
  const error = components.error ?? paths.error ?? findings.error;
  const componentCount = components.data?.components.filter((component) => component.roles.some((role) => !['data-store', 'ingress', 'ui'].includes(role.role))).length ?? 0;
  const sensitiveCount = components.data?.components.filter((component) => component.sensitivity !== null).length ?? 0;

  return (
    <div data-testid="genai-view" data-state={ready && !components.isFetching && !paths.isFetching && !findings.isFetching ? 'ready' : 'loading'}>
      <div className="genai-filters" role="group" aria-label="Window and clusters">
        <label>
          Window
          <select
            value={state.params.range}
            onChange={(event) => update({ ...state, params: { ...state.params, range: event.target.value as GenAiViewState['params']['range'] } })}
          >
            {GENAI_RANGES.map((range) => (
              <option key={range} value={range}>
                last {range}
              </option>
            ))}
          </select>
        </label>
        <label>
          Cluster
          <select
            value={state.params.cluster[0] ?? ''}
            onChange={(event) => update({ ...state, params: { ...state.params, cluster: event.target.value ? [event.target.value] : [] } })}
          >
            <option value="">all clusters</option>
            {[...new Set([...clusterNames, ...state.params.cluster])].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <div className="error-box" role="alert" style={{ marginBottom: 16 }}>
          GenAI analysis could not be loaded: {error.message}
        </div>
      ) : null}
      {!ready && !error ? (
        <p className="muted" role="status">
          Classifying workloads and tracing data-access paths…
        </p>
      ) : null}
      {ready ? (
        <>
          <div className="stat-grid" aria-label="GenAI summary">
            <Stat label="GenAI components" value={formatCount(componentCount)} note="inference, embedding, vector DBs, RAG apps, LLM APIs" testId="genai-stat-components" />
            <Stat label="Sensitive stores" value={formatCount(sensitiveCount)} note="labelled PII / PCI / confidential" />
            <Stat label="Data-access paths" value={formatCount(paths.data.paths.length)} note={`observed, last ${state.params.range}`} testId="genai-stat-paths" />
            <Stat
              label="Critical + high findings"
              tone={findings.data.counts.bySeverity.critical + findings.data.counts.bySeverity.high > 0 ? 'denied' : undefined}
              value={formatCount(findings.data.counts.bySeverity.critical + findings.data.counts.bySeverity.high)}
              note={`${formatCount(findings.data.counts.total)} findings in all`}
            />
          </div>
          {components.data.clusters.some((cluster) => cluster.inventoryTakenAtMs === null) ? (
            <div className="panel notice" role="note">
              <p className="notice-title">No inventory for {components.data.clusters.filter((cluster) => cluster.inventoryTakenAtMs === null).map((cluster) => cluster.name).join(', ')}</p>
              Without an uploaded inventory, only external peers can be classified (by domain); upload one to classify workloads.
            </div>
          ) : null}
          <GenAiFindingsPanel data={findings.data} state={state} onChange={update} />
          <GenAiPathsPanel data={paths.data} params={state.params} />
          <GenAiComponentsPanel data={components.data} />
        </>
      ) : null}
    </div>
  );
}

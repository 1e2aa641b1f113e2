'use client';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { hideInfrastructure, type GraphGroup, type LayoutGraphInput } from '@/core/graph';
import { GRAPH_RANGES, type GraphRange } from '@/lib/api/graph';
import { genAiOverlayQueryOptions } from '@/lib/query/genai';
import { graphQueryOptions, type GraphFilterParams } from '@/lib/query/graph';
import { formatCount } from '@/components/ui/format-count';
import './graph.css';
import { EdgePanel, NodePanel } from './graph-side-panel';
import { GraphSurface } from './graph-surface';
import { genAiMarksByNode } from './graph-style';
import { readGraphViewState, writeGraphViewState, type GraphViewState, type OverlayKey } from './graph-url-state';
import { useGraphLayout } from './use-graph-layout';

const OVERLAY_LABELS: Record<OverlayKey, string> = {
  denied: 'Denied',
  nopolicy: 'Allowed, no policy',
  staged: 'Staged policy would deny',
  unprotected: 'Unprotected workload',
  genai: 'GenAI roles & data',
};

/** Width / height the layout packs regions for: the stage's shape (read once, so positions stay put). */
function stageAspectRatio(): number {
  if (typeof window === 'undefined') return 2;
  return Math.max(1, Math.min(3.2, (window.innerWidth - 80) / Math.max(400, window.innerHeight - 300)));
}

function toLocalInput(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** `/graph`: the service-dependency graph, its filters, overlays and side panel. All state lives in the URL. */
export function GraphView() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => readGraphViewState(searchParams), [searchParams]);
  const [focus, setFocus] = useState<{ node: string | null; token: number }>({ node: null, token: 0 });
  const [fitToken, setFitToken] = useState(0);
  const [searchText, setSearchText] = useState(view.search);

  const update = useCallback(
    (change: (state: GraphViewState) => GraphViewState) => {
      const next = writeGraphViewState(change(readGraphViewState(new URLSearchParams(window.location.search))));
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const { data, error, isPending, isFetching, isRefetchError } = useQuery(graphQueryOptions(view.params, view.refreshSec * 1000));
  const graph = useMemo(() => (data ? (view.hideInfrastructure ? hideInfrastructure(data.graph) : data.graph) : null), [data, view.hideInfrastructure]);
  const layoutInput = useMemo<LayoutGraphInput | null>(
    () =>
      graph
        ? {
            nodes: graph.nodes.map((node) => ({ id: node.id, groupId: node.groupId })),
            edges: graph.edges.map((edge) => ({ source: edge.source, target: edge.target })),
            // Region labels are `namespace ⊖` in 15px bold (about 9 px a character); the cluster is named once,
            // above its regions, so regions need not be wide enough for it.
            groupMinWidths: Object.fromEntries(graph.groups.map((group) => [group.id, (group.label.length + 3) * 9 + 24])),
          }
        : null,
    [graph],
  );
  const layoutKey = useMemo(() => (graph ? `${graph.nodes.map((node) => node.id).join('|')}#${graph.edges.length}` : ''), [graph]);
  const [aspectRatio] = useState(stageAspectRatio);
  const layoutState = useGraphLayout(layoutInput, layoutKey, aspectRatio);
  const layoutReady = layoutState.layout !== null && graph !== null && graph.nodes.every((node) => layoutState.layout?.positions[node.id]);
  const surfaceState = layoutReady && layoutState.status === 'ready' && !isFetching ? 'ready' : 'layout';

  const filter: GraphFilterParams = view.params;

  // A workload-level id (GenAI overlay, ?highlight=) → the node drawn for it: itself, or its namespace node.
  const drawnIdOf = useMemo(() => {
    const ids = new Set(graph?.nodes.map((node) => node.id) ?? []);
    return (id: string): string | null => {
      if (ids.has(id)) return id;
      const [cluster, namespace] = id.split('/');
      const namespaceId = `${cluster}/${namespace}/namespace/${namespace}`;
      return ids.has(namespaceId) ? namespaceId : null;
    };
  }, [graph]);
  const highlight = useMemo(() => {
    if (view.highlight.length === 0) return null;
    return new Set(view.highlight.map(drawnIdOf).filter((id): id is string => id !== null));
  }, [view.highlight, drawnIdOf]);
  const genAiParams = useMemo(
    () =>
      view.params.range === 'custom' && view.params.from !== undefined && view.params.to !== undefined
        ? { range: 'custom' as const, from: view.params.from, to: view.params.to, cluster: view.params.cluster }
        : { range: view.params.range === '15m' ? ('1h' as const) : view.params.range === 'custom' ? ('1h' as const) : view.params.range, cluster: view.params.cluster },
    [view.params.range, view.params.from, view.params.to, view.params.cluster],
  );
  // GenAI analysis is for analysts and admins: for other roles the request fails and the overlay stays empty.
  const genAiOverlay = useQuery({ ...genAiOverlayQueryOptions(genAiParams), enabled: view.overlays.genai, retry: false });
  const genai = useMemo(
    () => (view.overlays.genai && genAiOverlay.data && graph ? genAiMarksByNode(genAiOverlay.data, drawnIdOf) : null),
    [view.overlays.genai, genAiOverlay.data, graph, drawnIdOf],
  );
  const selectedEdge = graph?.edges.find((edge) => edge.id === view.edge) ?? null;
  const selectedNode = graph?.nodes.find((node) => node.id === view.node) ?? null;
  const labelOf = (id: string) => graph?.nodes.find((node) => node.id === id)?.label ?? id.split('/').pop() ?? id;

  const onToggleGroup = useCallback(
    (group: GraphGroup) =>
      update((state) => {
        const expand = state.params.expand.filter((id) => id !== group.id);
        const collapse = state.params.collapse.filter((id) => id !== group.id);
        if (group.level === 'namespace') {
          // Collapsed by choice → undo; collapsed because the base level is namespaces → expand.
          if (!state.params.collapse.includes(group.id)) expand.push(group.id);
        } else if (!state.params.expand.includes(group.id)) collapse.push(group.id);
        return { ...state, params: { ...state.params, expand, collapse } };
      }),
    [update],
  );
  const onSelectNode = useCallback((id: string) => update((state) => ({ ...state, node: id, edge: null })), [update]);
  const onSelectEdge = useCallback((id: string) => update((state) => ({ ...state, edge: id, node: null })), [update]);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    const text = searchText.trim().toLowerCase();
    if (!graph || !text) return;
    const found =
      graph.nodes.find((node) => node.label.toLowerCase() === text) ??
      graph.nodes.find((node) => node.label.toLowerCase().includes(text)) ??
      graph.nodes.find((node) => node.id.toLowerCase().includes(text));
    update((state) => ({ ...state, search: searchText.trim(), node: found?.id ?? state.node, edge: found ? null : state.edge }));
    if (found) setFocus((previous) => ({ node: found.id, token: previous.token + 1 }));
  };

  const clusters = data?.clusters ?? [];
  const counts = graph ? { denied: graph.edges.filter((edge) => edge.overlays.denied).length, unprotected: graph.nodes.filter((node) => node.unprotected).length } : null;

  return (
    <div className="graph-view">
      <form className="graph-toolbar" onSubmit={onSearch} aria-label="Graph filters">
        <label className="graph-field">
          <span>Time</span>
          <select
            value={view.params.range}
            onChange={(event) => {
              const range = event.target.value as GraphRange;
              update((state) => {
                const nowMs = Date.now();
                const params =
                  range === 'custom'
                    ? { ...state.params, range, from: data?.fromMs ?? nowMs - 3_600_000, to: data?.toMs ?? nowMs }
                    : { ...state.params, range, from: undefined, to: undefined };
                return { ...state, params };
              });
            }}
          >
            {GRAPH_RANGES.map((range) => (
              <option key={range} value={range}>
                last {range}
              </option>
            ))}
            <option value="custom">custom…</option>
          </select>
        </label>
        {view.params.range === 'custom' && view.params.from !== undefined && view.params.to !== undefined ? (
          <>
            <label className="graph-field">
              <span>From</span>
              <input
                type="datetime-local"
                value={toLocalInput(view.params.from)}
                onChange={(event) => {
                  const ms = new Date(event.target.value).getTime();
                  if (Number.isFinite(ms)) update((state) => ({ ...state, params: { ...state.params, from: ms } }));
                }}
              />
            </label>
            <label className="graph-field">
              <span>To</span>
              <input
                type="datetime-local"
                value={toLocalInput(view.params.to)}
                onChange={(event) => {
                  const ms = new Date(event.target.value).getTime();
                  if (Number.isFinite(ms)) update((state) => ({ ...state, params: { ...state.params, to: ms } }));
                }}
              />
            </label>
          </>
        ) : null}
        <label className="graph-field">
          <span>Cluster</span>
          <select
            value={view.params.cluster.length === 1 ? view.params.cluster[0] : ''}
            onChange={(event) => update((state) => ({ ...state, params: { ...state.params, cluster: event.target.value ? [event.target.value] : [], expand: [], collapse: [] } }))}
            data-testid="graph-cluster-picker"
          >
            <option value="">all clusters</option>
            {clusters.map((cluster) => (
              <option key={cluster.id} value={cluster.name}>
                {cluster.displayName ?? cluster.name}
              </option>
            ))}
          </select>
        </label>
        <label className="graph-field">
          <span>Verdict</span>
          <select value={view.params.verdict} onChange={(event) => update((state) => ({ ...state, params: { ...state.params, verdict: event.target.value as GraphFilterParams['verdict'] } }))}>
            <option value="all">all</option>
            <option value="denied">denied only</option>
            <option value="allowed">allowed only</option>
          </select>
        </label>
        <label className="graph-field">
          <span>Level</span>
          <select
            value={view.params.level}
            onChange={(event) => update((state) => ({ ...state, params: { ...state.params, level: event.target.value as GraphViewState['params']['level'], expand: [], collapse: [] } }))}
          >
            <option value="auto">auto</option>
            <option value="namespace">namespaces</option>
            <option value="workload">workloads</option>
            <option value="pod">pods</option>
          </select>
        </label>
        <label className="graph-field">
          <span>Refresh</span>
          <select value={view.refreshSec} onChange={(event) => update((state) => ({ ...state, refreshSec: Number(event.target.value) }))}>
            <option value={0}>off</option>
            <option value={15}>15 s</option>
            <option value={30}>30 s</option>
            <option value={60}>1 min</option>
            <option value={300}>5 min</option>
          </select>
        </label>
        <label className="graph-field graph-search">
          <span>Find</span>
          <input type="search" list="graph-node-names" placeholder="workload, namespace, domain…" value={searchText} onChange={(event) => setSearchText(event.target.value)} />
          <datalist id="graph-node-names">
            {graph?.nodes.map((node) => (
              <option key={node.id} value={node.label}>
                {node.cluster}
              </option>
            ))}
          </datalist>
        </label>
        <button type="submit" className="graph-button">
          Find
        </button>
        <button type="button" className="graph-button" onClick={() => setFitToken((token) => token + 1)}>
          Fit to screen
        </button>
      </form>

      <div className="graph-legend" role="group" aria-label="Overlays">
        {(Object.keys(OVERLAY_LABELS) as OverlayKey[]).map((key) => (
          <label key={key} className={`graph-toggle graph-toggle-${key}`}>
            <input
              type="checkbox"
              checked={view.overlays[key]}
              onChange={(event) => update((state) => ({ ...state, overlays: { ...state.overlays, [key]: event.target.checked } }))}
              data-testid={`graph-overlay-${key}`}
            />
            <span className="graph-swatch" aria-hidden="true" />
            {OVERLAY_LABELS[key]}
            {key === 'denied' && counts ? <span className="muted small"> ({counts.denied})</span> : null}
            {key === 'unprotected' && counts ? <span className="muted small"> ({counts.unprotected})</span> : null}
            {key === 'genai' && view.overlays.genai && genAiOverlay.isError ? <span className="muted small"> (analysts only)</span> : null}
          </label>
        ))}
        <label className="graph-toggle">
          <input
            type="checkbox"
            checked={view.hideInfrastructure}
            onChange={(event) => update((state) => ({ ...state, hideInfrastructure: event.target.checked }))}
            data-testid="graph-hide-infrastructure"
          />
          Hide DNS &amp; monitoring
        </label>
        {view.highlight.length > 0 ? (
          <span className="graph-highlight-note" data-testid="graph-highlight-note">
            Highlighting {highlight?.size ?? 0} of {view.highlight.length} nodes{' '}
            <button type="button" className="graph-link-button" onClick={() => update((state) => ({ ...state, highlight: [] }))}>
              clear
            </button>
          </span>
        ) : null}
        <span className="graph-status muted small" role="status">
          {data
            ? `${formatCount(graph?.nodes.length ?? 0)} nodes · ${formatCount(graph?.edges.length ?? 0)} edges · ${data.rollup} rollup${isFetching ? ' · refreshing…' : ''}`
            : isPending
              ? 'Loading…'
              : ''}
        </span>
      </div>

      {isRefetchError ? <div className="error-box small">Refreshing failed ({error?.message}); showing the previous graph.</div> : null}

      <div className={selectedEdge || selectedNode ? 'graph-main has-panel' : 'graph-main'}>
        <div className="graph-stage">
          {!data && !isPending ? (
            <div className="error-box" role="alert" data-testid="service-graph" data-state="error">
              The graph could not be loaded: {error?.message ?? 'unknown error'}
            </div>
          ) : graph && graph.nodes.length === 0 ? (
            <div className="graph-empty" data-testid="service-graph" data-state="ready">
              No traffic in this window. Try a longer time range or another cluster.
            </div>
          ) : graph && layoutReady && layoutState.layout ? (
            <GraphSurface
              graph={graph}
              layout={layoutState.layout}
              state={surfaceState}
              overlays={view.overlays}
              highlight={highlight}
              genai={genai}
              selectedNode={view.node}
              selectedEdge={view.edge}
              focusNode={focus.node}
              focusToken={focus.token}
              fitToken={fitToken}
              onSelectNode={onSelectNode}
              onSelectEdge={onSelectEdge}
              onToggleGroup={onToggleGroup}
            />
          ) : (
            <div className="graph-empty" data-testid="service-graph" data-state="layout" role="status">
              {layoutState.status === 'error' ? `Layout failed: ${layoutState.error}` : 'Laying out the graph…'}
            </div>
          )}
        </div>
        {selectedEdge ? (
          <EdgePanel
            key={selectedEdge.id}
            filter={filter}
            edge={selectedEdge}
            sourceLabel={labelOf(selectedEdge.source)}
            targetLabel={labelOf(selectedEdge.target)}
            onClose={() => update((state) => ({ ...state, edge: null }))}
          />
        ) : selectedNode ? (
          <NodePanel key={selectedNode.id} filter={filter} node={selectedNode} onClose={() => update((state) => ({ ...state, node: null }))} onSelectEdge={onSelectEdge} />
        ) : null}
      </div>
    </div>
  );
}

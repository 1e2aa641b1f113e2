import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { EdgeDetailDto, GraphDto, GraphFilter, GraphLevel, NodeDetailDto } from '../api/graph';
import { fetchJson } from './fetch-json';

/** The window and filters every graph resource is scoped by (mirrors `graphFilterSchema`). */
export interface GraphFilterParams {
  range: GraphFilter['range'];
  from?: number;
  to?: number;
  cluster: string[];
  ns: string[];
  verdict: GraphFilter['verdict'];
}

export interface GraphParams extends GraphFilterParams {
  level: GraphLevel | 'auto';
  expand: string[];
  collapse: string[];
}

function filterSearch(params: GraphFilterParams): URLSearchParams {
  const search = new URLSearchParams({ range: params.range, verdict: params.verdict });
  if (params.range === 'custom' && params.from !== undefined && params.to !== undefined) {
    search.set('from', String(params.from));
    search.set('to', String(params.to));
  }
  if (params.cluster.length > 0) search.set('cluster', params.cluster.join(','));
  if (params.ns.length > 0) search.set('ns', params.ns.join(','));
  return search;
}

export const graphKeys = {
  all: ['graph'] as const,
  graph: (params: GraphParams) => ['graph', 'graph', params] as const,
  edge: (params: GraphFilterParams, source: string, target: string) => ['graph', 'edge', params, source, target] as const,
  node: (params: GraphFilterParams, node: string) => ['graph', 'node', params, node] as const,
};

/** The graph (STYLE rule 10); `refetchMs` is the auto-refresh period (0 = off). The previous graph stays on screen while a new one loads. */
export function graphQueryOptions(params: GraphParams, refetchMs = 0) {
  return queryOptions({
    queryKey: graphKeys.graph(params),
    queryFn: ({ signal }) => {
      const search = filterSearch(params);
      search.set('level', params.level);
      if (params.expand.length > 0) search.set('expand', params.expand.join(','));
      if (params.collapse.length > 0) search.set('collapse', params.collapse.join(','));
      return fetchJson<GraphDto>(`/api/graph?${search}`, { signal });
    },
    refetchInterval: refetchMs > 0 ? refetchMs : false,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

export function edgeDetailQueryOptions(params: GraphFilterParams, source: string, target: string) {
  return queryOptions({
    queryKey: graphKeys.edge(params, source, target),
    queryFn: ({ signal }) => {
      const search = filterSearch(params);
      search.set('source', source);
      search.set('target', target);
      return fetchJson<EdgeDetailDto>(`/api/graph/edge?${search}`, { signal });
    },
    staleTime: 10_000,
  });
}

export function nodeDetailQueryOptions(params: GraphFilterParams, node: string) {
  return queryOptions({
    queryKey: graphKeys.node(params, node),
    queryFn: ({ signal }) => {
      const search = filterSearch(params);
      search.set('node', node);
      return fetchJson<NodeDetailDto>(`/api/graph/node?${search}`, { signal });
    },
    staleTime: 10_000,
  });
}

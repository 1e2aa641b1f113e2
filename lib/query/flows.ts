import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FlowDetailDto, FlowGroupBy, FlowGroupsDto, FlowHistogramDto, FlowPageDto, FlowRowDto, FlowSort, FlowSuggestionsDto, SuggestField } from '../api/flows';
import { fetchJson } from './fetch-json';

/**
 * The flow explorer's resources (STYLE rule 10). `search` is the canonical query string of the filter with
 * the window pinned (`range=custom&from=…&to=…`), so one string in the key covers every filter variable.
 */
export const flowKeys = {
  all: ['flows'] as const,
  page: (search: string, sort: FlowSort, dir: 'asc' | 'desc') => ['flows', 'page', search, sort, dir] as const,
  histogram: (search: string) => ['flows', 'histogram', search] as const,
  groups: (search: string, by: FlowGroupBy) => ['flows', 'groups', search, by] as const,
  detail: (clusterId: number, flowId: string, startMs: number) => ['flows', 'detail', clusterId, flowId, startMs] as const,
  suggest: (field: SuggestField, prefix: string, cluster: string) => ['flows', 'suggest', field, prefix, cluster] as const,
  /** Rows the live tail has received for a filter (written by `useFlowLiveTail`, newest first). */
  live: (search: string) => ['flows', 'live', search] as const,
};

export const FLOW_PAGE_ROWS = 200;

export function flowPageQueryOptions(search: string, sort: FlowSort, dir: 'asc' | 'desc') {
  return infiniteQueryOptions({
    queryKey: flowKeys.page(search, sort, dir),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(search);
      params.set('sort', sort);
      params.set('dir', dir);
      params.set('limit', String(FLOW_PAGE_ROWS));
      if (pageParam) params.set('cursor', pageParam);
      return fetchJson<FlowPageDto>(`/api/flows?${params}`, { signal });
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function flowHistogramQueryOptions(search: string) {
  return queryOptions({
    queryKey: flowKeys.histogram(search),
    queryFn: ({ signal }) => fetchJson<FlowHistogramDto>(`/api/flows/histogram?${search}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function flowGroupsQueryOptions(search: string, by: FlowGroupBy) {
  return queryOptions({
    queryKey: flowKeys.groups(search, by),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams(search);
      params.set('by', by);
      return fetchJson<FlowGroupsDto>(`/api/flows/groups?${params}`, { signal });
    },
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function flowDetailQueryOptions(clusterId: number, flowId: string, startMs: number) {
  return queryOptions({
    queryKey: flowKeys.detail(clusterId, flowId, startMs),
    queryFn: ({ signal }) => fetchJson<FlowDetailDto>(`/api/flows/${clusterId}/${flowId}?t=${startMs}`, { signal }),
    staleTime: 5 * 60_000,
  });
}

export function flowSuggestQueryOptions(field: SuggestField, prefix: string, cluster: string) {
  return queryOptions({
    queryKey: flowKeys.suggest(field, prefix, cluster),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ field, prefix });
      if (cluster) params.set('cluster', cluster);
      return fetchJson<FlowSuggestionsDto>(`/api/flows/suggest?${params}`, { signal });
    },
    staleTime: 60_000,
  });
}

/** The live tail's rows: never fetched, only written by the tail hook. */
export function flowLiveQueryOptions(search: string) {
  return queryOptions({
    queryKey: flowKeys.live(search),
    queryFn: () => [] as FlowRowDto[],
    staleTime: Infinity,
    gcTime: 60_000,
  });
}

/** Export URL for the same filter (a plain link: the browser streams the download). */
export function flowExportUrl(search: string, format: 'csv' | 'ndjson', sort: FlowSort, dir: 'asc' | 'desc'): string {
  const params = new URLSearchParams(search);
  params.set('format', format);
  params.set('sort', sort);
  params.set('dir', dir);
  return `/api/flows/export?${params}`;
}

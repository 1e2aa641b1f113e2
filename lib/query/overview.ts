import { queryOptions } from '@tanstack/react-query';
import type { OverviewDto } from '../api/overview';
import { fetchJson } from './fetch-json';

export const overviewKeys = {
  all: ['overview'] as const,
};

/** Ingest figures refresh every 10 s: the overview doubles as a live "is data arriving?" check. */
export const OVERVIEW_REFETCH_MS = 10_000;

/**
 * The overview resource (STYLE rule 10). The page prefetches it on the server with the same key
 * (calling lib/server directly instead of this queryFn) and the client `useQuery` picks it up.
 */
export function overviewQueryOptions() {
  return queryOptions({
    queryKey: overviewKeys.all,
    queryFn: ({ signal }) => fetchJson<OverviewDto>('/api/overview', { signal }),
    refetchInterval: OVERVIEW_REFETCH_MS,
    staleTime: 5_000,
  });
}

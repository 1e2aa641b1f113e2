import { queryOptions } from '@tanstack/react-query';
import type { PostureOverviewDto, PosturePeriod } from '../api/posture';
import { fetchJson } from './fetch-json';

export const postureKeys = {
  all: ['posture'] as const,
  overview: (period: PosturePeriod, clusters: readonly string[]) => ['posture', 'overview', period, [...clusters].sort()] as const,
};

/** Snapshots change every couple of minutes (the collector's posture job); a minute is fresh enough. */
export const POSTURE_REFETCH_MS = 60_000;

/** `/api/posture?period=…&clusters=…` */
export function postureQueryPath(period: PosturePeriod, clusters: readonly string[]): string {
  const params = new URLSearchParams({ period });
  if (clusters.length > 0) params.set('clusters', [...clusters].sort().join(','));
  return `/api/posture?${params.toString()}`;
}

/**
 * The posture summary resource (STYLE rule 10): the Overview page prefetches it on the server with the
 * same key (calling lib/server directly) and the client `useQuery` picks it up.
 */
export function postureQueryOptions(period: PosturePeriod, clusters: readonly string[]) {
  return queryOptions({
    queryKey: postureKeys.overview(period, clusters),
    queryFn: ({ signal }) => fetchJson<PostureOverviewDto>(postureQueryPath(period, clusters), { signal }),
    refetchInterval: POSTURE_REFETCH_MS,
    staleTime: 30_000,
  });
}

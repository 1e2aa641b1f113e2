import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { CoverageDto, ExplainDto, PolicyRange, ProposalsDto, RecommendationDto, WhatIfDto } from '../api/policies';
import { fetchJson, sendJson } from './fetch-json';

export interface ExplainParams {
  cluster: string;
  src: string;
  dst: string;
  port: number;
  protocol: string;
  range: PolicyRange;
}

export interface RecommendationParams {
  cluster: string;
  /** `namespace/name`, or `ns:<namespace>` for a whole namespace. */
  target: string;
  range: PolicyRange;
}

export interface WhatIfParams {
  cluster: string;
  range: PolicyRange;
  mode: 'merge' | 'replace';
  files: { name: string; text: string }[];
  saveAs?: string;
}

export const policyKeys = {
  all: ['policies'] as const,
  coverage: (cluster: string) => ['policies', 'coverage', cluster] as const,
  explain: (params: ExplainParams) => ['policies', 'explain', params] as const,
  recommendation: (params: RecommendationParams) => ['policies', 'recommendation', params] as const,
  proposals: (cluster: string) => ['policies', 'proposals', cluster] as const,
};

export function recommendationSearch(params: RecommendationParams): URLSearchParams {
  const search = new URLSearchParams({ cluster: params.cluster, range: params.range });
  if (params.target.startsWith('ns:')) search.set('namespace', params.target.slice(3));
  else search.set('workload', params.target);
  return search;
}

/** Coverage of the cluster's latest inventory (STYLE rule 10). */
export function policyCoverageQueryOptions(cluster: string) {
  return queryOptions({
    queryKey: policyKeys.coverage(cluster),
    queryFn: ({ signal }) => fetchJson<CoverageDto>(`/api/policies/coverage?${new URLSearchParams({ cluster })}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function policyExplainQueryOptions(params: ExplainParams) {
  return queryOptions({
    queryKey: policyKeys.explain(params),
    queryFn: ({ signal }) => {
      const search = new URLSearchParams({ cluster: params.cluster, src: params.src, dst: params.dst, port: String(params.port), protocol: params.protocol, range: params.range });
      return fetchJson<ExplainDto>(`/api/policies/explain?${search}`, { signal });
    },
    staleTime: 30_000,
  });
}

export function policyRecommendationQueryOptions(params: RecommendationParams) {
  return queryOptions({
    queryKey: policyKeys.recommendation(params),
    queryFn: ({ signal }) => fetchJson<RecommendationDto>(`/api/policies/recommendation?${recommendationSearch(params)}`, { signal }),
    staleTime: 60_000,
  });
}

export function policyProposalsQueryOptions(cluster: string) {
  return queryOptions({
    queryKey: policyKeys.proposals(cluster),
    queryFn: ({ signal }) => fetchJson<ProposalsDto>(`/api/policies/proposals?${new URLSearchParams({ cluster })}`, { signal }),
    staleTime: 10_000,
  });
}

/** Runs a what-if (a POST: it is audit-logged and may store the proposal), for `useMutation`. */
export function runWhatIfRequest(params: WhatIfParams): Promise<WhatIfDto> {
  return sendJson<WhatIfDto>('/api/policies/what-if', { method: 'POST', body: params });
}

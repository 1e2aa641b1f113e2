import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import {
  genAiFilterSearch,
  type GenAiComponentsDto,
  type GenAiEvidenceDto,
  type GenAiFindingKind,
  type GenAiFindingsDto,
  type GenAiOverlayDto,
  type GenAiPathsDto,
  type GenAiRange,
  type GenAiRulesDto,
  type GenAiSeverity,
} from '../api/genai';
import { fetchJson } from './fetch-json';

/** Window and clusters every GenAI resource is scoped by (mirrors `genAiFilterSchema`). */
export interface GenAiFilterParams {
  range: GenAiRange;
  from?: number;
  to?: number;
  cluster: string[];
}

export interface GenAiFindingsParams extends GenAiFilterParams {
  severity: GenAiSeverity[];
  kind: GenAiFindingKind[];
}

export const genAiKeys = {
  all: ['genai'] as const,
  components: (params: GenAiFilterParams) => ['genai', 'components', params] as const,
  paths: (params: GenAiFilterParams) => ['genai', 'paths', params] as const,
  findings: (params: GenAiFindingsParams) => ['genai', 'findings', params] as const,
  overlay: (params: GenAiFilterParams) => ['genai', 'overlay', params] as const,
  evidence: (params: GenAiFilterParams, source: string, target: string, verdict: string) => ['genai', 'evidence', params, source, target, verdict] as const,
  rules: ['genai', 'rules'] as const,
};

const STALE_MS = 30_000;

export function genAiComponentsQueryOptions(params: GenAiFilterParams) {
  return queryOptions({
    queryKey: genAiKeys.components(params),
    queryFn: ({ signal }) => fetchJson<GenAiComponentsDto>(`/api/genai/components?${genAiFilterSearch(params)}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: STALE_MS,
  });
}

export function genAiPathsQueryOptions(params: GenAiFilterParams) {
  return queryOptions({
    queryKey: genAiKeys.paths(params),
    queryFn: ({ signal }) => fetchJson<GenAiPathsDto>(`/api/genai/paths?${genAiFilterSearch(params)}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: STALE_MS,
  });
}

export function genAiFindingsQueryOptions(params: GenAiFindingsParams) {
  return queryOptions({
    queryKey: genAiKeys.findings(params),
    queryFn: ({ signal }) => {
      const search = genAiFilterSearch(params);
      if (params.severity.length > 0) search.set('severity', params.severity.join(','));
      if (params.kind.length > 0) search.set('kind', params.kind.join(','));
      return fetchJson<GenAiFindingsDto>(`/api/genai/findings?${search}`, { signal });
    },
    placeholderData: keepPreviousData,
    staleTime: STALE_MS,
  });
}

/** The graph's GenAI overlay (roles, sensitivity, paths by node id; shape in lib/api/genai.ts). */
export function genAiOverlayQueryOptions(params: GenAiFilterParams) {
  return queryOptions({
    queryKey: genAiKeys.overlay(params),
    queryFn: ({ signal }) => fetchJson<GenAiOverlayDto>(`/api/genai/overlay?${genAiFilterSearch(params)}`, { signal }),
    staleTime: STALE_MS,
  });
}

export function genAiEvidenceQueryOptions(params: GenAiFilterParams, source: string, target: string, verdict: 'all' | 'allowed' | 'denied') {
  return queryOptions({
    queryKey: genAiKeys.evidence(params, source, target, verdict),
    queryFn: ({ signal }) => {
      const search = genAiFilterSearch(params);
      search.set('source', source);
      search.set('target', target);
      search.set('verdict', verdict);
      return fetchJson<GenAiEvidenceDto>(`/api/genai/evidence?${search}`, { signal });
    },
    staleTime: STALE_MS,
  });
}

export function genAiRulesQueryOptions() {
  return queryOptions({
    queryKey: genAiKeys.rules,
    queryFn: ({ signal }) => fetchJson<GenAiRulesDto>('/api/genai/rules', { signal }),
  });
}

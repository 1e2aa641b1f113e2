import { GENAI_FINDING_KINDS, GENAI_RANGES, type GenAiFindingKind, type GenAiRange, type GenAiSeverity } from '@/lib/api/genai';
import type { GenAiFilterParams } from '@/lib/query/genai';

const SEVERITIES: readonly GenAiSeverity[] = ['critical', 'high', 'medium', 'low'];

export interface GenAiViewState {
  params: GenAiFilterParams;
  severity: GenAiSeverity[];
  kind: GenAiFindingKind[];
}

type SearchParamsLike = { get(name: string): string | null };

const csv = (value: string | null): string[] => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : []);

/** URL → view state; unknown values fall back to defaults instead of breaking a shared link. */
export function readGenAiViewState(search: SearchParamsLike): GenAiViewState {
  const rangeText = search.get('range') ?? '24h';
  const range: GenAiRange = (GENAI_RANGES as readonly string[]).includes(rangeText) ? (rangeText as GenAiRange) : '24h';
  return {
    params: { range, cluster: csv(search.get('cluster')) },
    severity: csv(search.get('severity')).filter((value): value is GenAiSeverity => (SEVERITIES as readonly string[]).includes(value)),
    kind: csv(search.get('kind')).filter((value): value is GenAiFindingKind => (GENAI_FINDING_KINDS as readonly string[]).includes(value)),
  };
}

/** View state → URL query (defaults omitted). */
export function writeGenAiViewState(state: GenAiViewState): string {
  const search = new URLSearchParams();
  if (state.params.range !== '24h') search.set('range', state.params.range);
  if (state.params.cluster.length > 0) search.set('cluster', state.params.cluster.join(','));
  if (state.severity.length > 0) search.set('severity', state.severity.join(','));
  if (state.kind.length > 0) search.set('kind', state.kind.join(','));
  return search.toString();
}

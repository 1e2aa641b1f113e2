import { FLOW_GROUPS, FLOW_SORTS, flowFilterSchema, type FlowFilter, type FlowGroupBy, type FlowSort, type NegatableField } from '@/lib/api/flows';

type SearchParamsLike = { get(name: string): string | null; forEach(callback: (value: string, key: string) => void): void };

/** The URL parameters that are filters (everything else in the URL is view state). */
export const FILTER_KEYS = [
  'range', 'from', 'to', 'cluster', 'ns', 'srcNs', 'dstNs', 'srcWorkload', 'dstWorkload', 'srcIp', 'dstIp', 'port', 'protocol', 'verdict',
  'dropReason', 'policy', 'policyKind', 'policyTier', 'reporter', 'q', 'not', 'dupes',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type FlowsTab = 'table' | 'groups';

/** Everything the explorer shows, from the URL: a link or a reload reproduces the view. */
export interface FlowsViewState {
  /** The filter's raw text per key, as in the URL ('' = unset). */
  filterText: Record<FilterKey, string>;
  filter: FlowFilter;
  filterError: string | null;
  sort: FlowSort;
  dir: 'asc' | 'desc';
  tab: FlowsTab;
  groupBy: FlowGroupBy;
  /** Selected flow `clusterId:flowId:startMs`. */
  flow: string | null;
  live: boolean;
}

export function emptyFilterText(): Record<FilterKey, string> {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])) as Record<FilterKey, string>;
}

export function readFlowsViewState(search: SearchParamsLike): FlowsViewState {
  const filterText = emptyFilterText();
  const record: Record<string, string> = {};
  search.forEach((value, key) => {
    if ((FILTER_KEYS as readonly string[]).includes(key)) {
      filterText[key as FilterKey] = value;
      if (value !== '') record[key] = value;
    }
  });
  const parsed = flowFilterSchema.safeParse(record);
  const filter = parsed.success ? parsed.data : flowFilterSchema.parse({});
  const filterError = parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  const sort = search.get('sort');
  const group = search.get('group');
  return {
    filterText,
    filter,
    filterError,
    sort: (FLOW_SORTS as readonly string[]).includes(sort ?? '') ? (sort as FlowSort) : 'time',
    dir: search.get('dir') === 'asc' ? 'asc' : 'desc',
    tab: search.get('tab') === 'groups' ? 'groups' : 'table',
    groupBy: (FLOW_GROUPS as readonly string[]).includes(group ?? '') ? (group as FlowGroupBy) : 'source',
    flow: search.get('flow'),
    live: search.get('live') === '1',
  };
}

export function writeFlowsViewState(state: Omit<FlowsViewState, 'filter' | 'filterError'>): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = state.filterText[key].trim();
    if (value !== '') search.set(key, value);
  }
  if (state.sort !== 'time') search.set('sort', state.sort);
  if (state.dir !== 'desc') search.set('dir', state.dir);
  if (state.tab !== 'table') search.set('tab', state.tab);
  if (state.groupBy !== 'source') search.set('group', state.groupBy);
  if (state.flow) search.set('flow', state.flow);
  if (state.live) search.set('live', '1');
  return search.toString();
}

/**
 * The canonical API query string of a filter with its window pinned to absolute times (relative ranges
 * end at `nowMs`), so the table, histogram, groups and export all read the same rows.
 */
export function apiSearchOf(filter: FlowFilter, filterText: Record<FilterKey, string>, window: { fromMs: number; toMs: number }): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (key === 'range' || key === 'from' || key === 'to') continue;
    const value = filterText[key].trim();
    if (value !== '') search.set(key, value);
  }
  search.set('verdict', filter.verdict);
  search.set('range', 'custom');
  search.set('from', String(window.fromMs));
  search.set('to', String(window.toMs));
  return search.toString();
}

export function isNegated(filterText: Record<FilterKey, string>, field: NegatableField): boolean {
  return filterText.not.split(',').map((item) => item.trim()).includes(field);
}

export function setNegated(filterText: Record<FilterKey, string>, field: NegatableField, negated: boolean): string {
  const fields = new Set(filterText.not.split(',').map((item) => item.trim()).filter(Boolean));
  if (negated) fields.add(field);
  else fields.delete(field);
  return [...fields].join(',');
}

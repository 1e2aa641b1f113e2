import { graphRequestSchema } from '@/lib/api/graph';
import type { GraphParams } from '@/lib/query/graph';

export const OVERLAY_KEYS = ['denied', 'nopolicy', 'staged', 'unprotected', 'genai'] as const;
export type OverlayKey = (typeof OVERLAY_KEYS)[number];

/** Everything the view shows, from the URL (so a view can be shared and restored). */
export interface GraphViewState {
  params: GraphParams;
  overlays: Record<OverlayKey, boolean>;
  hideInfrastructure: boolean;
  /** Selected node id or edge (node-pair) id. */
  node: string | null;
  edge: string | null;
  search: string;
  /** Node ids to highlight (`?highlight=a,b,c`, e.g. a GenAI path linked from /genai); the rest is dimmed. */
  highlight: string[];
  /** Auto-refresh period in seconds (0 = off). */
  refreshSec: number;
}

type SearchParamsLike = { get(name: string): string | null; forEach(callback: (value: string, key: string) => void): void };

/** URL → view state. Invalid values fall back to defaults instead of breaking a shared link. */
export function readGraphViewState(search: SearchParamsLike): GraphViewState {
  const record: Record<string, string> = {};
  search.forEach((value, key) => {
    record[key] = value;
  });
  const parsed = graphRequestSchema.safeParse(record);
  const request = parsed.success ? parsed.data : graphRequestSchema.parse({});
  const overlayText = search.get('overlays');
  const overlaysOn = overlayText === null ? new Set<string>(OVERLAY_KEYS) : new Set(overlayText.split(',').filter(Boolean));
  const refreshSec = Number(search.get('refresh') ?? '0');
  return {
    params: {
      range: request.range,
      ...(request.range === 'custom' && request.from !== undefined && request.to !== undefined ? { from: request.from, to: request.to } : {}),
      cluster: request.cluster,
      ns: request.ns,
      verdict: request.verdict,
      level: request.level,
      expand: request.expand,
      collapse: request.collapse,
    },
    overlays: Object.fromEntries(OVERLAY_KEYS.map((key) => [key, overlaysOn.has(key)])) as Record<OverlayKey, boolean>,
    hideInfrastructure: search.get('hideInfra') === '1',
    node: search.get('node'),
    edge: search.get('edge'),
    search: search.get('q') ?? '',
    highlight: (search.get('highlight') ?? '').split(',').map((id) => id.trim()).filter(Boolean).slice(0, 200),
    refreshSec: [0, 15, 30, 60, 300].includes(refreshSec) ? refreshSec : 0,
  };
}

/** View state → URL query string (defaults omitted, so links stay short). */
export function writeGraphViewState(state: GraphViewState): string {
  const search = new URLSearchParams();
  const { params } = state;
  if (params.range !== '1h') search.set('range', params.range);
  if (params.range === 'custom' && params.from !== undefined && params.to !== undefined) {
    search.set('from', new Date(params.from).toISOString());
    search.set('to', new Date(params.to).toISOString());
  }
  if (params.cluster.length > 0) search.set('cluster', params.cluster.join(','));
  if (params.ns.length > 0) search.set('ns', params.ns.join(','));
  if (params.verdict !== 'all') search.set('verdict', params.verdict);
  if (params.level !== 'auto') search.set('level', params.level);
  if (params.expand.length > 0) search.set('expand', params.expand.join(','));
  if (params.collapse.length > 0) search.set('collapse', params.collapse.join(','));
  const overlays = OVERLAY_KEYS.filter((key) => state.overlays[key]);
  if (overlays.length !== OVERLAY_KEYS.length) search.set('overlays', overlays.join(','));
  if (state.hideInfrastructure) search.set('hideInfra', '1');
  if (state.node) search.set('node', state.node);
  if (state.edge) search.set('edge', state.edge);
  if (state.search) search.set('q', state.search);
  if (state.highlight.length > 0) search.set('highlight', state.highlight.join(','));
  if (state.refreshSec > 0) search.set('refresh', String(state.refreshSec));
  return search.toString();
}

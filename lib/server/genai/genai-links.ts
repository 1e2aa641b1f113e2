import 'server-only';
import type { GenAiNode } from '@/core/genai';

/** The graph window names for a GenAI window: a named range when it is one, else custom from/to. */
function windowParams(fromMs: number, toMs: number, nowMs: number): Record<string, string> {
  const spanMs = toMs - fromMs;
  const recent = Math.abs(nowMs - toMs) < 120_000;
  const named: Record<number, string> = { [3_600_000]: '1h', [6 * 3_600_000]: '6h', [24 * 3_600_000]: '24h', [7 * 24 * 3_600_000]: '7d' };
  for (const [ms, range] of Object.entries(named)) {
    if (recent && Math.abs(spanMs - Number(ms)) <= 120_000) return { range };
  }
  return { range: 'custom', from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/**
 * `/graph?…&highlight=<node ids>`: the graph at workload level for the cluster and window with the
 * nodes highlighted (the graph reads `highlight` as comma-separated node ids).
 */
export function graphHref(cluster: string, nodeIds: readonly string[], window: { fromMs: number; toMs: number; nowMs: number }): string {
  const search = new URLSearchParams({ ...windowParams(window.fromMs, window.toMs, window.nowMs), cluster, level: 'workload' });
  const namespaces = [...new Set(nodeIds.map((id) => id.split('/')[1]).filter((namespace): namespace is string => namespace !== undefined && namespace !== '-'))];
  if (namespaces.length > 0) search.set('expand', namespaces.map((namespace) => `${cluster}/${namespace}`).join(','));
  search.set('highlight', nodeIds.join(','));
  return `/graph?${search}`;
}

/**
 * `/flows?…` pre-filtered to the flows of one hop (the names the flow explorer and the graph's edge
 * panel use: cluster, from, to, srcNamespace, srcWorkload, dstNamespace, dstWorkload, port, verdict).
 */
export function flowsHref(
  cluster: string,
  source: GenAiNode | undefined,
  destination: GenAiNode | undefined,
  options: { fromMs: number; toMs: number; port?: number | null; verdict?: 'allowed' | 'denied' },
): string {
  const search = new URLSearchParams({ cluster, from: new Date(options.fromMs).toISOString(), to: new Date(options.toMs).toISOString() });
  if (source?.kind === 'workload' && source.namespace) {
    search.set('srcNamespace', source.namespace);
    search.set('srcWorkload', source.name);
  }
  if (destination?.kind === 'workload' && destination.namespace) {
    search.set('dstNamespace', destination.namespace);
    search.set('dstWorkload', destination.name);
  } else if (destination?.domain) {
    search.set('dstDomain', destination.domain);
  }
  if (options.port !== undefined && options.port !== null) search.set('port', String(options.port));
  if (options.verdict) search.set('verdict', options.verdict);
  return `/flows?${search}`;
}

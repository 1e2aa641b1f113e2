import 'server-only';
import type { Sql } from 'postgres';
import type { GenAiPathDto, GenAiPathsDto } from '../../api/genai';
import type { Session } from '../auth/get-session';
import { analyseGenAi, type GenAiAnalysisQuery } from './analyse-genai';
import { windowDto } from './get-genai-components';
import { flowsHref, graphHref } from './genai-links';
import { genAiNodeRefs } from './genai-node-ref';

const TARGET_ORDER = { 'external-llm-api': 0, 'sensitive-store': 1 } as const;

/**
 * Data-access paths of the window: chains of observed allowed traffic from entry points through GenAI
 * components to sensitive stores and external LLM APIs; per hop the ports, flows, allowing policies and
 * a `/flows` link. Paths starting at an entry point first, then longer ones.
 */
export async function getGenAiPaths(session: Session, query: GenAiAnalysisQuery, options: { sql?: Sql; nowMs?: number } = {}): Promise<GenAiPathsDto> {
  const analysis = await analyseGenAi(session, query, options);
  const nowMs = options.nowMs ?? Date.now();
  const window = { fromMs: analysis.fromMs, toMs: analysis.toMs, nowMs };
  const paths: GenAiPathDto[] = [];
  const ids = new Set<string>();
  for (const cluster of analysis.clusters) {
    for (const path of cluster.paths) {
      for (const id of path.nodeIds) ids.add(id);
      paths.push({
        ...path,
        cluster: cluster.cluster,
        graphHref: graphHref(cluster.cluster, path.nodeIds, window),
        hops: path.hops.map((hop) => {
          const ports = hop.ports.map((port) => Number(port.split('/')[0]));
          return {
            sourceNodeId: hop.sourceNodeId,
            destinationNodeId: hop.destinationNodeId,
            ports: [...hop.ports],
            flows: hop.flows,
            bytesOut: hop.bytesOut,
            policies: [...hop.policies],
            flowsHref: flowsHref(cluster.cluster, analysis.nodeById.get(hop.sourceNodeId), analysis.nodeById.get(hop.destinationNodeId), {
              ...window,
              ...(ports.length === 1 && Number.isFinite(ports[0]) ? { port: ports[0] } : {}),
              verdict: 'allowed',
            }),
          };
        }),
      });
    }
  }
  paths.sort(
    (a, b) =>
      Number(a.entryNodeId === null) - Number(b.entryNodeId === null) ||
      TARGET_ORDER[a.target] - TARGET_ORDER[b.target] ||
      b.nodeIds.length - a.nodeIds.length ||
      a.id.localeCompare(b.id),
  );
  return { ...windowDto(analysis), paths, truncated: analysis.clusters.some((cluster) => cluster.truncated), nodes: genAiNodeRefs(ids, analysis.nodeById) };
}

import 'server-only';
import type { Sql } from 'postgres';
import { genAiNodeLabel } from '@/core/genai';
import type { GenAiAnalysisQuery } from './analyse-genai';
import { analyseGenAi, coverageOf, type GenAiAnalysis } from './analyse-genai';
import type { GenAiComponentDto, GenAiComponentsDto, GenAiWindowDto } from '../../api/genai';
import type { Session } from '../auth/get-session';

export function windowDto(analysis: GenAiAnalysis): GenAiWindowDto {
  return {
    generatedAtMs: analysis.generatedAtMs,
    fromMs: analysis.fromMs,
    toMs: analysis.toMs,
    rollup: analysis.rollup,
    clusters: analysis.clusters.map((cluster) => ({ name: cluster.cluster, inventoryTakenAtMs: cluster.inventoryTakenAtMs })),
  };
}

/**
 * The GenAI inventory: every workload and external peer with a role or a sensitivity, with its
 * evidence, confidence, coverage and traffic in the window. Sorted: GenAI components first (by
 * cluster, then label), then plain data stores.
 */
export async function getGenAiComponents(session: Session, query: GenAiAnalysisQuery, options: { sql?: Sql; nowMs?: number } = {}): Promise<GenAiComponentsDto> {
  const analysis = await analyseGenAi(session, query, options);
  const components: GenAiComponentDto[] = [];
  for (const cluster of analysis.clusters) {
    const flowsByNode = new Map<string, number>();
    for (const edge of cluster.edges) {
      flowsByNode.set(edge.sourceNodeId, (flowsByNode.get(edge.sourceNodeId) ?? 0) + edge.flows);
      flowsByNode.set(edge.destinationNodeId, (flowsByNode.get(edge.destinationNodeId) ?? 0) + edge.flows);
    }
    for (const node of cluster.nodes) {
      if (node.roles.length === 0 && node.sensitivity === null) continue;
      // External peers only count when traffic reached them (they come from traffic anyway).
      const coverage = coverageOf(cluster, node);
      components.push({
        id: node.id,
        cluster: cluster.cluster,
        label: genAiNodeLabel(node, node.id),
        kind: node.kind,
        namespace: node.namespace ?? null,
        name: node.name,
        workloadKind: node.workloadKind ?? null,
        domain: node.domain ?? null,
        application: node.application ?? null,
        roles: [...node.roles],
        sensitivity: node.sensitivity,
        ingressGoverned: coverage?.ingress ?? null,
        egressGoverned: coverage?.egress ?? null,
        flows: flowsByNode.get(node.id) ?? 0,
      });
    }
  }
  const plainStore = (component: GenAiComponentDto): number => (component.roles.every((assignment) => assignment.role === 'data-store' || assignment.role === 'ingress' || assignment.role === 'ui') ? 1 : 0);
  components.sort((a, b) => plainStore(a) - plainStore(b) || a.cluster.localeCompare(b.cluster) || a.label.localeCompare(b.label));
  return { ...windowDto(analysis), components };
}

import type { ServiceGraph } from './types';

/**
 * The graph without infrastructure noise: edges that are only DNS/monitoring traffic, and nodes left
 * with nothing but such edges (CoreDNS, Prometheus). Groups keep their remaining nodes.
 */
export function hideInfrastructure(graph: ServiceGraph): ServiceGraph {
  const edges = graph.edges.filter((edge) => !edge.overlays.infrastructure);
  const nodes = graph.nodes.filter((node) => !node.infrastructureOnly);
  const kept = new Set(nodes.map((node) => node.id));
  const groups = graph.groups
    .map((group) => ({ ...group, nodeIds: group.nodeIds.filter((id) => kept.has(id)) }))
    .filter((group) => group.nodeIds.length > 0);
  return { ...graph, nodes, edges: edges.filter((edge) => kept.has(edge.source) && kept.has(edge.target)), groups };
}

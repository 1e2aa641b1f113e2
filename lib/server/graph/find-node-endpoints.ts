import 'server-only';
import type { Sql } from 'postgres';
import { endpointGraphNodeId, levelOfNodeId } from '@/core/graph';
import type { GraphEndpointFacts } from '@/core/graph/types';
import type { EndpointKind } from '@/core/flow/types';

export interface NodeEndpoint {
  id: string;
  facts: GraphEndpointFacts;
}

/**
 * The dictionary endpoints drawn as a node id. Core decides the mapping (`endpointGraphNodeId`), so the
 * server never re-implements grouping rules: candidates are narrowed in SQL by namespace (or to peers
 * outside namespaces), then matched in core.
 */
export async function findNodeEndpoints(sql: Sql, clusterId: number, nodeId: string): Promise<NodeEndpoint[]> {
  const [cluster, namespace] = nodeId.split('/');
  const level = levelOfNodeId(nodeId) ?? 'workload';
  const scope =
    namespace && namespace !== '-' && levelOfNodeId(nodeId) !== null
      ? sql`and namespace = ${namespace} and kind in ('workload', 'pod')`
      : sql`and (namespace is null or kind not in ('workload', 'pod'))`;
  const rows = await sql<{ id: string; kind: string; namespace: string | null; name: string; workloadKind: string | null; pod: string | null; ip: string | null; domain: string | null }[]>`
    select id, kind, namespace, name, workload_kind as "workloadKind", pod, ip, domain
    from endpoints where cluster_id = ${clusterId} ${scope}`;
  const matches: NodeEndpoint[] = [];
  for (const row of rows) {
    const facts: GraphEndpointFacts = { ...row, kind: row.kind as EndpointKind, serviceName: null };
    if (endpointGraphNodeId(cluster ?? '', facts, level) === nodeId) matches.push({ id: row.id, facts });
  }
  return matches;
}

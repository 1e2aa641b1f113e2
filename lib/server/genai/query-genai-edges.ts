import 'server-only';
import type { Sql } from 'postgres';
import type { EndpointKind } from '@/core/flow/types';
import type { ObservedEdge } from '@/core/genai';
import { endpointGraphNodeId } from '@/core/graph';
import type { GraphEndpointFacts } from '@/core/graph/types';
import { edgeInScope, isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import type { RollupTable } from '../graph/graph-window';
import { edgeEnds, mergeObservedEdges, queryWorkloadEdgeRecords, type EdgeEnd, type WorkloadEdgeRecord } from '@/lib/db/workload-edges';

/** An end the caller may not see: every such end of a cluster folds into this one node. */
export function outsideScopeNodeId(cluster: string): string {
  return `${cluster}/-/outside/${OUTSIDE_SCOPE_LABEL.replaceAll(' ', '-')}`;
}

/** An external (or network set / host) peer seen in the window, with the node id the graph draws it as. */
export interface SeenPeer {
  id: string;
  cluster: string;
  domain?: string;
  ip?: string;
}

export interface ClusterEdges {
  clusterId: number;
  cluster: string;
  edges: ObservedEdge[];
  peers: Map<string, SeenPeer>;
}

export interface EdgeQuery {
  table: RollupTable;
  from: Date;
  to: Date;
  clusterIds: readonly number[];
  scope: DataScope;
  clusterNames: ReadonlyMap<number, string>;
  /** Only allowed rows (previous-window edges). */
  allowedOnly?: boolean;
  /** Only destinations whose `namespace/name` is one of these (sensitive stores for "new edge"). */
  destinationWorkloads?: readonly string[];
  /** Only destinations with one of these domains (external LLM APIs for the spike baseline). */
  destinationDomains?: readonly string[];
}



function facts(end: EdgeEnd): GraphEndpointFacts {
  return { kind: end.kind as EndpointKind, namespace: end.namespace, name: end.name, workloadKind: null, pod: null, ip: end.ip, domain: end.domain, serviceName: null };
}

/**
 * Maps one end to its workload-level graph node id (core decides grouping: pods fold into their
 * workload, public IPs into `internet`), masking ends in namespaces the caller may not see.
 */
function nodeOf(cluster: string, clusterId: number, end: EdgeEnd, scope: DataScope, peers: Map<string, SeenPeer>): string {
  const inNamespace = (end.kind === 'workload' || end.kind === 'pod') && end.namespace;
  if (inNamespace && !isNamespaceVisible(scope, clusterId, end.namespace)) return outsideScopeNodeId(cluster);
  const id = endpointGraphNodeId(cluster, facts(end), 'workload');
  if (!inNamespace && !peers.has(id)) {
    // NOTE: no IP: public and private addresses fold into the `internet` / `private` nodes, so one
    // address would mislabel the whole group.
    peers.set(id, { id, cluster, ...(end.domain ? { domain: end.domain } : {}) });
  }
  return id;
}

function recordsOf(sql: Sql, query: EdgeQuery, perDay: boolean): Promise<WorkloadEdgeRecord[]> {
  const workloadFilter = query.destinationWorkloads
    ? sql`and d.kind in ('workload', 'pod') and (d.namespace || '/' || d.name) = any(${[...query.destinationWorkloads]}::text[])`
    : sql``;
  const domainFilter = query.destinationDomains ? sql`and d.domain = any(${[...query.destinationDomains]}::text[])` : sql``;
  return queryWorkloadEdgeRecords(sql, {
    table: query.table,
    from: query.from,
    to: query.to,
    clusterIds: query.clusterIds,
    allowedOnly: query.allowedOnly === true,
    where: sql`${edgeInScope(sql, query.scope, 's', 'd')} ${workloadFilter} ${domainFilter}`,
    perDay,
  });
}

/**
 * Observed edges of a window from one rollup, per cluster, at workload level: rollup rows joined to
 * the endpoint dictionary (scoped), mapped to graph node ids and merged per (source, destination,
 * port, protocol, verdict), with the deciding policies of the merged rows.
 */
export async function queryGenAiEdges(sql: Sql, query: EdgeQuery): Promise<Map<number, ClusterEdges>> {
  const byCluster = new Map<number, ClusterEdges>();
  if (query.clusterIds.length === 0) return byCluster;
  const records = await recordsOf(sql, query, false);
  for (const record of records) {
    if (byCluster.has(record.clusterId)) continue;
    byCluster.set(record.clusterId, { clusterId: record.clusterId, cluster: query.clusterNames.get(record.clusterId) ?? String(record.clusterId), edges: [], peers: new Map() });
  }
  const edgesByCluster = mergeObservedEdges(records, (record) => {
    const entry = byCluster.get(record.clusterId) as ClusterEdges;
    const [sourceEnd, destinationEnd] = edgeEnds(record);
    return {
      source: nodeOf(entry.cluster, record.clusterId, sourceEnd, query.scope, entry.peers),
      destination: nodeOf(entry.cluster, record.clusterId, destinationEnd, query.scope, entry.peers),
      group: record.clusterId,
    };
  });
  for (const [clusterId, edges] of edgesByCluster) (byCluster.get(clusterId) as ClusterEdges).edges.push(...edges);
  return byCluster;
}

export interface DailyEgressRow {
  clusterId: number;
  sourceNodeId: string;
  destinationNodeId: string;
  dayStartMs: number;
  bytesOut: number;
}

/** Allowed bytes sent per UTC day from workloads to the given external domains (hour rollup). */
export async function queryDailyEgress(sql: Sql, query: EdgeQuery): Promise<DailyEgressRow[]> {
  if (query.clusterIds.length === 0 || (query.destinationDomains && query.destinationDomains.length === 0)) return [];
  const records = await recordsOf(sql, { ...query, allowedOnly: true }, true);
  const merged = new Map<string, DailyEgressRow>();
  const peers = new Map<string, SeenPeer>();
  for (const record of records) {
    const cluster = query.clusterNames.get(record.clusterId) ?? String(record.clusterId);
    const [sourceEnd, destinationEnd] = edgeEnds(record);
    const sourceNodeId = nodeOf(cluster, record.clusterId, sourceEnd, query.scope, peers);
    const destinationNodeId = nodeOf(cluster, record.clusterId, destinationEnd, query.scope, peers);
    const dayStartMs = Math.round(record.dayMs ?? 0);
    const key = `${sourceNodeId}\n${destinationNodeId}\n${dayStartMs}`;
    const row = merged.get(key) ?? { clusterId: record.clusterId, sourceNodeId, destinationNodeId, dayStartMs, bytesOut: 0 };
    row.bytesOut += record.bytesOut;
    merged.set(key, row);
  }
  return [...merged.values()];
}

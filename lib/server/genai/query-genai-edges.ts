import 'server-only';
import type { Sql } from 'postgres';
import type { EndpointKind, Protocol, Verdict } from '@/core/flow/types';
import type { ObservedEdge, ObservedPolicy } from '@/core/genai';
import { endpointGraphNodeId } from '@/core/graph';
import type { GraphEndpointFacts } from '@/core/graph/types';
import { edgeInScope, isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import type { RollupTable } from '../graph/graph-window';
import { observedPoliciesOfKey } from '@/core/genai/observed-policies-of-key';

/** An end the caller may not see: every such end of a cluster folds into this one node. */
export function outsideScopeNodeId(cluster: string): string {
  return `${cluster}/-/outside/${OUTSIDE_SCOPE_LABEL.replaceAll(' ', '-')}`;
}

/** Endpoint facts of a rollup row end, as read from the `endpoints` dictionary. */
interface EndRecord {
  kind: string;
  namespace: string | null;
  name: string;
  ip: string | null;
  domain: string | null;
}

interface EdgeRecord {
  clusterId: number;
  sKind: string;
  sNamespace: string | null;
  sName: string;
  sIp: string | null;
  sDomain: string | null;
  dKind: string;
  dNamespace: string | null;
  dName: string;
  dIp: string | null;
  dDomain: string | null;
  port: number;
  protocol: string;
  verdict: Verdict;
  policyKey: string;
  flows: number;
  bytesOut: number;
  bytesIn: number;
  /** Only for the daily query. */
  dayMs?: number;
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



const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6']);

function facts(end: EndRecord): GraphEndpointFacts {
  return { kind: end.kind as EndpointKind, namespace: end.namespace, name: end.name, workloadKind: null, pod: null, ip: end.ip, domain: end.domain, serviceName: null };
}

/**
 * Maps one end to its workload-level graph node id (core decides grouping: pods fold into their
 * workload, public IPs into `internet`), masking ends in namespaces the caller may not see.
 */
function nodeOf(cluster: string, clusterId: number, end: EndRecord, scope: DataScope, peers: Map<string, SeenPeer>): string {
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

function endsOf(record: EdgeRecord): [EndRecord, EndRecord] {
  return [
    { kind: record.sKind, namespace: record.sNamespace, name: record.sName, ip: record.sIp, domain: record.sDomain },
    { kind: record.dKind, namespace: record.dNamespace, name: record.dName, ip: record.dIp, domain: record.dDomain },
  ];
}

async function queryRecords(sql: Sql, query: EdgeQuery, daily: boolean): Promise<EdgeRecord[]> {
  const table = sql(query.table);
  const clusterFilter = sql`and r.cluster_id = any(${[...query.clusterIds]}::int[])`;
  const verdictFilter = query.allowedOnly ? sql`and r.verdict = 'allowed'` : sql``;
  const workloadFilter = query.destinationWorkloads
    ? sql`and d.kind in ('workload', 'pod') and (d.namespace || '/' || d.name) = any(${[...query.destinationWorkloads]}::text[])`
    : sql``;
  const domainFilter = query.destinationDomains ? sql`and d.domain = any(${[...query.destinationDomains]}::text[])` : sql``;
  const day = daily ? sql`, (extract(epoch from date_trunc('day', agg.bucket_day)) * 1000)::float8 as "dayMs"` : sql``;
  const dayGroup = daily ? sql`, date_trunc('day', r.bucket at time zone 'UTC') as bucket_day` : sql``;
  const dayKey = daily ? sql`, bucket_day` : sql``;
  // Workload ends drop their IP in SQL so pods fold before leaving Postgres; external ends keep it
  // (core tells public from private). Counters are cast to float8: postgres.js returns int8 as text.
  return sql<EdgeRecord[]>`
    with agg as (
      select r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key ${dayGroup},
             sum(r.flows) as flows, sum(r.bytes_out) as bytes_out, sum(r.bytes_in) as bytes_in
      from ${table} r
      where r.bucket >= ${query.from} and r.bucket < ${query.to} ${clusterFilter} ${verdictFilter}
      group by r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key ${dayKey}
    )
    select agg.cluster_id as "clusterId",
           s.kind as "sKind", s.namespace as "sNamespace", s.name as "sName",
           case when s.kind in ('workload', 'pod') then null else s.ip end as "sIp", s.domain as "sDomain",
           d.kind as "dKind", d.namespace as "dNamespace", d.name as "dName",
           case when d.kind in ('workload', 'pod') then null else d.ip end as "dIp", d.domain as "dDomain",
           agg.dst_port as port, agg.protocol, agg.verdict, agg.policy_key as "policyKey",
           sum(agg.flows)::float8 as flows, sum(agg.bytes_out)::float8 as "bytesOut", sum(agg.bytes_in)::float8 as "bytesIn"
           ${day}
    from agg
    join endpoints s on s.cluster_id = agg.cluster_id and s.id = agg.src_id
    join endpoints d on d.cluster_id = agg.cluster_id and d.id = agg.dst_id
    where ${edgeInScope(sql, query.scope, 's', 'd')} ${workloadFilter} ${domainFilter}
    group by agg.cluster_id, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 ${daily ? sql`, agg.bucket_day` : sql``}`;
}

/**
 * Observed edges of a window from one rollup, per cluster, at workload level: rollup rows joined to
 * the endpoint dictionary (scoped), mapped to graph node ids and merged per (source, destination,
 * port, protocol, verdict), with the deciding policies of the merged rows.
 */
export async function queryGenAiEdges(sql: Sql, query: EdgeQuery): Promise<Map<number, ClusterEdges>> {
  const byCluster = new Map<number, ClusterEdges>();
  if (query.clusterIds.length === 0) return byCluster;
  const records = await queryRecords(sql, query, false);
  const merged = new Map<string, { edge: ObservedEdge & { policies: ObservedPolicy[] }; policyKeys: Set<string>; clusterId: number }>();
  for (const record of records) {
    const cluster = query.clusterNames.get(record.clusterId) ?? String(record.clusterId);
    let entry = byCluster.get(record.clusterId);
    if (!entry) {
      entry = { clusterId: record.clusterId, cluster, edges: [], peers: new Map() };
      byCluster.set(record.clusterId, entry);
    }
    const [sourceEnd, destinationEnd] = endsOf(record);
    const sourceNodeId = nodeOf(cluster, record.clusterId, sourceEnd, query.scope, entry.peers);
    const destinationNodeId = nodeOf(cluster, record.clusterId, destinationEnd, query.scope, entry.peers);
    if (sourceNodeId === destinationNodeId) continue;
    const port = record.port < 0 ? null : record.port;
    const protocol = (PROTOCOLS.has(record.protocol) ? record.protocol : 'other') as Protocol;
    const key = `${sourceNodeId}\n${destinationNodeId}\n${port}\n${protocol}\n${record.verdict}`;
    let current = merged.get(key);
    if (!current) {
      current = {
        edge: { sourceNodeId, destinationNodeId, destinationPort: port, protocol, verdict: record.verdict, flows: 0, bytesOut: 0, bytesIn: 0, policies: [] },
        policyKeys: new Set(),
        clusterId: record.clusterId,
      };
      merged.set(key, current);
    }
    const edge = current.edge as { flows: number; bytesOut: number; bytesIn: number };
    edge.flows += record.flows;
    edge.bytesOut += record.bytesOut;
    edge.bytesIn += record.bytesIn;
    if (!current.policyKeys.has(record.policyKey)) {
      current.policyKeys.add(record.policyKey);
      current.edge.policies.push(...observedPoliciesOfKey(record.policyKey));
    }
  }
  for (const { edge, clusterId } of merged.values()) byCluster.get(clusterId)?.edges.push(edge);
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
  const records = await queryRecords(sql, { ...query, allowedOnly: true }, true);
  const merged = new Map<string, DailyEgressRow>();
  const peers = new Map<string, SeenPeer>();
  for (const record of records) {
    const cluster = query.clusterNames.get(record.clusterId) ?? String(record.clusterId);
    const [sourceEnd, destinationEnd] = endsOf(record);
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

import 'server-only';
import type { Fragment, Sql } from 'postgres';
import type { GraphEdgeRow, GraphEndpointFacts } from '@/core/graph/types';
import type { EndpointKind, Verdict } from '@/core/flow/types';
import { clusterInScope, edgeInScope, FULL_SCOPE, isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import type { GraphQueryWindow, RollupSegment } from './graph-window';

export interface GraphRowsQuery {
  window: Pick<GraphQueryWindow, 'segments'>;
  /** The user's data scope (lib/server/auth/data-scope.ts); default: everything. */
  scope?: DataScope;
  /** Integer cluster ids (already resolved from names); empty = all. */
  clusterIds: number[];
  namespaces: string[];
  verdict: 'all' | Verdict;
  /** Keep pod names (a namespace is shown at pod level); otherwise pods fold into their workload in SQL. */
  withPods: boolean;
  /** Restrict to these endpoint ids (node/edge detail). */
  sourceIds?: string[];
  destinationIds?: string[];
}

interface GraphRowRecord {
  clusterId: number;
  sKind: string;
  sNamespace: string | null;
  sName: string;
  sWorkloadKind: string | null;
  sPod: string | null;
  sIp: string | null;
  sDomain: string | null;
  dKind: string;
  dNamespace: string | null;
  dName: string;
  dWorkloadKind: string | null;
  dPod: string | null;
  dIp: string | null;
  dDomain: string | null;
  port: number;
  protocol: string;
  verdict: Verdict;
  policyKey: string;
  pendingVerdict: string;
  flows: number;
  connections: number;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  lastSeenMs: number;
}

/**
 * Edge rows for a window from one rollup, grouped in SQL in two steps: first the rollup rows by their
 * key columns (integers and short text, a cheap hash aggregate), then — after joining the endpoint
 * dictionary — by the endpoint facts the graph draws, so pods (unless wanted) and the IPs of workloads
 * fold away before anything leaves Postgres. Every aggregate groups by cluster (Citus-friendly); cluster
 * names are mapped in Node (joining `clusters` made the planner misjudge the row count and pick nested
 * loops and a sort over the endpoint join instead of hash joins and a hash aggregate).
 * NOTE: counters are summed as float8 (exact to 2^53): sum(bigint) accumulates in numeric, which made the
 * pre-aggregation about a third slower, and postgres.js would return int8 sums as strings anyway.
 */
export async function queryGraphRows(sql: Sql, query: GraphRowsQuery): Promise<GraphEdgeRow[]> {
  const { window } = query;
  const scope = query.scope ?? FULL_SCOPE;
  const clusterFilter = query.clusterIds.length > 0 ? sql`and r.cluster_id = any(${query.clusterIds}::int[])` : sql``;
  const verdictFilter = query.verdict === 'all' ? sql`` : sql`and r.verdict = ${query.verdict}`;
  const sourceFilter = query.sourceIds ? sql`and r.src_id = any(${query.sourceIds}::bigint[])` : sql``;
  const destinationFilter = query.destinationIds ? sql`and r.dst_id = any(${query.destinationIds}::bigint[])` : sql``;
  const namespaceFilter =
    query.namespaces.length > 0 ? sql`and (s.namespace = any(${query.namespaces}::text[]) or d.namespace = any(${query.namespaces}::text[]))` : sql``;
  // Workload endpoints keep pod/ip only when pods are drawn; peers outside namespaces keep ip/domain (drill-down).
  const pod = (alias: 's' | 'd') => (query.withPods ? sql`${sql(alias)}.pod` : sql`null::text`);
  const ip = (alias: 's' | 'd') =>
    query.withPods ? sql`${sql(alias)}.ip` : sql`case when ${sql(alias)}.kind in ('workload', 'pod') then null else ${sql(alias)}.ip end`;

  // NOTE: the pre-aggregation hashes up to a few hundred thousand rollup rows (24 h of the hour rollup);
  // with the default 4 MB work_mem Postgres spills or sorts them on disk. A transaction-local work_mem
  // keeps the hash aggregates in memory. Parallel workers only add start-up cost on 2 cores.
  const records = await sql.begin(async (transaction) => {
    await transaction`set local work_mem = '128MB'`;
    await transaction`set local max_parallel_workers_per_gather = 0`;
    return transaction<GraphRowRecord[]>`
    with agg as (
      select r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key, r.pending_verdict,
             sum(r.flows::float8) as flows, sum(r.connections::float8) as connections, sum(r.bytes_out::float8) as bytes_out,
             sum(r.bytes_in::float8) as bytes_in, sum(r.packets_out::float8) as packets_out, sum(r.packets_in::float8) as packets_in,
             max(r.last_seen) as last_seen
      from (${segmentsUnion(sql, window.segments)}) r
      where ${clusterInScope(sql, scope, 'r.cluster_id')} ${clusterFilter} ${verdictFilter} ${sourceFilter} ${destinationFilter}
      group by r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key, r.pending_verdict
    )
    select agg.cluster_id as "clusterId",
           s.kind as "sKind", s.namespace as "sNamespace", s.name as "sName", s.workload_kind as "sWorkloadKind",
           ${pod('s')} as "sPod", ${ip('s')} as "sIp", s.domain as "sDomain",
           d.kind as "dKind", d.namespace as "dNamespace", d.name as "dName", d.workload_kind as "dWorkloadKind",
           ${pod('d')} as "dPod", ${ip('d')} as "dIp", d.domain as "dDomain",
           agg.dst_port as port, agg.protocol, agg.verdict, agg.policy_key as "policyKey", agg.pending_verdict as "pendingVerdict",
           sum(agg.flows)::float8 as flows, sum(agg.connections)::float8 as connections,
           sum(agg.bytes_out)::float8 as "bytesOut", sum(agg.bytes_in)::float8 as "bytesIn",
           sum(agg.packets_out)::float8 as "packetsOut", sum(agg.packets_in)::float8 as "packetsIn",
           (extract(epoch from max(agg.last_seen)) * 1000)::float8 as "lastSeenMs"
    from agg
    join endpoints s on s.cluster_id = agg.cluster_id and s.id = agg.src_id
    join endpoints d on d.cluster_id = agg.cluster_id and d.id = agg.dst_id
    where ${edgeInScope(sql, scope, 's', 'd')} ${namespaceFilter}
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20`;
  });
  const clusters = await sql<{ id: number; name: string }[]>`select id, name from clusters`;
  const nameOf = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  // One object per distinct endpoint: core caches node identities by endpoint object.
  const interned = new Map<string, GraphEndpointFacts>();
  const intern = (endpoint: GraphEndpointFacts): GraphEndpointFacts => {
    const key = `${endpoint.kind}|${endpoint.namespace ?? ''}|${endpoint.name}|${endpoint.workloadKind ?? ''}|${endpoint.pod ?? ''}|${endpoint.ip ?? ''}|${endpoint.domain ?? ''}`;
    const known = interned.get(key);
    if (known) return known;
    interned.set(key, endpoint);
    return endpoint;
  };
  return records.map((record) => {
    const row = maskOutsideScope(toGraphEdgeRow({ ...record, cluster: nameOf.get(record.clusterId) ?? String(record.clusterId) }), scope, record.clusterId);
    return { ...row, source: intern(row.source), destination: intern(row.destination) };
  });
}

/** The window's rollup reads as one UNION ALL (each segment a bucket range of one rollup view). */
function segmentsUnion(sql: Sql, segments: readonly RollupSegment[]): Fragment {
  if (segments.length === 0) return sql`select * from edge_rollup_1m where false`;
  return segments
    .map((segment) => sql`select * from ${sql(segment.table)} where bucket >= ${segment.from} and bucket < ${segment.to}`)
    .reduce((union, part) => sql`${union} union all ${part}`);
}

const OUTSIDE: GraphEndpointFacts = { kind: 'unknown', namespace: null, name: OUTSIDE_SCOPE_LABEL, workloadKind: null, pod: null, ip: null, domain: null, serviceName: null };

/** An end the user may not see (scope: the other end is visible) is drawn as one "outside your scope" peer. */
function maskOutsideScope(row: GraphEdgeRow, scope: DataScope, clusterId: number): GraphEdgeRow {
  if (scope.namespaces === null) return row;
  const visible = (facts: GraphEndpointFacts) => isNamespaceVisible(scope, clusterId, facts.kind === 'workload' || facts.kind === 'pod' ? facts.namespace : null);
  if (visible(row.source) && visible(row.destination)) return row;
  return { ...row, source: visible(row.source) ? row.source : OUTSIDE, destination: visible(row.destination) ? row.destination : OUTSIDE };
}

function facts(kind: string, namespace: string | null, name: string, workloadKind: string | null, pod: string | null, ip: string | null, domain: string | null): GraphEndpointFacts {
  return { kind: kind as EndpointKind, namespace, name, workloadKind, pod, ip, domain, serviceName: null };
}

/** DB row → core edge row (the converter lives at the boundary that owns the foreign type: STYLE 2). */
export function toGraphEdgeRow(record: GraphRowRecord & { cluster: string }): GraphEdgeRow {
  return {
    cluster: record.cluster,
    source: facts(record.sKind, record.sNamespace, record.sName, record.sWorkloadKind, record.sPod, record.sIp, record.sDomain),
    destination: facts(record.dKind, record.dNamespace, record.dName, record.dWorkloadKind, record.dPod, record.dIp, record.dDomain),
    port: record.port < 0 ? null : record.port,
    protocol: record.protocol,
    verdict: record.verdict,
    policyKey: record.policyKey,
    pendingVerdict: record.pendingVerdict === 'allowed' || record.pendingVerdict === 'denied' ? record.pendingVerdict : '',
    flows: record.flows,
    connections: record.connections,
    bytesOut: record.bytesOut,
    bytesIn: record.bytesIn,
    packetsOut: record.packetsOut,
    packetsIn: record.packetsIn,
    lastSeenMs: Math.round(record.lastSeenMs),
  };
}

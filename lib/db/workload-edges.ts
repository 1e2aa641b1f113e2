/**
 * Rollup rows at workload level, for the readers that reason about who talks to whom (GenAI analysis and
 * the posture job): the rows of a window summed per endpoint pair, port, protocol, verdict and deciding
 * policy, joined to the endpoint dictionary with pods folded into their workload in SQL (a workload end
 * drops its IP before grouping); then, in {@link mergeObservedEdges}, merged per graph node pair with
 * the policies that decided them. Shared by lib/server (web) and lib/db/posture (collector).
 */
import type { PendingQuery, Row, Sql } from 'postgres';
import type { Protocol, Verdict } from '../../core/flow/types';
import type { ObservedEdge, ObservedPolicy } from '../../core/genai';
import { observedPoliciesOfKey } from '../../core/genai/observed-policies-of-key';

export type RollupView = 'edge_rollup_1m' | 'edge_rollup_1h' | 'edge_rollup_6h' | 'edge_rollup_1d';
/** A view's stored part alone (without the pending batches' flows); read after a compaction. */
export type RollupStore = `${RollupView}_store`;

/** One end of an edge record, as the endpoint dictionary describes it. */
export interface EdgeEnd {
  kind: string;
  namespace: string | null;
  name: string;
  ip: string | null;
  domain: string | null;
}

export interface WorkloadEdgeRecord {
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
  /** With `perDay`: the UTC day of the rows. */
  dayMs?: number;
}

export interface WorkloadEdgeQuery {
  table: RollupView | RollupStore;
  from: Date;
  to: Date;
  clusterIds: readonly number[];
  allowedOnly?: boolean;
  /** A further condition on the joined ends `s` and `d` (scope, destination filters). */
  where?: PendingQuery<Row[]>;
  /** Group per UTC day too. */
  perDay?: boolean;
}

/**
 * The records of a window. The rollup rows meet the endpoint dictionary through hash joins whatever the
 * statistics say: a new day's partitions and a young endpoints table have none until autovacuum reaches
 * them, and the planner then chose a nested loop that read every endpoint of the cluster per rollup row
 * (39 s for one day of the ingest benchmark; 0.4 s hashed). The setting travels with the query.
 */
export async function queryWorkloadEdgeRecords(sql: Sql, query: WorkloadEdgeQuery): Promise<WorkloadEdgeRecord[]> {
  const daily = query.perDay === true;
  const verdictFilter = query.allowedOnly ? sql`and r.verdict = 'allowed'` : sql``;
  const day = daily ? sql`, (extract(epoch from date_trunc('day', agg.bucket_day)) * 1000)::float8 as "dayMs"` : sql``;
  const dayGroup = daily ? sql`, date_trunc('day', r.bucket at time zone 'UTC') as bucket_day` : sql``;
  const dayKey = daily ? sql`, bucket_day` : sql``;
  // NOTE: counters are cast to float8: postgres.js returns int8 as text.
  const [, records] = await sql.begin((tx) => [
    tx`select set_config('enable_nestloop', 'off', true)`,
    tx<WorkloadEdgeRecord[]>`
    with agg as (
      select r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key ${dayGroup},
             sum(r.flows) as flows, sum(r.bytes_out) as bytes_out, sum(r.bytes_in) as bytes_in
      from ${sql(query.table)} r
      where r.bucket >= ${query.from} and r.bucket < ${query.to} and r.cluster_id = any(${[...query.clusterIds]}::int[]) ${verdictFilter}
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
    where true ${query.where ? sql`and ${query.where}` : sql``}
    group by agg.cluster_id, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 ${daily ? sql`, agg.bucket_day` : sql``}`,
  ]);
  return records;
}

export function edgeEnds(record: WorkloadEdgeRecord): [EdgeEnd, EdgeEnd] {
  return [
    { kind: record.sKind, namespace: record.sNamespace, name: record.sName, ip: record.sIp, domain: record.sDomain },
    { kind: record.dKind, namespace: record.dNamespace, name: record.dName, ip: record.dIp, domain: record.dDomain },
  ];
}

const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6']);

/**
 * Merges records into observed edges per (source node, destination node, port, protocol, verdict), with
 * the deciding policies of the merged rows, grouped by `nodesOf`'s `group`. `nodesOf` names a record's
 * two graph nodes; a record whose ends fold into one node is not an edge.
 */
export function mergeObservedEdges<Key>(
  records: Iterable<WorkloadEdgeRecord>,
  nodesOf: (record: WorkloadEdgeRecord) => { source: string; destination: string; group: Key },
): Map<Key, ObservedEdge[]> {
  const merged = new Map<string, { edge: ObservedEdge & { policies: ObservedPolicy[] }; policyKeys: Set<string>; group: Key }>();
  for (const record of records) {
    const { source, destination, group } = nodesOf(record);
    if (source === destination) continue;
    const port = record.port < 0 ? null : record.port;
    const protocol = (PROTOCOLS.has(record.protocol) ? record.protocol : 'other') as Protocol;
    const key = `${source}\n${destination}\n${port}\n${protocol}\n${record.verdict}`;
    let entry = merged.get(key);
    if (!entry) {
      entry = {
        edge: { sourceNodeId: source, destinationNodeId: destination, destinationPort: port, protocol, verdict: record.verdict, flows: 0, bytesOut: 0, bytesIn: 0, policies: [] },
        policyKeys: new Set(),
        group,
      };
      merged.set(key, entry);
    }
    const edge = entry.edge as { flows: number; bytesOut: number; bytesIn: number };
    edge.flows += record.flows;
    edge.bytesOut += record.bytesOut;
    edge.bytesIn += record.bytesIn;
    if (!entry.policyKeys.has(record.policyKey)) {
      entry.policyKeys.add(record.policyKey);
      entry.edge.policies.push(...observedPoliciesOfKey(record.policyKey));
    }
  }
  const byGroup = new Map<Key, ObservedEdge[]>();
  for (const { edge, group } of merged.values()) {
    const edges = byGroup.get(group);
    if (edges) edges.push(edge);
    else byGroup.set(group, [edge]);
  }
  return byGroup;
}

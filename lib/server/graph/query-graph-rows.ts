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
  /** Cluster names by id when the caller has them (saves a round trip); otherwise read here. */
  clusterNames?: ReadonlyMap<number, string>;
}

/** One aggregated row as `.values()` returns it (positions match the select list of {@link queryGraphRows}). */
type GraphRowValues = [
  clusterId: number,
  sourceRepId: string,
  destinationRepId: string,
  port: number,
  protocol: string,
  verdict: Verdict,
  policyKey: string,
  pendingVerdict: string,
  flows: number,
  connections: number,
  bytesOut: number,
  bytesIn: number,
  packetsOut: number,
  packetsIn: number,
  lastSeenMs: number,
];

type EndpointValues = [clusterId: number, id: string, kind: string, namespace: string | null, name: string, workloadKind: string | null, pod: string | null, ip: string | null, domain: string | null];

/**
 * Edge rows for a window from the rollups, grouped in SQL in two steps: first the rollup rows by their
 * key columns (integers and short text, a cheap hash aggregate), then by the endpoints the graph draws:
 * each endpoint seen is mapped to a representative id (the smallest id with the same drawn facts — pods,
 * unless wanted, and the IPs of workloads fold away), so the second aggregate groups by integers too and
 * nothing wide leaves Postgres per row. The facts of the representatives come in a second, small query
 * and are shared (one object per endpoint: core caches node identities by endpoint object).
 * NOTE: grouping and returning the endpoint text per row (27 columns × 8,000 rows, a sort-based group
 * on 20 columns) cost more than the rollup scan itself on the bench data; rows come back as arrays
 * (`.values()`), not objects. Every aggregate groups by cluster (Citus-friendly); cluster names are
 * mapped in Node. Counters are summed as float8 (exact to 2^53): sum(bigint) accumulates in numeric,
 * which made the pre-aggregation about a third slower, and postgres.js returns int8 sums as strings.
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
  const pod = query.withPods ? sql`e.pod` : sql`null::text`;
  const ip = query.withPods ? sql`e.ip` : sql`case when e.kind in ('workload', 'pod') then null else e.ip end`;

  // NOTE: the pre-aggregation hashes up to a few hundred thousand rollup rows (24 h of the hour rollup);
  // with the default 4 MB work_mem Postgres spills or sorts them on disk. A transaction-local work_mem
  // keeps the hash aggregates in memory. Parallel workers only add start-up cost on 2 cores.
  const records = await sql.begin(async (transaction) => {
    // NOTE: the planner estimates the CTEs at a handful of rows and would nest-loop over them (seconds on
    // 8,000 rows) or merge-join on cluster_id alone (16 million pairs); every join here is an equality on
    // (cluster_id, id), which hash joins handle best; for the same reason it would sort 8,000 rows to
    // group them instead of hashing (the window function still sorts its ~2,000). One statement sets all (`set local` each): round
    // trips count on a loaded machine.
    await transaction`
      select set_config('work_mem', '128MB', true), set_config('max_parallel_workers_per_gather', '0', true),
             set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('enable_sort', 'off', true)`;
    // `.values()`: rows as arrays in select-list order (GraphRowValues), no per-row objects.
    const values: unknown = await transaction`
    with agg as (
      select r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key, r.pending_verdict,
             sum(r.flows::float8) as flows, sum(r.connections::float8) as connections, sum(r.bytes_out::float8) as bytes_out,
             sum(r.bytes_in::float8) as bytes_in, sum(r.packets_out::float8) as packets_out, sum(r.packets_in::float8) as packets_in,
             max(r.last_seen) as last_seen
      from (${segmentsUnion(sql, window.segments)}) r
      where ${clusterInScope(sql, scope, 'r.cluster_id')} ${clusterFilter} ${verdictFilter} ${sourceFilter} ${destinationFilter}
      group by r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key, r.pending_verdict
    ), seen as (
      select cluster_id, src_id as id from agg union select cluster_id, dst_id from agg
    ), folded as (
      select e.cluster_id, e.id, e.namespace,
             min(e.id) over (partition by e.cluster_id, e.kind, e.namespace, e.name, e.workload_kind, ${pod}, ${ip}, e.domain) as rep
      from seen join endpoints e on e.cluster_id = seen.cluster_id and e.id = seen.id
    )
    select agg.cluster_id, s.rep, d.rep, agg.dst_port, agg.protocol, agg.verdict, agg.policy_key, agg.pending_verdict,
           sum(agg.flows)::float8, sum(agg.connections)::float8, sum(agg.bytes_out)::float8, sum(agg.bytes_in)::float8,
           sum(agg.packets_out)::float8, sum(agg.packets_in)::float8, (extract(epoch from max(agg.last_seen)) * 1000)::float8
    from agg
    join folded s on s.cluster_id = agg.cluster_id and s.id = agg.src_id
    join folded d on d.cluster_id = agg.cluster_id and d.id = agg.dst_id
    where ${edgeInScope(sql, scope, 's', 'd')} ${namespaceFilter}
    group by agg.cluster_id, s.rep, d.rep, agg.dst_port, agg.protocol, agg.verdict, agg.policy_key, agg.pending_verdict`.values();
    return values as GraphRowValues[];
  });
  if (records.length === 0) return [];
  const wanted = new Map<string, [number, string]>();
  for (const record of records) {
    wanted.set(`${record[0]}/${record[1]}`, [record[0], record[1]]);
    wanted.set(`${record[0]}/${record[2]}`, [record[0], record[2]]);
  }
  const keys = [...wanted.values()];
  const [endpoints, nameOf] = await Promise.all([
    sql`
      select e.cluster_id, e.id, e.kind, e.namespace, e.name, e.workload_kind, ${pod}, ${ip}, e.domain
      from unnest(${keys.map((key) => key[0])}::int[], ${keys.map((key) => key[1])}::bigint[]) as k(cluster_id, id)
      join endpoints e on e.cluster_id = k.cluster_id and e.id = k.id`
      .values()
      .then((values): unknown => values) as Promise<EndpointValues[]>,
    query.clusterNames ??
      sql<{ id: number; name: string }[]>`select id, name from clusters`.then((clusters) => new Map(clusters.map((cluster) => [cluster.id, cluster.name]))),
  ]);
  // One object per drawn endpoint (and one masked copy per cluster): core caches node identities by object.
  const factsById = new Map<string, GraphEndpointFacts>();
  for (const [clusterId, id, kind, namespace, name, workloadKind, endpointPod, endpointIp, domain] of endpoints) {
    const endpoint = facts(kind, namespace, name, workloadKind, endpointPod, endpointIp, domain);
    factsById.set(`${clusterId}/${id}`, isVisible(scope, clusterId, endpoint) ? endpoint : OUTSIDE);
  }
  const rows: GraphEdgeRow[] = [];
  for (const record of records) {
    const [clusterId, sourceRep, destinationRep, port, protocol, verdict, policyKey, pendingVerdict] = record;
    const source = factsById.get(`${clusterId}/${sourceRep}`);
    const destination = factsById.get(`${clusterId}/${destinationRep}`);
    if (!source || !destination) continue; // an endpoint deleted between the two queries
    rows.push({
      cluster: nameOf.get(clusterId) ?? String(clusterId),
      source,
      destination,
      port: port < 0 ? null : port,
      protocol,
      verdict,
      policyKey,
      pendingVerdict: pendingVerdict === 'allowed' || pendingVerdict === 'denied' ? pendingVerdict : '',
      flows: record[8],
      connections: record[9],
      bytesOut: record[10],
      bytesIn: record[11],
      packetsOut: record[12],
      packetsIn: record[13],
      lastSeenMs: Math.round(record[14]),
    });
  }
  return rows;
}

/** The rollup columns the graph reads (not `*`: less to project through the views' UNION ALL). */
const ROLLUP_COLUMNS = [
  'cluster_id', 'src_id', 'dst_id', 'dst_port', 'protocol', 'verdict', 'policy_key', 'pending_verdict',
  'flows', 'connections', 'bytes_out', 'bytes_in', 'packets_out', 'packets_in', 'last_seen',
] as const;

/** The window's rollup reads as one UNION ALL (each segment a bucket range of one rollup view). */
function segmentsUnion(sql: Sql, segments: readonly RollupSegment[]): Fragment {
  if (segments.length === 0) return sql`select * from edge_rollup_1m where false`;
  return segments
    .map((segment) => sql`select ${sql(ROLLUP_COLUMNS)} from ${sql(segment.table)} where bucket >= ${segment.from} and bucket < ${segment.to}`)
    .reduce((union, part) => sql`${union} union all ${part}`);
}

const OUTSIDE: GraphEndpointFacts = { kind: 'unknown', namespace: null, name: OUTSIDE_SCOPE_LABEL, workloadKind: null, pod: null, ip: null, domain: null, serviceName: null };

/** An end the user may not see (scope: the other end is visible) is drawn as one "outside your scope" peer. */
function isVisible(scope: DataScope, clusterId: number, endpoint: GraphEndpointFacts): boolean {
  if (scope.namespaces === null) return true;
  return isNamespaceVisible(scope, clusterId, endpoint.kind === 'workload' || endpoint.kind === 'pod' ? endpoint.namespace : null);
}

function facts(kind: string, namespace: string | null, name: string, workloadKind: string | null, pod: string | null, ip: string | null, domain: string | null): GraphEndpointFacts {
  return { kind: kind as EndpointKind, namespace, name, workloadKind, pod, ip, domain, serviceName: null };
}

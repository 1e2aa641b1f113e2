import 'server-only';
import type { Fragment, Sql } from 'postgres';
import { addEdgeCounters } from '@/core/graph';
import type { GraphEdgeRow, GraphEndpointFacts } from '@/core/graph/types';
import type { EndpointKind, Verdict } from '@/core/flow/types';
import { clusterInScope, endpointInScope, FULL_SCOPE, isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import type { GraphQueryWindow, RollupSegment } from './graph-window';

export interface GraphRowsQuery {
  window: Pick<GraphQueryWindow, 'segments'>;
  /** The user's data scope (lib/server/auth/data-scope.ts); default: everything. */
  scope?: DataScope;
  /** Integer cluster ids (already resolved from names); empty = all. */
  clusterIds: number[];
  namespaces: string[];
  verdict: 'all' | Verdict;
  /** Keep pod names (a namespace is shown at pod level); otherwise pods fold into their workload. */
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
  sourceId: string,
  destinationId: string,
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
 * Edge rows for a window from the rollups: one hash aggregate in SQL groups the rollup rows by their key
 * columns (integers and short text), and the endpoints' facts come in a second, small query. Endpoints
 * the graph draws alike — pods, unless wanted, and the IPs of workloads masked — share one facts object
 * (core caches node identities by object), and rows whose ends fold together are merged here.
 * NOTE: folding in SQL (a window function over the endpoints seen, two joins and a second aggregate)
 * cost as much as aggregating the 24,000 rollup rows of the bench's 24 h window (~25 ms); the fold in
 * Node is a few milliseconds for its 2,000 endpoints and 8,000 rows. Grouping and returning the endpoint text per row (27 columns × 8,000 rows, a
 * sort-based group on 20 columns) cost more than the rollup scan itself. Rows come back as arrays
 * (`.values()`), not objects. The aggregate groups by cluster (Citus-friendly); cluster names are mapped
 * in Node. Counters are summed as float8 (exact to 2^53): sum(bigint) accumulates in numeric, which made
 * the aggregation about a third slower, and postgres.js returns int8 sums as strings.
 */
export async function queryGraphRows(sql: Sql, query: GraphRowsQuery): Promise<GraphEdgeRow[]> {
  const { window } = query;
  const scope = query.scope ?? FULL_SCOPE;
  const clusterFilter = query.clusterIds.length > 0 ? sql`and r.cluster_id = any(${query.clusterIds}::int[])` : sql``;
  const verdictFilter = query.verdict === 'all' ? sql`` : sql`and r.verdict = ${query.verdict}`;
  const sourceFilter = query.sourceIds ? sql`and r.src_id = any(${query.sourceIds}::bigint[])` : sql``;
  const destinationFilter = query.destinationIds ? sql`and r.dst_id = any(${query.destinationIds}::bigint[])` : sql``;
  // Filters on an end's namespace run on the grouped rows: the endpoints each allows, read once (a CTE),
  // then a hashed lookup of either end per row.
  const endFilters: [name: string, condition: Fragment][] = [];
  if (query.namespaces.length > 0) endFilters.push(['namespace_ends', sql`e.namespace = any(${query.namespaces}::text[])`]);
  // Without namespace limits the scope is the clusters, already filtered on the rollup rows.
  if (scope.namespaces !== null) endFilters.push(['scope_ends', endpointInScope(sql, scope, 'e')]);
  const endpointClusterFilter = query.clusterIds.length > 0 ? sql`and e.cluster_id = any(${query.clusterIds}::int[])` : sql``;
  const endSets = endFilters.map(([name, condition]) => sql`${sql(name)} as materialized (select e.cluster_id, e.id from endpoints e where ${condition} ${endpointClusterFilter})`);
  const withEndSets = endSets.length > 0 ? sql`with ${endSets.reduce((list, set) => sql`${list}, ${set}`)}` : sql``;
  const endsFilter = endFilters
    .map(([name]) => sql`and ((agg.cluster_id, agg.src_id) in (select cluster_id, id from ${sql(name)}) or (agg.cluster_id, agg.dst_id) in (select cluster_id, id from ${sql(name)}))`)
    .reduce((filters, filter) => sql`${filters} ${filter}`, sql``);

  // NOTE: the aggregate hashes up to a few hundred thousand rollup rows; with the default 4 MB work_mem
  // Postgres spills or sorts them on disk, and the planner, misjudging the groups, may sort them to group
  // them. A transaction-local work_mem and no sorts keep it one in-memory hash aggregate. Parallel
  // workers only add start-up cost on 2 cores. The settings go in the same round trip as the query.
  const [, values] = await sql.begin((transaction) => [
    transaction`
      select set_config('work_mem', '128MB', true), set_config('max_parallel_workers_per_gather', '0', true), set_config('enable_sort', 'off', true)`,
    // `.values()`: rows as arrays in select-list order (GraphRowValues), no per-row objects.
    transaction`
    ${withEndSets}
    select agg.cluster_id, agg.src_id, agg.dst_id, agg.dst_port, agg.protocol, agg.verdict, agg.policy_key, agg.pending_verdict,
           agg.flows, agg.connections, agg.bytes_out, agg.bytes_in, agg.packets_out, agg.packets_in,
           (extract(epoch from agg.last_seen) * 1000)::float8
    from (
      select r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key, r.pending_verdict,
             sum(r.flows::float8) as flows, sum(r.connections::float8) as connections, sum(r.bytes_out::float8) as bytes_out,
             sum(r.bytes_in::float8) as bytes_in, sum(r.packets_out::float8) as packets_out, sum(r.packets_in::float8) as packets_in,
             max(r.last_seen) as last_seen
      from (${segmentsUnion(sql, window.segments)}) r
      where ${clusterInScope(sql, scope, 'r.cluster_id')} ${clusterFilter} ${verdictFilter} ${sourceFilter} ${destinationFilter}
      group by r.cluster_id, r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict, r.policy_key, r.pending_verdict
    ) agg
    where true ${endsFilter}`.values(),
  ]);
  const records = values as unknown as GraphRowValues[];
  if (records.length === 0) return [];
  const wanted = new Map<string, [number, string]>();
  for (const record of records) {
    wanted.set(`${record[0]}/${record[1]}`, [record[0], record[1]]);
    wanted.set(`${record[0]}/${record[2]}`, [record[0], record[2]]);
  }
  const keys = [...wanted.values()];
  // Workload endpoints keep pod/ip only when pods are drawn; peers outside namespaces keep ip/domain (drill-down).
  const pod = query.withPods ? sql`e.pod` : sql`null::text`;
  const ip = query.withPods ? sql`e.ip` : sql`case when e.kind in ('workload', 'pod') then null else e.ip end`;
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
  const { factsOf, folded } = foldEndpoints(scope, endpoints);
  const rows: GraphEdgeRow[] = [];
  for (const record of records) {
    const [clusterId, sourceId, destinationId, port, protocol, verdict, policyKey, pendingVerdict] = record;
    const byId = factsOf.get(clusterId);
    const source = byId?.get(sourceId);
    const destination = byId?.get(destinationId);
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
  return folded ? mergeFoldedRows(rows) : rows;
}

/**
 * One facts object per endpoint the graph draws (by cluster, then endpoint id): endpoints with the same
 * drawn facts share one, and every end the user may not see is the one "outside your scope" peer.
 * `folded` says whether any two endpoints came to share an object (their rows then need merging).
 */
function foldEndpoints(scope: DataScope, endpoints: readonly EndpointValues[]): { factsOf: Map<number, Map<string, GraphEndpointFacts>>; folded: boolean } {
  const factsOf = new Map<number, Map<string, GraphEndpointFacts>>();
  const byDrawnFacts = new Map<string, GraphEndpointFacts>();
  let outsideSeen = false;
  let folded = false;
  for (const [clusterId, id, kind, namespace, name, workloadKind, endpointPod, endpointIp, domain] of endpoints) {
    let endpoint = facts(kind, namespace, name, workloadKind, endpointPod, endpointIp, domain);
    if (!isVisible(scope, clusterId, endpoint)) {
      folded ||= outsideSeen;
      outsideSeen = true;
      endpoint = OUTSIDE;
    } else {
      const key = JSON.stringify([clusterId, kind, namespace, name, workloadKind, endpointPod, endpointIp, domain]);
      const drawn = byDrawnFacts.get(key);
      if (drawn) {
        folded = true;
        endpoint = drawn;
      } else byDrawnFacts.set(key, endpoint);
    }
    let byId = factsOf.get(clusterId);
    if (!byId) {
      byId = new Map();
      factsOf.set(clusterId, byId);
    }
    byId.set(id, endpoint);
  }
  return { factsOf, folded };
}

/** Rows of the same cluster, ends (facts objects), port, protocol, verdict and policies, summed. */
function mergeFoldedRows(rows: readonly GraphEdgeRow[]): GraphEdgeRow[] {
  const endIndex = new Map<GraphEndpointFacts, number>();
  const indexOf = (endpoint: GraphEndpointFacts): number => {
    let index = endIndex.get(endpoint);
    if (index === undefined) {
      index = endIndex.size;
      endIndex.set(endpoint, index);
    }
    return index;
  };
  const merged = new Map<string, GraphEdgeRow>();
  for (const row of rows) {
    const key = `${row.cluster}\u0000${indexOf(row.source)}\u0000${indexOf(row.destination)}\u0000${row.port}\u0000${row.protocol}\u0000${row.verdict}\u0000${row.policyKey}\u0000${row.pendingVerdict}`;
    const into = merged.get(key);
    if (into) addEdgeCounters(into, row);
    else merged.set(key, { ...row });
  }
  return [...merged.values()];
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

import 'server-only';
import type { Sql } from 'postgres';
import type { ObservedEdge, ObservedEndpoint } from '@/core/policy';
import { edgeInScope, isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import { graphWindow } from '../graph/graph-window';

export interface ObservedEdgesQuery {
  clusterId: number;
  fromMs: number;
  toMs: number;
  /** Only edges with an end in this namespace (and workload, when given). */
  touching?: { namespace: string; workload?: string };
}

export interface ObservedEdgesResult {
  edges: ObservedEdge[];
  rollup: '1m' | '1h';
  rowCount: number;
}

interface Row {
  port: number;
  protocol: string;
  verdict: 'allowed' | 'denied';
  flows: number;
  lastSeen: Date;
  sKind: string;
  sNamespace: string | null;
  sName: string;
  sWorkloadKind: string | null;
  sPod: string | null;
  sIp: string | null;
  sDomain: string | null;
  sLabels: unknown;
  dKind: string;
  dNamespace: string | null;
  dName: string;
  dWorkloadKind: string | null;
  dPod: string | null;
  dIp: string | null;
  dDomain: string | null;
  dLabels: unknown;
}

/** Labels arrive as a jsonb object, or (older writers) as a JSON-encoded string of one. */
function labelsOf(value: unknown): Record<string, string> {
  let parsed = value;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed) as unknown;
    } catch {
      return {};
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const WORKLOAD_KINDS = new Set(['workload', 'pod']);

/** Converts one side of a row: workloads by namespace/name (+labels), everything else by IP. */
function endpointOf(scope: DataScope, clusterId: number, kind: string, namespace: string | null, name: string, workloadKind: string | null, pod: string | null, ip: string | null, domain: string | null, labels: unknown): ObservedEndpoint {
  const visible = isNamespaceVisible(scope, clusterId, namespace);
  if (WORKLOAD_KINDS.has(kind) && namespace) {
    return {
      node: visible ? `${namespace}/${name}` : OUTSIDE_SCOPE_LABEL,
      ...(visible && (pod ?? ip) ? { detail: pod ?? ip ?? undefined } : {}),
      external: false,
      namespace,
      workload: name,
      ...(workloadKind && kind === 'workload' ? { workloadKind: workloadKind as ObservedEndpoint['workloadKind'] } : {}),
      labels: labelsOf(labels),
      ...(ip ? { ip } : {}),
    };
  }
  const node = domain ?? ip ?? name;
  return { node, ...(ip && ip !== node ? { detail: ip } : {}), external: true, ...(ip ? { ip } : {}) };
}

/**
 * Observed traffic of one cluster over a window, from the rollups (minute rollup up to 6 h, hour rollup
 * beyond, never raw flows): aggregated by (source endpoint, destination endpoint, port, protocol,
 * observed verdict) in SQL, then joined to the endpoint dictionary for namespace, workload, labels and
 * IP. Only edges with an end in the user's scope; ends outside it keep their identity for evaluation
 * but are shown as "outside your scope".
 */
export async function queryObservedEdges(sql: Sql, scope: DataScope, query: ObservedEdgesQuery): Promise<ObservedEdgesResult> {
  const window = graphWindow(query.fromMs, query.toMs);
  const table = sql(window.table);
  const touching = query.touching
    ? query.touching.workload !== undefined
      ? sql`and ((s.namespace = ${query.touching.namespace} and s.name = ${query.touching.workload} and s.kind in ('workload', 'pod'))
             or (d.namespace = ${query.touching.namespace} and d.name = ${query.touching.workload} and d.kind in ('workload', 'pod')))`
      : sql`and ((s.namespace = ${query.touching.namespace} and s.kind in ('workload', 'pod')) or (d.namespace = ${query.touching.namespace} and d.kind in ('workload', 'pod')))`
    : sql``;
  const rows = await sql<Row[]>`
    with grouped as (
      select r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict,
             sum(r.flows)::float8 as flows, max(r.last_seen) as last_seen
      from ${table} r
      where r.cluster_id = ${query.clusterId} and r.bucket >= ${window.from} and r.bucket < ${window.to}
      group by r.src_id, r.dst_id, r.dst_port, r.protocol, r.verdict
    )
    select g.dst_port as port, g.protocol, g.verdict, g.flows, g.last_seen as "lastSeen",
           s.kind as "sKind", s.namespace as "sNamespace", s.name as "sName", s.workload_kind as "sWorkloadKind", s.pod as "sPod", s.ip as "sIp", s.domain as "sDomain", s.labels as "sLabels",
           d.kind as "dKind", d.namespace as "dNamespace", d.name as "dName", d.workload_kind as "dWorkloadKind", d.pod as "dPod", d.ip as "dIp", d.domain as "dDomain", d.labels as "dLabels"
    from grouped g
    join endpoints s on s.cluster_id = ${query.clusterId} and s.id = g.src_id
    join endpoints d on d.cluster_id = ${query.clusterId} and d.id = g.dst_id
    where ${edgeInScope(sql, scope, 's', 'd')} ${touching}`;
  const edges = rows.map((row): ObservedEdge => ({
    source: endpointOf(scope, query.clusterId, row.sKind, row.sNamespace, row.sName, row.sWorkloadKind, row.sPod, row.sIp, row.sDomain, row.sLabels),
    destination: endpointOf(scope, query.clusterId, row.dKind, row.dNamespace, row.dName, row.dWorkloadKind, row.dPod, row.dIp, row.dDomain, row.dLabels),
    port: row.port < 0 ? null : row.port,
    protocol: row.protocol,
    verdict: row.verdict,
    flows: Number(row.flows),
    lastSeenMs: row.lastSeen.getTime(),
  }));
  return { edges, rollup: window.rollup, rowCount: rows.length };
}

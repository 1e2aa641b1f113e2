import 'server-only';
import type { Sql } from 'postgres';
import { buildServiceGraph } from '@/core/graph';
import type { Coverage } from '@/core/policy';
import { resolveGraphWindow, type GraphDto, type GraphRequest } from '../../api/graph';
import { FULL_SCOPE, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { AppError } from '../errors';
import { graphQueryWindow } from './graph-window';
import { latestInventories, type ClusterInventory } from './latest-inventories';
import { queryGraphRows } from './query-graph-rows';

interface ClusterRow {
  id: number;
  name: string;
  displayName: string | null;
}

export async function listClusters(sql: Sql): Promise<ClusterRow[]> {
  return sql<ClusterRow[]>`select id, name, display_name as "displayName" from clusters order by name`;
}

/** Cluster names → ids; an unknown name is a 404 (a stale shared link), not an empty graph. */
export function resolveClusterIds(all: readonly ClusterRow[], names: readonly string[]): number[] {
  return names.map((name) => {
    const found = all.find((cluster) => cluster.name === name);
    if (!found) throw new AppError('not_found', `No cluster named "${name}".`);
    return found.id;
  });
}

export function coverageByCluster(inventories: readonly ClusterInventory[]): Record<string, Coverage> {
  return Object.fromEntries(inventories.map((entry) => [entry.cluster, entry.coverage]));
}

export interface GetGraphOptions {
  nowMs?: number;
  sql?: Sql;
  /** The user's data scope; default: everything (benchmarks, tests). */
  scope?: DataScope;
}

/** Clusters the scope lets the user see (pickers never offer the others). */
export function clustersInScope<T extends { id: number }>(clusters: readonly T[], scope: DataScope): T[] {
  return scope.clusterIds === null ? [...clusters] : clusters.filter((cluster) => scope.clusterIds?.includes(cluster.id));
}

/**
 * The service graph for a window, clusters, namespaces and verdict: rollup rows (1m up to 6 h, 1h
 * beyond, 1d from 3 days) within the user's scope → core's buildServiceGraph with the latest
 * inventory's coverage per cluster.
 */
export async function getGraph(request: GraphRequest, options: GetGraphOptions = {}): Promise<GraphDto> {
  const sql = options.sql ?? getSql();
  const scope = options.scope ?? FULL_SCOPE;
  const nowMs = options.nowMs ?? Date.now();
  const { fromMs, toMs } = resolveGraphWindow(request, nowMs);
  const window = graphQueryWindow(fromMs, toMs, nowMs);
  const clusters = clustersInScope(await listClusters(sql), scope);
  const clusterIds = resolveClusterIds(clusters, request.cluster);
  const visibleIds = clusterIds.length > 0 ? clusterIds : clusters.map((cluster) => cluster.id);
  const withPods = request.level === 'pod' || (request.level === 'workload' && request.expand.length > 0);
  const [rows, inventories] = await Promise.all([
    queryGraphRows(sql, { window, clusterIds, namespaces: request.ns, verdict: request.verdict, withPods, scope, clusterNames: new Map(clusters.map((cluster) => [cluster.id, cluster.name])) }),
    // NOTE: an empty id list means "every cluster" to latestInventories; with nothing in scope, ask for none.
    visibleIds.length > 0 ? latestInventories(sql, visibleIds) : Promise.resolve([]),
  ]);
  const graph = buildServiceGraph({
    rows,
    level: request.level,
    expandedNamespaces: request.expand,
    collapsedNamespaces: request.collapse,
    coverageByCluster: coverageByCluster(inventories),
  });
  const namespaces = new Set<string>();
  for (const row of rows) {
    if (row.source.namespace) namespaces.add(row.source.namespace);
    if (row.destination.namespace) namespaces.add(row.destination.namespace);
  }
  return {
    generatedAtMs: nowMs,
    fromMs,
    toMs,
    rollup: window.rollup,
    rowCount: rows.length,
    graph,
    clusters: clusters.map((cluster) => ({
      ...cluster,
      inventoryTakenAtMs: inventories.find((entry) => entry.clusterId === cluster.id)?.takenAtMs ?? null,
    })),
    namespaces: [...namespaces].sort(),
  };
}

/** The cluster name of a node id, checked against the known clusters. */
export function clusterOfNodeIdOrThrow(all: readonly ClusterRow[], nodeId: string): ClusterRow {
  const name = nodeId.split('/')[0] ?? '';
  const cluster = all.find((candidate) => candidate.name === name);
  if (!cluster) throw new AppError('not_found', `No cluster named "${name}" (from node ${nodeId}).`);
  return cluster;
}

import 'server-only';
import type { Sql } from 'postgres';
import { resolveFlowWindow, type FlowFilter } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';

export interface ResolvedFlowQuery {
  fromMs: number;
  toMs: number;
  /** The filter's clusters as ids (null = no cluster filter). */
  clusterFilter: number[] | null;
  /** Clusters to visit: filtered, in scope. Queries run per cluster so each uses the (cluster_id, start_time, id) key in order. */
  clusterIds: number[];
  clusterNames: Map<number, string>;
}

/** The window (relative ranges end at `nowMs`) and the clusters a flow query visits. */
export async function resolveFlowQuery(sql: Sql, filter: Pick<FlowFilter, 'range' | 'from' | 'to' | 'cluster'>, scope: DataScope, nowMs: number): Promise<ResolvedFlowQuery> {
  const { fromMs, toMs } = resolveFlowWindow(filter, nowMs);
  const clusters = await sql<{ id: number; name: string }[]>`select id, name from clusters order by id`;
  const clusterNames = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const wanted = new Set(filter.cluster);
  const clusterFilter = filter.cluster.length > 0 ? clusters.filter((cluster) => wanted.has(cluster.name)).map((cluster) => cluster.id) : null;
  const clusterIds = clusters
    .map((cluster) => cluster.id)
    .filter((id) => (clusterFilter === null || clusterFilter.includes(id)) && (scope.clusterIds === null || scope.clusterIds.includes(id)));
  return { fromMs, toMs, clusterFilter, clusterIds, clusterNames };
}

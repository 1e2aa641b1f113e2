import 'server-only';
import type { Sql } from 'postgres';
import type { Inventory } from '@/core/inventory';
import type { Coverage } from '@/core/policy';
import type { PolicyClusterDto } from '../../api/policies';
import type { DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { AppError } from '../errors';
import { latestInventories } from '../graph/latest-inventories';

export interface PolicyCluster {
  id: number;
  name: string;
  /** The clusters the user may pick from (in scope), each with its latest snapshot. */
  clusters: PolicyClusterDto[];
  snapshot: { id: string; takenAtMs: number; inventory: Inventory; coverage: Coverage } | null;
}

/**
 * The cluster a policies request names, checked against the user's scope (a cluster outside it is a
 * 404, as if it did not exist), with its latest inventory snapshot parsed (cached by snapshot id).
 */
export async function loadPolicyCluster(sql: Sql, scope: DataScope, clusterName: string): Promise<PolicyCluster> {
  const all = await sql<{ id: number; name: string }[]>`select id, name from clusters order by name`;
  const visible = all.filter((cluster) => scope.clusterIds === null || scope.clusterIds.includes(cluster.id));
  const cluster = visible.find((candidate) => candidate.name === clusterName);
  if (!cluster) throw new AppError('not_found', `No cluster named "${clusterName}".`);
  const inventories = await latestInventories(sql, visible.map((entry) => entry.id));
  const byId = new Map(inventories.map((entry) => [entry.clusterId, entry]));
  const own = byId.get(cluster.id);
  return {
    id: cluster.id,
    name: cluster.name,
    clusters: visible.map((entry) => ({
      id: entry.id,
      name: entry.name,
      snapshotId: byId.get(entry.id)?.snapshotId ?? null,
      inventoryTakenAtMs: byId.get(entry.id)?.takenAtMs ?? null,
    })),
    snapshot: own ? { id: own.snapshotId, takenAtMs: own.takenAtMs, inventory: own.inventory, coverage: own.coverage } : null,
  };
}

/** The snapshot or a 404 that says what to do: nothing can be evaluated without an inventory. */
export function snapshotOrThrow(cluster: PolicyCluster): NonNullable<PolicyCluster['snapshot']> {
  if (!cluster.snapshot) {
    throw new AppError('not_found', `Cluster "${cluster.name}" has no inventory snapshot yet: upload one (kubectl get … -o json) so its policies can be evaluated.`);
  }
  return cluster.snapshot;
}

/** Names of the clusters in the user's scope, for the page's cluster picker and its default. */
export async function listPolicyClusterNames(scope: DataScope, sql: Sql = getSql()): Promise<string[]> {
  const all = await sql<{ id: number; name: string }[]>`select id, name from clusters order by name`;
  return all.filter((cluster) => scope.clusterIds === null || scope.clusterIds.includes(cluster.id)).map((cluster) => cluster.name);
}

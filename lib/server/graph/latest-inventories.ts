import 'server-only';
import type { Sql } from 'postgres';
import { buildInventory, type Inventory } from '@/core/inventory';
import { computeCoverage, type Coverage } from '@/core/policy';

export interface ClusterInventory {
  clusterId: number;
  cluster: string;
  snapshotId: string;
  takenAtMs: number;
  inventory: Inventory;
  coverage: Coverage;
}

/** Parsed snapshots by id: a snapshot never changes, so its inventory and coverage are computed once. */
const MAX_CACHED_SNAPSHOTS = 16;
const cache = new Map<string, Promise<{ inventory: Inventory; coverage: Coverage }>>();

/**
 * The latest inventory snapshot per cluster (for coverage, labels and images), parsed and cached per
 * snapshot id. Only the snapshot ids are read on every call; `objects` only for a snapshot not cached.
 */
export async function latestInventories(sql: Sql, clusterIds: readonly number[]): Promise<ClusterInventory[]> {
  const filter = clusterIds.length > 0 ? sql`where s.cluster_id = any(${[...clusterIds]}::int[])` : sql``;
  const latest = await sql<{ id: string; clusterId: number; cluster: string; takenAt: Date }[]>`
    select distinct on (s.cluster_id) s.id, s.cluster_id as "clusterId", c.name as cluster, s.taken_at as "takenAt"
    from inventory_snapshots s join clusters c on c.id = s.cluster_id
    ${filter}
    order by s.cluster_id, s.taken_at desc, s.created_at desc`;
  return Promise.all(
    latest.map(async (snapshot) => {
      let parsed = cache.get(snapshot.id);
      if (!parsed) {
        parsed = (async () => {
          const [row] = await sql<{ objects: unknown }[]>`select objects from inventory_snapshots where id = ${snapshot.id}`;
          const objects = Array.isArray(row?.objects) ? row.objects : [];
          const { inventory } = buildInventory(objects);
          return { inventory, coverage: computeCoverage(inventory) };
        })();
        cache.set(snapshot.id, parsed);
        parsed.catch(() => cache.delete(snapshot.id));
        while (cache.size > MAX_CACHED_SNAPSHOTS) {
          const oldest = cache.keys().next().value;
          if (oldest === undefined) break;
          cache.delete(oldest);
        }
      }
      const { inventory, coverage } = await parsed;
      return { clusterId: snapshot.clusterId, cluster: snapshot.cluster, snapshotId: snapshot.id, takenAtMs: snapshot.takenAt.getTime(), inventory, coverage };
    }),
  );
}

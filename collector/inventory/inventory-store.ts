/**
 * Inventory snapshots: stores uploads (`POST /v1/inventory`) and keeps, per cluster, an enrichment
 * resolver built from the latest few snapshots. Other collector instances pick new snapshots up on
 * their next refresh.
 */
import type { Sql } from 'postgres';
import { parseAllDocuments } from 'yaml';
import type { EndpointResolver } from '../../core/flow';
import { buildInventory, type Inventory } from '../../core/inventory';
import { createInventoryResolver } from '../../core/inventory/create-inventory-resolver';
import { neutraliseNul } from '../ingest/neutralise-nul';

export class InventoryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryInputError';
  }
}

export interface StoredSnapshot {
  snapshotId: string;
  takenAt: string;
  counts: Record<string, number>;
  problems: Array<{ object?: string; field?: string; message: string }>;
}

/** Snapshots per cluster kept in memory for enrichment. */
const SNAPSHOTS_PER_CLUSTER = 4;
const POLICY_KINDS = new Set(['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

export class InventoryStore {
  private readonly resolvers = new Map<number, EndpointResolver>();
  private readonly loadedIds = new Map<number, string>();

  constructor(private readonly sql: Sql, private readonly log: (message: string) => void) {}

  resolverFor(clusterDbId: number): EndpointResolver | undefined {
    return this.resolvers.get(clusterDbId);
  }

  async storeSnapshot(input: { clusterDbId: number; text: string; takenAtMs: number }): Promise<StoredSnapshot> {
    // Postgres jsonb cannot hold U+0000: a hostile label must not fail the whole upload.
    const objects = decodeObjects(neutraliseNul(input.text));
    const { inventory, errors } = buildInventory(objects);
    const counts = countInventory(inventory);
    if (Object.values(counts).every((count) => count === 0)) {
      throw new InventoryInputError(
        errors.length > 0
          ? `no usable Kubernetes object: ${errors.slice(0, 3).map((error) => `${error.object ?? `object ${error.objectIndex + 1}`}: ${error.message}`).join('; ')}`
          : 'no Kubernetes objects found (expected a List with items, or YAML documents)',
      );
    }
    const flatObjects = flattenLists(objects);
    const takenAt = new Date(input.takenAtMs);
    const [row] = await this.sql<{ id: string }[]>`
      insert into inventory_snapshots (id, cluster_id, taken_at, objects, counts)
      values (gen_random_uuid(), ${input.clusterDbId}, ${takenAt}, ${this.sql.json(flatObjects as never)}, ${this.sql.json(counts)})
      returning id`;
    const policies = flatObjects.filter((object) => POLICY_KINDS.has(String((object as { kind?: unknown }).kind)));
    if (policies.length > 0) {
      await this.sql`
        insert into policy_sets (id, cluster_id, name, source, objects)
        values (gen_random_uuid(), ${input.clusterDbId}, ${`inventory ${takenAt.toISOString()}`}, 'inventory', ${this.sql.json(policies as never)})`;
    }
    await this.refreshCluster(input.clusterDbId);
    return {
      snapshotId: row?.id ?? '',
      takenAt: takenAt.toISOString(),
      counts,
      problems: errors.map((error) => ({
        ...(error.object ? { object: error.object } : {}),
        ...(error.field ? { field: error.field } : {}),
        message: error.message,
      })),
    };
  }

  /** Loads the latest snapshots of every cluster whose newest snapshot changed since the last refresh. */
  async refresh(): Promise<void> {
    const latest = await this.sql<{ cluster_id: number; id: string }[]>`
      select distinct on (cluster_id) cluster_id, id from inventory_snapshots order by cluster_id, taken_at desc, created_at desc`;
    for (const row of latest) {
      if (this.loadedIds.get(row.cluster_id) !== row.id) await this.refreshCluster(row.cluster_id);
    }
  }

  private async refreshCluster(clusterDbId: number): Promise<void> {
    const rows = await this.sql<{ id: string; taken_at: Date; objects: unknown[] }[]>`
      select id, taken_at, objects from inventory_snapshots where cluster_id = ${clusterDbId}
      order by taken_at desc, created_at desc limit ${SNAPSHOTS_PER_CLUSTER}`;
    const snapshots = rows.map((row) => ({
      takenAtMs: row.taken_at.getTime(),
      inventory: buildInventory(Array.isArray(row.objects) ? row.objects : []).inventory,
    }));
    this.resolvers.set(clusterDbId, createInventoryResolver(snapshots));
    if (rows[0]) this.loadedIds.set(clusterDbId, rows[0].id);
    this.log(`collector: inventory for cluster ${clusterDbId} loaded (${rows.length} snapshot(s))`);
  }
}

function decodeObjects(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new InventoryInputError('empty body: expected a Kubernetes List (JSON) or YAML documents');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return Array.isArray(value) ? value : [value];
    } catch {
      // Not JSON after all: YAML (a superset) gives a better error below.
    }
  }
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [];
  const objects: unknown[] = [];
  for (const [index, document] of list.entries()) {
    if (document.errors.length > 0) {
      throw new InventoryInputError(`YAML document ${index + 1}: ${document.errors[0]?.message ?? 'syntax error'}`);
    }
    const value: unknown = document.toJSON();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

function flattenLists(objects: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const object of objects) {
    const items = (object as { items?: unknown } | null)?.items;
    const kind = (object as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) out.push(...flattenLists(items));
    else out.push(object);
  }
  return out;
}

function countInventory(inventory: Inventory): Record<string, number> {
  return {
    namespaces: inventory.namespaces.filter((namespace) => namespace.declared).length,
    pods: inventory.pods.length,
    workloads: inventory.workloads.length,
    services: inventory.services.length,
    networkPolicies: inventory.networkPolicies.length,
    adminNetworkPolicies: inventory.adminNetworkPolicies.length + inventory.baselineAdminNetworkPolicies.length,
  };
}

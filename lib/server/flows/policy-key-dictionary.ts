import 'server-only';
import type { Sql } from 'postgres';

/** How long a cluster's key list is served before a refresh starts (in the background; the old list keeps serving meanwhile). */
const REFRESH_AFTER_MS = 60_000;
/** Most keys one free-text search may expand to; beyond it the text is too broad to narrow anything. */
export const MAX_POLICY_KEYS = 5_000;

interface CachedKeys {
  keys: string[];
  loadedMs: number;
  refreshing: Promise<string[]> | null;
}

const cache = new Map<number, CachedKeys>();

/**
 * The distinct policy keys (`kind|tier|namespace|name|action|rule`) a cluster's flows carry whose text
 * contains `text` (case-insensitive, literal), so free text can filter flows with `policy_key = any(…)`
 * instead of an ILIKE that must look at every flow in the window.
 * NOTE: the key set is tiny (policies × rules) but no index lists it, so it is read from the daily rollup
 * (the smallest table holding every key of the retention) once a minute per process; a policy first seen
 * since the last refresh is matched by free text up to a minute late (the policy filter is exact at once).
 */
export async function policyKeysMatching(sql: Sql, clusterIds: readonly number[], text: string): Promise<string[]> {
  const needle = text.toLowerCase();
  const lists = await Promise.all(clusterIds.map((clusterId) => policyKeysOf(sql, clusterId)));
  const matched = new Set<string>();
  for (const keys of lists) {
    for (const key of keys) if (key.toLowerCase().includes(needle)) matched.add(key);
  }
  return [...matched];
}

async function policyKeysOf(sql: Sql, clusterId: number): Promise<string[]> {
  const nowMs = Date.now();
  const cached = cache.get(clusterId);
  if (cached && nowMs - cached.loadedMs < REFRESH_AFTER_MS) return cached.keys;
  if (cached?.refreshing) return cached.loadedMs === 0 ? cached.refreshing : cached.keys;
  const refreshing = loadKeys(sql, clusterId).then(
    (keys) => {
      cache.set(clusterId, { keys, loadedMs: Date.now(), refreshing: null });
      return keys;
    },
    (error: unknown) => {
      const current = cache.get(clusterId);
      if (current) current.refreshing = null;
      else cache.delete(clusterId);
      throw error;
    },
  );
  if (cached) {
    // Serve the previous list while the new one loads; a failed refresh is retried by the next search.
    cached.refreshing = refreshing;
    refreshing.catch(() => {});
    return cached.keys;
  }
  cache.set(clusterId, { keys: [], loadedMs: 0, refreshing });
  return refreshing;
}

async function loadKeys(sql: Sql, clusterId: number): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`
    select distinct r.policy_key as key from edge_rollup_1d r where r.cluster_id = ${clusterId} and r.policy_key <> ''`;
  return rows.map((row) => row.key);
}

/** Forgets the cached key lists (tests that load new flows into a fresh database). */
export function forgetPolicyKeys(): void {
  cache.clear();
}

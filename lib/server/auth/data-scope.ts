import 'server-only';
import type { Fragment, Sql } from 'postgres';
import { getSql } from '../db';
import { AppError } from '../errors';
import type { Session } from './get-session';

/**
 * What data a user may see: some clusters and, within them, some namespaces. Computed once per
 * request from the user's row and applied by every flow, rollup, graph, GenAI, policy and posture
 * query through the SQL fragments below — the one place scoping is enforced (issue: trust).
 *
 * A flow or edge is visible when at least one of its ends is in scope; the other end is then shown
 * as "outside your scope" (see {@link isNamespaceVisible}) unless it is in scope too. Endpoints with no
 * namespace (external peers, hosts) are visible as the peer of an in-scope endpoint.
 */
export interface DataScope {
  /** Null: every cluster. */
  clusterIds: readonly number[] | null;
  /** Null: every namespace of the visible clusters; else per cluster id, the namespaces allowed. */
  namespaces: ReadonlyMap<number, ReadonlySet<string>> | null;
}

export const FULL_SCOPE: DataScope = { clusterIds: null, namespaces: null };

/** Loads the session user's scope (empty lists mean unrestricted). */
export async function getDataScope(session: Session): Promise<DataScope> {
  const sql = getSql();
  const [user] = await sql<{ scope_clusters: string[] | null; scope_namespaces: string[] | null }[]>`
    select scope_clusters, scope_namespaces from users where id = ${session.user.id}`;
  const clusterNames = user?.scope_clusters ?? [];
  const namespaceEntries = user?.scope_namespaces ?? [];
  if (clusterNames.length === 0 && namespaceEntries.length === 0) return FULL_SCOPE;
  const clusters = await sql<{ id: number; name: string }[]>`select id, name from clusters`;
  const idByName = new Map(clusters.map((cluster) => [cluster.name, cluster.id]));
  const clusterIds = clusterNames.length === 0 ? null : clusterNames.map((name) => idByName.get(name)).filter((id): id is number => id !== undefined);
  if (namespaceEntries.length === 0) return { clusterIds, namespaces: null };
  const namespaces = new Map<number, Set<string>>();
  for (const entry of namespaceEntries) {
    const slash = entry.indexOf('/');
    const clusterName = slash < 0 ? '*' : entry.slice(0, slash);
    const namespace = slash < 0 ? entry : entry.slice(slash + 1);
    const targets = clusterName === '*' ? clusters.map((cluster) => cluster.id) : [idByName.get(clusterName)].filter((id): id is number => id !== undefined);
    for (const id of targets) {
      if (clusterIds && !clusterIds.includes(id)) continue;
      const set = namespaces.get(id) ?? new Set<string>();
      set.add(namespace);
      namespaces.set(id, set);
    }
  }
  return { clusterIds: clusterIds ?? [...namespaces.keys()], namespaces };
}

/** `column` (an integer cluster id) is in scope. */
export function clusterInScope(sql: Sql, scope: DataScope, column: string): Fragment {
  if (scope.clusterIds === null) return sql`true`;
  if (scope.clusterIds.length === 0) return sql`false`;
  return sql`${sql.unsafe(safeIdentifier(column))} = any(${scope.clusterIds as number[]}::int[])`;
}

/**
 * The clusters a request names, or every cluster in scope when it names none. An unknown name and an
 * out-of-scope one are the same 404, so the answer does not reveal that a cluster exists.
 */
export async function selectClustersInScope(sql: Sql, scope: DataScope, names: readonly string[]): Promise<Array<{ id: number; name: string }>> {
  const visible = await sql<{ id: number; name: string }[]>`select id, name from clusters c where ${clusterInScope(sql, scope, 'c.id')} order by name`;
  if (names.length === 0) return visible;
  return names.map((name) => {
    const found = visible.find((cluster) => cluster.name === name);
    if (!found) throw new AppError('not_found', `No cluster named "${name}".`);
    return found;
  });
}

/**
 * The endpoint row aliased `alias` (columns cluster_id, namespace) is in scope. Endpoints without a
 * namespace are not in scope by themselves for a namespace-restricted user.
 */
export function endpointInScope(sql: Sql, scope: DataScope, alias: string): Fragment {
  const table = safeIdentifier(alias);
  if (scope.namespaces === null) return clusterInScope(sql, scope, `${table}.cluster_id`);
  const pairs = [...scope.namespaces.entries()].flatMap(([clusterId, namespaces]) =>
    [...namespaces].map((namespace) => `${clusterId}/${namespace}`),
  );
  if (pairs.length === 0) return sql`false`;
  return sql`(${sql.unsafe(table)}.cluster_id::text || '/' || coalesce(${sql.unsafe(table)}.namespace, '')) = any(${pairs}::text[])`;
}

/** A flow/edge whose endpoints are aliased `sourceAlias` and `destinationAlias` has at least one end in scope. */
export function edgeInScope(sql: Sql, scope: DataScope, sourceAlias: string, destinationAlias: string): Fragment {
  if (scope.namespaces === null) return clusterInScope(sql, scope, `${safeIdentifier(sourceAlias)}.cluster_id`);
  return sql`(${endpointInScope(sql, scope, sourceAlias)} or ${endpointInScope(sql, scope, destinationAlias)})`;
}

/** Whether an endpoint's details may be shown; otherwise render it as "outside your scope". */
export function isNamespaceVisible(scope: DataScope, clusterId: number, namespace: string | null | undefined): boolean {
  if (scope.clusterIds !== null && !scope.clusterIds.includes(clusterId)) return false;
  if (scope.namespaces === null) return true;
  if (!namespace) return true; // external peers and hosts of an in-scope flow
  return scope.namespaces.get(clusterId)?.has(namespace) ?? false;
}

export const OUTSIDE_SCOPE_LABEL = 'outside your scope';

function safeIdentifier(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i.test(identifier)) throw new Error(`unsafe SQL identifier ${identifier}`);
  return identifier;
}

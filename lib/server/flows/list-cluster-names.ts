import 'server-only';
import type { Sql } from 'postgres';
import { clusterInScope, type DataScope } from '../auth/data-scope';

/** Names of the clusters the viewer may see (for the cluster filter). */
export async function listClusterNames(sql: Sql, scope: DataScope): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`select c.name from clusters c where ${clusterInScope(sql, scope, 'c.id')} order by c.name`;
  return rows.map((row) => row.name);
}

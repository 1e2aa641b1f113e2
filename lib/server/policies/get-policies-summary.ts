import 'server-only';
import type { PoliciesSummaryDto } from '../../api/policies-summary';
import { getSql } from '../db';

/** Per cluster: uploaded inventories/policy sets; and the 15 policies that decided the most flows in 24 h. */
export async function getPoliciesSummary(options: { nowMs?: number } = {}): Promise<PoliciesSummaryDto> {
  const sql = getSql();
  const start = new Date((options.nowMs ?? Date.now()) - 24 * 60 * 60 * 1000);
  const [clusters, deciding] = await Promise.all([
    sql<{ name: string; inventorySnapshots: number; lastInventoryAt: Date | null; policySets: number }[]>`
      select c.name,
             (select count(*)::int from inventory_snapshots i where i.cluster_id = c.id) as "inventorySnapshots",
             (select max(i.taken_at) from inventory_snapshots i where i.cluster_id = c.id) as "lastInventoryAt",
             (select count(*)::int from policy_sets p where p.cluster_id = c.id) as "policySets"
      from clusters c order by c.name`,
    sql<PoliciesSummaryDto['decidingPolicies']>`
      select c.name as "clusterName", r.policy_key as "policyKey",
             coalesce(sum(r.flows) filter (where r.verdict = 'allowed'), 0)::float8 as "allowedFlows",
             coalesce(sum(r.flows) filter (where r.verdict = 'denied'), 0)::float8 as "deniedFlows"
      from edge_rollup_1h r join clusters c on c.id = r.cluster_id
      where r.bucket >= ${start}
      group by c.name, r.policy_key
      order by sum(r.flows) desc
      limit 15`,
  ]);
  return {
    clusters: clusters.map((row) => ({
      name: row.name,
      inventorySnapshots: row.inventorySnapshots,
      lastInventoryAtMs: row.lastInventoryAt?.getTime() ?? null,
      policySets: row.policySets,
    })),
    decidingPolicies: deciding.map((row) => ({ ...row, allowedFlows: Number(row.allowedFlows), deniedFlows: Number(row.deniedFlows) })),
  };
}

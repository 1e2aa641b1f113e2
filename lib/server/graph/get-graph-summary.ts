import 'server-only';
import type { GraphSummaryDto } from '../../api/graph-summary';
import { getSql } from '../db';

/** Node and edge counts per cluster: the size of the graph the Graph view will lay out. */
export async function getGraphSummary(options: { nowMs?: number } = {}): Promise<GraphSummaryDto> {
  const sql = getSql();
  const start = new Date((options.nowMs ?? Date.now()) - 24 * 60 * 60 * 1000);
  const rows = await sql<GraphSummaryDto['clusters']>`
    with nodes as (
      select cluster_id,
             count(*)::int as endpoints,
             count(*) filter (where kind in ('workload', 'pod'))::int as workloads,
             count(*) filter (where kind = 'external')::int as "externalPeers",
             count(distinct namespace)::int as namespaces
      from endpoints group by cluster_id),
    edges as (
      select cluster_id,
             count(distinct (src_id, dst_id, dst_port, protocol))::int as "edgesLast24h",
             count(distinct (src_id, dst_id, dst_port, protocol)) filter (where verdict = 'denied')::int as "deniedEdgesLast24h"
      from edge_rollup_1h where bucket >= ${start} group by cluster_id)
    select c.name,
           coalesce(n.endpoints, 0) as endpoints, coalesce(n.workloads, 0) as workloads,
           coalesce(n."externalPeers", 0) as "externalPeers", coalesce(n.namespaces, 0) as namespaces,
           coalesce(e."edgesLast24h", 0) as "edgesLast24h", coalesce(e."deniedEdgesLast24h", 0) as "deniedEdgesLast24h"
    from clusters c
    left join nodes n on n.cluster_id = c.id
    left join edges e on e.cluster_id = c.id
    order by c.name`;
  return { clusters: rows.map((row) => ({ ...row })) };
}

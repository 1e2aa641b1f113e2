import 'server-only';
import type { EndpointLabelDto } from '../../api/endpoint-label';
import type { FlowsSummaryDto } from '../../api/flows-summary';
import { getSql } from '../db';

const WINDOW_MS = 60 * 60 * 1000;

interface TopDeniedRow {
  clusterName: string;
  dstPort: number;
  protocol: string;
  policyKey: string;
  flows: number;
  srcKind: string | null;
  srcNamespace: string | null;
  srcName: string | null;
  dstKind: string | null;
  dstNamespace: string | null;
  dstName: string | null;
}

/** Denied vs allowed flows per cluster over the last hour, and the 10 busiest denied edges. */
export async function getFlowsSummary(options: { nowMs?: number } = {}): Promise<FlowsSummaryDto> {
  const sql = getSql();
  const nowMs = options.nowMs ?? Date.now();
  const start = new Date(nowMs - WINDOW_MS);
  const [clusters, top] = await Promise.all([
    sql<{ name: string; allowedFlows: number; deniedFlows: number }[]>`
      select c.name,
             coalesce(sum(r.flows) filter (where r.verdict = 'allowed'), 0)::float8 as "allowedFlows",
             coalesce(sum(r.flows) filter (where r.verdict = 'denied'), 0)::float8 as "deniedFlows"
      from clusters c
      left join edge_rollup_1m r on r.cluster_id = c.id and r.bucket >= ${start}
      group by c.name order by c.name`,
    sql<TopDeniedRow[]>`
      with top as (
        select cluster_id, src_id, dst_id, dst_port, protocol, policy_key, sum(flows)::float8 as flows
        from edge_rollup_1m
        where bucket >= ${start} and verdict = 'denied'
        group by cluster_id, src_id, dst_id, dst_port, protocol, policy_key
        order by flows desc
        limit 10)
      select c.name as "clusterName", top.dst_port as "dstPort", top.protocol, top.policy_key as "policyKey", top.flows,
             s.kind as "srcKind", s.namespace as "srcNamespace", s.name as "srcName",
             d.kind as "dstKind", d.namespace as "dstNamespace", d.name as "dstName"
      from top
      join clusters c on c.id = top.cluster_id
      left join endpoints s on s.cluster_id = top.cluster_id and s.id = top.src_id
      left join endpoints d on d.cluster_id = top.cluster_id and d.id = top.dst_id
      order by top.flows desc`,
  ]);
  return {
    generatedAtMs: nowMs,
    windowMs: WINDOW_MS,
    clusters: clusters.map((row) => ({ name: row.name, allowedFlows: Number(row.allowedFlows), deniedFlows: Number(row.deniedFlows) })),
    topDeniedEdges: top.map((row) => ({
      clusterName: row.clusterName,
      source: endpointLabel(row.srcKind, row.srcNamespace, row.srcName),
      destination: endpointLabel(row.dstKind, row.dstNamespace, row.dstName),
      destinationPort: row.dstPort < 0 ? null : row.dstPort,
      protocol: row.protocol,
      policyKey: row.policyKey,
      flows: Number(row.flows),
    })),
  };
}

function endpointLabel(kind: string | null, namespace: string | null, name: string | null): EndpointLabelDto | null {
  return kind === null || name === null ? null : { kind, namespace, name };
}

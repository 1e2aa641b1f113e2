import 'server-only';
import type { Fragment, Sql } from 'postgres';
import type { FlowGroupDto, FlowGroupsDto, FlowGroupsRequest } from '../../api/flows';
import { isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import { buildFlowWhere, resolveEndpointIds } from './build-flow-where';
import { policyKeyText } from './flow-row';
import { resolveFlowQuery } from './resolve-flow-query';

interface GroupRow {
  clusterId: number;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  port: number | null;
  protocol: string | null;
  policyKey: string | null;
  dropReason: string | null;
  flows: number;
  denied: number;
  bytes: number;
  connections: number;
  lastSeen: Date;
}

/** Matching flows grouped by source, destination, port, deciding policy or drop reason, biggest first. */
export async function getFlowGroups(sql: Sql, request: FlowGroupsRequest, scope: DataScope, nowMs: number): Promise<FlowGroupsDto> {
  const resolved = await resolveFlowQuery(sql, request, scope, nowMs);
  const window = { fromMs: resolved.fromMs, toMs: resolved.toMs };
  if (resolved.clusterIds.length === 0) return { by: request.by, groups: [], ...window };
  const endpointIds = await resolveEndpointIds(sql, request, resolved.clusterIds);
  const where = buildFlowWhere(sql, { filter: request, ...window, scope, clusterIds: resolved.clusterIds, endpointsJoined: true, endpointIds });
  const keys: Record<FlowGroupsRequest['by'], Fragment> = {
    source: sql`f.cluster_id as "clusterId", s.kind, s.namespace, s.name`,
    destination: sql`f.cluster_id as "clusterId", d.kind, d.namespace, d.name`,
    port: sql`0 as "clusterId", f.dst_port as port, f.protocol`,
    policy: sql`0 as "clusterId", f.policy_key as "policyKey"`,
    dropReason: sql`0 as "clusterId", f.drop_reason as "dropReason"`,
  };
  const groupBy: Record<FlowGroupsRequest['by'], Fragment> = {
    source: sql`f.cluster_id, s.kind, s.namespace, s.name`,
    destination: sql`f.cluster_id, d.kind, d.namespace, d.name`,
    port: sql`f.dst_port, f.protocol`,
    policy: sql`f.policy_key`,
    dropReason: sql`f.drop_reason`,
  };
  const rows = await sql<GroupRow[]>`
    select ${keys[request.by]}, count(*)::float8 as flows, (count(*) filter (where f.verdict = 'denied'))::float8 as denied,
           sum(f.bytes_out + f.bytes_in)::float8 as bytes, sum(f.connections)::float8 as connections, max(f.end_time) as "lastSeen"
    from flows f
    join endpoints s on s.cluster_id = f.cluster_id and s.id = f.src_id
    join endpoints d on d.cluster_id = f.cluster_id and d.id = f.dst_id
    where ${where}
    group by ${groupBy[request.by]}
    order by flows desc
    limit ${request.limit}`;
  // Ends outside the viewer's scope collapse into one masked group.
  const merged = new Map<string, FlowGroupDto>();
  for (const row of rows) {
    const { value, label } = describeGroup(request.by, row, scope);
    const existing = merged.get(value);
    const denied = Number(row.denied);
    const flows = Number(row.flows);
    if (existing) {
      existing.flows += flows;
      existing.denied += denied;
      existing.allowed += flows - denied;
      existing.bytes += Number(row.bytes);
      existing.connections += Number(row.connections);
      existing.lastSeenMs = Math.max(existing.lastSeenMs, row.lastSeen.getTime());
    } else {
      merged.set(value, { value, label, flows, denied, allowed: flows - denied, bytes: Number(row.bytes), connections: Number(row.connections), lastSeenMs: row.lastSeen.getTime() });
    }
  }
  return { by: request.by, groups: [...merged.values()].sort((a, b) => b.flows - a.flows), ...window };
}

function describeGroup(by: FlowGroupsRequest['by'], row: GroupRow, scope: DataScope): { value: string; label: string } {
  switch (by) {
    case 'source':
    case 'destination': {
      if (!isNamespaceVisible(scope, row.clusterId, row.namespace)) return { value: '', label: OUTSIDE_SCOPE_LABEL };
      const value = row.namespace ? `${row.namespace}/${row.name}` : (row.name ?? '');
      return { value, label: `${value}${row.kind && row.kind !== 'workload' ? ` (${row.kind})` : ''}` };
    }
    case 'port':
      return { value: row.port === null ? '' : String(row.port), label: `${row.port ?? '—'}/${row.protocol ?? ''}` };
    case 'policy':
      return { value: row.policyKey ?? '', label: row.policyKey ? policyKeyText(row.policyKey, row.policyKey.includes('|deny|') ? 'denied' : 'allowed', 'destination') : 'no policy reported' };
    case 'dropReason':
      return { value: row.dropReason ?? '', label: row.dropReason ?? '(no drop reason)' };
  }
}

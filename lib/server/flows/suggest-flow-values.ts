import 'server-only';
import type { Sql } from 'postgres';
import type { FlowSuggestionsDto, FlowSuggestRequest } from '../../api/flows';
import { clusterInScope, endpointInScope, type DataScope } from '../auth/data-scope';
import { likeContains } from './build-flow-where';
import { resolveFlowQuery } from './resolve-flow-query';

const LIMIT = 20;

/**
 * Values for the filter inputs, from the data: namespaces, workloads and IPs from the endpoint dictionary
 * (small: one row per endpoint, not per flow), ports, drop reasons and policies from the hourly rollup or
 * recent flows. Only what the viewer's scope may see.
 */
export async function suggestFlowValues(sql: Sql, request: FlowSuggestRequest, scope: DataScope, nowMs: number): Promise<FlowSuggestionsDto> {
  const resolved = await resolveFlowQuery(sql, request, scope, nowMs);
  const clusters = resolved.clusterIds;
  const pattern = likeContains(request.prefix);
  const inScope = sql`${clusterInScope(sql, scope, 'e.cluster_id')} and ${endpointInScope(sql, scope, 'e')} and e.cluster_id = any(${clusters}::int[])`;
  let rows: { value: string | null; detail: string | null }[] = [];
  switch (request.field) {
    case 'namespace':
      rows = await sql`select distinct e.namespace as value, 'namespace' as detail from endpoints e
        where ${inScope} and e.namespace is not null and e.namespace ilike ${pattern} order by 1 limit ${LIMIT}`;
      break;
    case 'workload':
      rows = await sql`select e.namespace || '/' || e.name as value, min(coalesce(e.workload_kind, e.kind)) as detail from endpoints e
        where ${inScope} and e.namespace is not null and e.kind in ('workload', 'pod') and (e.name ilike ${pattern} or e.namespace || '/' || e.name ilike ${pattern})
        group by 1 order by 1 limit ${LIMIT}`;
      break;
    case 'ip':
      rows = await sql`select e.ip as value, min(coalesce(e.namespace || '/' || e.name, e.domain, e.name)) as detail from endpoints e
        where ${inScope} and e.ip is not null and e.ip ilike ${pattern} group by 1 order by 1 limit ${LIMIT}`;
      break;
    case 'port':
      rows = await sql`select f.dst_port::text as value, string_agg(distinct f.protocol, ',') as detail from edge_rollup_1h f
        where f.bucket >= ${new Date(resolved.fromMs - 3_600_000)} and f.cluster_id = any(${clusters}::int[]) and f.dst_port >= 0
          and f.dst_port::text like ${request.prefix.replace(/[^0-9]/g, '') + '%'}
        group by f.dst_port order by sum(f.flows) desc limit ${LIMIT}`;
      break;
    case 'policy':
      rows = await sql`select f.policy_key as value, null as detail from edge_rollup_1h f
        where f.bucket >= ${new Date(resolved.fromMs - 3_600_000)} and f.cluster_id = any(${clusters}::int[]) and f.policy_key <> '' and f.policy_key ilike ${pattern}
        group by f.policy_key order by sum(f.flows) desc limit ${LIMIT}`;
      rows = rows.map((row) => {
        const [kind = '', tier = '', namespace = '', name = ''] = (row.value ?? '').split('|');
        return { value: namespace ? `${namespace}/${name}` : name, detail: `${kind}${tier ? ` · tier ${tier}` : ''}` };
      });
      break;
    case 'dropReason':
      // Drop reasons live on raw flows only; the last 24 h of the window bound the scan.
      rows = await sql`select f.drop_reason as value, count(*)::text as detail from flows f
        where f.start_time >= ${new Date(Math.max(resolved.fromMs, resolved.toMs - 86_400_000))} and f.start_time < ${new Date(resolved.toMs)}
          and f.cluster_id = any(${clusters}::int[]) and f.verdict = 'denied' and f.drop_reason is not null and f.drop_reason ilike ${pattern}
        group by 1 order by count(*) desc limit ${LIMIT}`;
      break;
  }
  const seen = new Set<string>();
  const suggestions = rows.filter((row): row is { value: string; detail: string | null } => !!row.value && !seen.has(row.value) && !!seen.add(row.value));
  return { field: request.field, suggestions };
}

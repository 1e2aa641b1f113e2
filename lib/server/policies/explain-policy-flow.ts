import 'server-only';
import type { Sql } from 'postgres';
import { describeDecision, evaluateFlow, type FlowEndpointQuery } from '@/core/policy';
import { policyRangeWindow, type ExplainDto, type ExplainRequest, type ObservedVerdictDto } from '../../api/policies';
import { clusterInScope, isNamespaceVisible, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { AppError } from '../errors';
import { graphWindow } from '../graph/graph-window';
import { loadPolicyCluster, snapshotOrThrow } from './policy-cluster';

interface EndpointMatch {
  query: FlowEndpointQuery;
  /** SQL condition on the endpoint alias, as values. */
  namespace: string | null;
  name: string | null;
  ips: string[];
}

async function resolveEnd(sql: Sql, clusterId: number, ref: string): Promise<EndpointMatch> {
  const slash = ref.indexOf('/');
  if (slash > 0 && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(ref)) {
    const namespace = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    return { query: { namespace, workload: name }, namespace, name, ips: [] };
  }
  if (/^[\d.]+$/.test(ref) || ref.includes(':')) return { query: { ip: ref }, namespace: null, name: null, ips: [ref] };
  // A domain: the addresses the flows saw for it.
  const rows = await sql<{ ip: string }[]>`
    select distinct ip from endpoints where cluster_id = ${clusterId} and domain = ${ref} and ip is not null order by ip limit 50`;
  if (rows.length === 0) throw new AppError('not_found', `No endpoint with the domain ${ref} in this cluster.`);
  return { query: { ip: rows[0]?.ip ?? '' }, namespace: null, name: null, ips: rows.map((row) => row.ip) };
}

/**
 * What the current policy set says about one observed edge (source, destination, port, protocol) and
 * why, next to what the dataplane reported for it in the window; disagreements are flagged.
 */
export async function explainPolicyFlow(request: ExplainRequest, options: { scope: DataScope; sql?: Sql; nowMs?: number }): Promise<ExplainDto> {
  const sql = options.sql ?? getSql();
  const nowMs = options.nowMs ?? Date.now();
  const cluster = await loadPolicyCluster(sql, options.scope, request.cluster);
  const snapshot = snapshotOrThrow(cluster);
  const [source, destination] = await Promise.all([resolveEnd(sql, cluster.id, request.src), resolveEnd(sql, cluster.id, request.dst)]);
  const sourceVisible = source.namespace === null || isNamespaceVisible(options.scope, cluster.id, source.namespace);
  const destinationVisible = destination.namespace === null || isNamespaceVisible(options.scope, cluster.id, destination.namespace);
  // Same rule as flows: one end in scope is enough; an edge between two unnamespaced peers needs a full-cluster scope.
  const anyNamespaced = source.namespace !== null || destination.namespace !== null;
  if ((anyNamespaced && !(source.namespace !== null && sourceVisible) && !(destination.namespace !== null && destinationVisible)) || (!anyNamespaced && options.scope.namespaces !== null)) {
    throw new AppError('not_found', 'Neither end of this edge is in your scope.');
  }
  const evaluated = evaluateFlow(snapshot.inventory, { source: source.query, destination: destination.query, protocol: request.protocol, port: request.port });
  const { fromMs, toMs } = policyRangeWindow(request.range, nowMs);
  const window = graphWindow(fromMs, toMs);
  const endCondition = (alias: 's' | 'd', end: EndpointMatch) =>
    end.namespace !== null
      ? sql`${sql(alias)}.namespace = ${end.namespace} and ${sql(alias)}.name = ${end.name} and ${sql(alias)}.kind in ('workload', 'pod')`
      : sql`${sql(alias)}.ip = any(${end.ips}::text[])`;
  const observedRows = await sql<{ verdict: 'allowed' | 'denied'; policyKey: string; flows: number; lastSeen: Date }[]>`
    select r.verdict, r.policy_key as "policyKey", sum(r.flows)::float8 as flows, max(r.last_seen) as "lastSeen"
    from ${sql(window.table)} r
    join endpoints s on s.cluster_id = r.cluster_id and s.id = r.src_id
    join endpoints d on d.cluster_id = r.cluster_id and d.id = r.dst_id
    where r.cluster_id = ${cluster.id} and ${clusterInScope(sql, options.scope, 'r.cluster_id')}
      and r.bucket >= ${window.from} and r.bucket < ${window.to}
      and r.dst_port = ${request.port} and upper(r.protocol) = ${request.protocol}
      and ${endCondition('s', source)} and ${endCondition('d', destination)}
    group by r.verdict, r.policy_key
    order by sum(r.flows) desc`;
  const observed: ObservedVerdictDto[] = observedRows.map((row) => ({ verdict: row.verdict, policyKey: row.policyKey, flows: Number(row.flows), lastSeenMs: row.lastSeen.getTime() }));
  const observedAllowedFlows = observed.filter((row) => row.verdict === 'allowed').reduce((sum, row) => sum + row.flows, 0);
  const observedDeniedFlows = observed.filter((row) => row.verdict === 'denied').reduce((sum, row) => sum + row.flows, 0);
  let mismatch: ExplainDto['mismatch'] = null;
  if (evaluated.ok) {
    if (evaluated.value.verdict === 'denied' && observedAllowedFlows > 0) {
      mismatch = { kind: 'observed-allowed-policy-denies', flows: observedAllowedFlows, text: `The dataplane allowed ${observedAllowedFlows} flows that the current policies deny: a policy the inventory does not hold (another tier, a CNI-specific policy), or the inventory is stale.` };
    } else if (evaluated.value.verdict === 'allowed' && observedDeniedFlows > 0) {
      mismatch = { kind: 'observed-denied-policy-allows', flows: observedDeniedFlows, text: `The dataplane denied ${observedDeniedFlows} flows that the current policies allow: a policy outside the uploaded inventory denies it, or the inventory is stale.` };
    }
  }
  return {
    cluster: cluster.name,
    source: request.src,
    destination: request.dst,
    port: request.port,
    protocol: request.protocol,
    fromMs,
    toMs,
    policy: evaluated.ok
      ? {
          verdict: evaluated.value.verdict,
          explanation: evaluated.value.explanation,
          egress: { text: describeDecision(evaluated.value.egress), decision: evaluated.value.egress },
          ingress: { text: describeDecision(evaluated.value.ingress), decision: evaluated.value.ingress },
        }
      : null,
    error: evaluated.ok ? null : evaluated.error.message,
    observed,
    observedAllowedFlows,
    observedDeniedFlows,
    mismatch,
  };
}

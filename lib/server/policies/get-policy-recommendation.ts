import 'server-only';
import type { Sql } from 'postgres';
import { recommendPolicy, type ObservedEdge, type RecommendedRule } from '@/core/policy';
import { policyRangeWindow, type RecommendationDto, type RecommendationRequest, type RecommendedRuleDto, type WorkloadRecommendationDto } from '../../api/policies';
import { isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { AppError } from '../errors';
import { loadPolicyCluster, snapshotOrThrow } from './policy-cluster';
import { queryObservedEdges } from './query-observed-edges';

function ruleDto(rule: RecommendedRule): RecommendedRuleDto {
  return {
    direction: rule.direction,
    index: rule.index,
    peer: rule.peer.kind === 'external' ? `${rule.peer.node} (${rule.peer.cidr})` : rule.peer.node,
    peerKind: rule.peer.kind,
    ports: rule.ports.map((port) => ({ ...port })),
    evidence: rule.evidence.map((entry) => ({ ...entry, examples: [...entry.examples] })),
    flows: rule.flows,
    lastSeenMs: rule.lastSeenMs,
  };
}

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * The least-privilege NetworkPolicy for a workload (or one per workload of a namespace) from the
 * traffic observed in the window, with the evidence behind every rule, as DTO and downloadable YAML.
 * Traffic with a peer outside the user's scope is left out of the policy (and listed as excluded):
 * writing it would reveal that peer's labels.
 */
export async function getPolicyRecommendation(request: RecommendationRequest, options: { scope: DataScope; sql?: Sql; nowMs?: number }): Promise<RecommendationDto> {
  const sql = options.sql ?? getSql();
  const nowMs = options.nowMs ?? Date.now();
  const cluster = await loadPolicyCluster(sql, options.scope, request.cluster);
  const snapshot = snapshotOrThrow(cluster);
  const { inventory } = snapshot;
  const visibleWorkloads = inventory.workloads.filter((workload) => isNamespaceVisible(options.scope, cluster.id, workload.namespace));
  const workloadNames = [...new Set(visibleWorkloads.map((workload) => `${workload.namespace}/${workload.name}`))].sort();
  const [namespace = '', name] = request.workload !== undefined ? request.workload.split('/') : [request.namespace ?? ''];
  if (!isNamespaceVisible(options.scope, cluster.id, namespace)) throw new AppError('not_found', `No namespace ${namespace} in your scope.`);
  const targets = visibleWorkloads.filter((workload) => workload.namespace === namespace && (name === undefined || workload.name === name));
  if (targets.length === 0) throw new AppError('not_found', `No workload ${request.workload ?? `in namespace ${namespace}`} in the inventory of ${cluster.name}.`);
  const { fromMs, toMs } = policyRangeWindow(request.range, nowMs);
  const observed = await queryObservedEdges(sql, options.scope, { clusterId: cluster.id, fromMs, toMs, touching: { namespace, ...(name !== undefined ? { workload: name } : {}) } });
  const outside = (edge: ObservedEdge): boolean => edge.source.node === OUTSIDE_SCOPE_LABEL || edge.destination.node === OUTSIDE_SCOPE_LABEL;
  const inScope = observed.edges.filter((edge) => !outside(edge));
  const outsideEdges = observed.edges.filter(outside);
  const windowLabel = `${iso(fromMs)}/${iso(toMs)}`;
  const recommendations: WorkloadRecommendationDto[] = [];
  const documents: string[] = [];
  for (const workload of targets) {
    const result = recommendPolicy({ inventory, target: { namespace: workload.namespace, workload: workload.name, workloadKind: workload.kind }, edges: inScope, windowLabel });
    if (!result.ok) continue;
    const value = result.value;
    const node = `${workload.namespace}/${workload.name}`;
    const hidden = outsideEdges
      .filter((edge) => edge.source.node === node || edge.destination.node === node)
      .map((edge) => ({
        direction: edge.source.node === node ? ('Egress' as const) : ('Ingress' as const),
        peer: OUTSIDE_SCOPE_LABEL,
        port: edge.port,
        protocol: edge.protocol,
        flows: edge.flows,
        reason: 'peer-outside-scope',
      }));
    recommendations.push({
      workload: node,
      kind: value.workloadKind,
      policyName: value.policyName,
      podSelector: { ...value.podSelector },
      ingress: value.ingress.map(ruleDto),
      egress: value.egress.map(ruleDto),
      excluded: [...value.excluded.map((entry) => ({ ...entry })), ...hidden],
    });
    documents.push(value.yaml);
  }
  const target = request.workload ?? `namespace ${namespace}`;
  return {
    cluster: cluster.name,
    fromMs,
    toMs,
    target,
    recommendations,
    yaml: documents.map((text) => `# flowlens least-privilege recommendation for ${cluster.name} ${target}, from traffic ${windowLabel}\n${text}`).join('---\n'),
    fileName: `${cluster.name}-${(request.workload ?? namespace).replace(/[^A-Za-z0-9.-]+/g, '-')}-networkpolicy.yaml`,
    workloads: workloadNames,
  };
}

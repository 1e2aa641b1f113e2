import 'server-only';
import type { Sql } from 'postgres';
import { buildServiceGraph, levelOfNodeId, workloadDisplayName } from '@/core/graph';
import { resolveGraphWindow, type NodeDetailDto, type NodeDetailRequest, type NodeNeighbourDto, type NodePolicyDto } from '../../api/graph';
import { FULL_SCOPE, isNamespaceVisible, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { AppError } from '../errors';
import { clusterOfNodeIdOrThrow, coverageByCluster, listClusters } from './get-graph';
import { findNodeEndpoints } from './find-node-endpoints';
import { nodeNamespace } from './get-edge-detail';
import { graphQueryWindow } from './graph-window';
import { latestInventories } from './latest-inventories';
import { queryGraphRows, type GraphRowsQuery } from './query-graph-rows';

/**
 * One node in a window: identity, labels and images from the latest inventory, the policies selecting it
 * (empty = unprotected; null without an inventory), and its in/out edges with verdicts.
 */
export async function getNodeDetail(request: NodeDetailRequest, options: { nowMs?: number; sql?: Sql; scope?: DataScope } = {}): Promise<NodeDetailDto> {
  const sql = options.sql ?? getSql();
  const scope = options.scope ?? FULL_SCOPE;
  const nowMs = options.nowMs ?? Date.now();
  const { fromMs, toMs } = resolveGraphWindow(request, nowMs);
  const clusters = await listClusters(sql);
  const cluster = clusterOfNodeIdOrThrow(clusters, request.node);
  if (!isNamespaceVisible(scope, cluster.id, nodeNamespace(request.node))) throw new AppError('not_found', `${request.node} is outside your scope.`);
  const endpoints = await findNodeEndpoints(sql, cluster.id, request.node);
  if (endpoints.length === 0) throw new AppError('not_found', `No endpoints behind ${request.node}.`);
  const ids = endpoints.map((endpoint) => endpoint.id);
  const window = graphQueryWindow(fromMs, toMs, nowMs);
  const level = levelOfNodeId(request.node) ?? 'workload';
  const base: GraphRowsQuery = { window, clusterIds: [cluster.id], namespaces: [], verdict: request.verdict, withPods: level === 'pod', scope };
  const [outgoing, incoming, [inventory]] = await Promise.all([
    queryGraphRows(sql, { ...base, sourceIds: ids }),
    queryGraphRows(sql, { ...base, destinationIds: ids }),
    latestInventories(sql, [cluster.id]),
  ]);
  const graph = buildServiceGraph({ rows: [...outgoing, ...incoming], level, coverageByCluster: inventory ? coverageByCluster([inventory]) : {} });
  const node = graph.nodes.find((candidate) => candidate.id === request.node);
  if (!node) throw new AppError('not_found', `No traffic for ${request.node} in the window.`);
  const labelOf = new Map(graph.nodes.map((candidate) => [candidate.id, candidate.label]));
  const edges: NodeNeighbourDto[] = graph.edges
    .filter((edge) => edge.source === node.id || edge.target === node.id)
    .map((edge) => {
      const direction: NodeNeighbourDto['direction'] = edge.source === node.id ? 'out' : 'in';
      const peer = direction === 'out' ? edge.target : edge.source;
      return {
        edgeId: edge.id,
        peer,
        peerLabel: labelOf.get(peer) ?? peer,
        direction,
        flows: edge.flows,
        allowedFlows: edge.allowedFlows,
        deniedFlows: edge.deniedFlows,
        ports: edge.ports.map((port) => `${port.port ?? '-'}/${port.protocol}`),
      };
    })
    .sort((a, b) => b.flows - a.flows);

  let labels: Record<string, string> = {};
  let images: string[] = [];
  let pods: NodeDetailDto['pods'] = [];
  let policies: NodePolicyDto[] | null = null;
  const namespace = node.namespace;
  if (inventory && namespace) {
    const { inventory: model, coverage } = inventory;
    if (node.kind === 'namespace') {
      labels = { ...(model.namespaces.find((entry) => entry.name === namespace)?.labels ?? {}) };
      policies = model.networkPolicies
        .filter((policy) => policy.namespace === namespace)
        .flatMap((policy) => policy.policyTypes.map((direction) => ({ kind: policy.kind, namespace: policy.namespace, name: policy.name, direction })));
    } else {
      const workloadName = node.kind === 'pod' ? workloadDisplayName(endpoints[0]?.facts.name ?? node.name) : node.name;
      const workload = model.workloads.find((entry) => entry.namespace === namespace && entry.name === workloadName);
      if (workload) {
        labels = { ...workload.template.labels };
        images = [...new Set([...workload.template.containers, ...workload.template.initContainers].map((container) => container.image))];
        pods = model.pods
          .filter((pod) => workload.podNames.includes(pod.name) && (node.kind !== 'pod' || pod.name === node.name))
          .map((pod) => ({ name: pod.name, ips: [...pod.ips], nodeName: pod.nodeName ?? null }));
        const entry = coverage.workloads.find((candidate) => candidate.namespace === namespace && candidate.peer === `${namespace}/${workload.name}[${workload.kind}]`);
        policies = entry
          ? (['ingress', 'egress'] as const).flatMap((key) =>
              [...entry[key].networkPolicies, ...entry[key].adminNetworkPolicies, ...entry[key].baselineAdminNetworkPolicies].map((policy) => ({
                kind: policy.kind,
                namespace: policy.namespace ?? null,
                name: policy.name,
                direction: key === 'ingress' ? ('Ingress' as const) : ('Egress' as const),
              })),
            )
          : null;
      }
    }
  }

  const flowsLink: Record<string, string> = { cluster: cluster.name, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  if (namespace) flowsLink.srcNamespace = namespace;
  if (namespace && node.kind !== 'namespace') flowsLink.srcWorkload = node.kind === 'pod' ? workloadDisplayName(endpoints[0]?.facts.name ?? node.name) : node.name;
  if (request.verdict !== 'all') flowsLink.verdict = request.verdict;

  return { node, workloadKind: node.workloadKind, labels, images, pods, policies, edges, flowsLink };
}

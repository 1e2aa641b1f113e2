import { endpointNodeId } from '../flow/types';
import type { Container, Inventory, InventoryNamespace, InventoryWorkload } from '../inventory/types';
import type { GenAiExternalPeer, ObservedEdge } from './types';

export interface MakeGenAiBenchmarkDataOptions {
  readonly workloads?: number;
  readonly edges?: number;
  readonly namespaces?: number;
  readonly seed?: number;
  readonly clusterId?: string;
}

export interface GenAiBenchmarkData {
  readonly clusterId: string;
  readonly inventory: Inventory;
  readonly externalPeers: readonly GenAiExternalPeer[];
  readonly edges: readonly ObservedEdge[];
}

/** Images cycled through, so every role appears at realistic proportions (most workloads are plain apps). */
const IMAGES = [
  'vllm/vllm-openai:v0.6.0',
  'ghcr.io/huggingface/text-embeddings-inference:1.5',
  'qdrant/qdrant:v1.12.0',
  'postgres:16',
  'ghcr.io/berriai/litellm:main',
  'example.com/rag-api:1.0',
  'redis/redis-stack:7.2.0-v9',
  'ollama/ollama:0.3.0',
  ...Array.from({ length: 12 }, (_, index) => `example.com/app-${index}:1.0`),
];

/** Park–Miller LCG: deterministic, no Math.random in core. */
function lcg(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function container(name: string, image: string, envNames: string[]): Container {
  return { name, image, ports: [{ containerPort: 8080, protocol: 'TCP' }], command: [], args: [], envNames, envFrom: [] };
}

/**
 * A deterministic synthetic cluster for the GenAI benchmark: `workloads` workloads across
 * `namespaces` namespaces (a tenth labelled PII), external peers (OpenAI, Hugging Face, the internet)
 * and `edges` observed edges (5 % denied) shaped like RAG stacks plus random cross-talk.
 */
export function makeGenAiBenchmarkData(options: MakeGenAiBenchmarkDataOptions = {}): GenAiBenchmarkData {
  const workloadCount = options.workloads ?? 2000;
  const edgeCount = options.edges ?? 10000;
  const namespaceCount = options.namespaces ?? 100;
  const clusterId = options.clusterId ?? 'bench';
  const random = lcg(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

  const namespaces: InventoryNamespace[] = Array.from({ length: namespaceCount }, (_, index) => ({
    name: `ns-${index}`,
    labels: { 'kubernetes.io/metadata.name': `ns-${index}`, ...(index % 10 === 0 ? { 'data-classification': 'pii' } : {}) },
    annotations: {},
    declared: true,
  }));
  const workloads: InventoryWorkload[] = Array.from({ length: workloadCount }, (_, index) => {
    const namespace = `ns-${index % namespaceCount}`;
    const image = IMAGES[index % IMAGES.length] as string;
    const name = `w-${index}`;
    const envNames = image.includes('rag-api') ? ['OPENAI_API_KEY', 'QDRANT_URL'] : [];
    return {
      id: `${namespace}/Deployment/${name}`,
      kind: 'Deployment',
      namespace,
      name,
      labels: {},
      annotations: {},
      template: { labels: { app: name }, annotations: {}, containers: [container('main', image, envNames)], initContainers: [], hostNetwork: false },
      podNames: [],
      origin: 'manifest',
    };
  });
  const externalPeers: GenAiExternalPeer[] = [
    { id: `${clusterId}/-/external/api.openai.com`, domain: 'api.openai.com' },
    { id: `${clusterId}/-/external/huggingface.co`, domain: 'huggingface.co' },
    { id: `${clusterId}/-/external/pub`, ip: '203.0.113.7' },
  ];
  const ids = workloads.map((workload) => endpointNodeId(clusterId, { kind: 'workload', namespace: workload.namespace, name: workload.name, labels: {} }));
  const byNamespace = new Map<number, string[]>();
  ids.forEach((id, index) => byNamespace.set(index % namespaceCount, [...(byNamespace.get(index % namespaceCount) ?? []), id]));
  const edges: ObservedEdge[] = [];
  const add = (sourceNodeId: string, destinationNodeId: string, port: number): void => {
    const denied = random() < 0.05;
    edges.push({
      sourceNodeId,
      destinationNodeId,
      destinationPort: port,
      protocol: 'TCP',
      verdict: denied ? 'denied' : 'allowed',
      flows: 1 + Math.floor(random() * 100),
      bytesOut: Math.floor(random() * 1e6),
      bytesIn: Math.floor(random() * 1e6),
      policies: [{ kind: 'NetworkPolicy', namespace: sourceNodeId.split('/')[1] as string, name: denied ? 'default-deny' : 'allow-app', action: denied ? 'deny' : 'allow' }],
      evidenceFlowIds: [`flow-${edges.length}`],
    });
  };
  const internet = externalPeers[2]?.id as string;
  while (edges.length < edgeCount) {
    const roll = random();
    const namespace = Math.floor(random() * namespaceCount);
    const local = byNamespace.get(namespace) ?? [];
    if (roll < 0.03) add(internet, pick(ids), 443);
    else if (roll < 0.08) add(pick(ids), externalPeers[0]?.id as string, 443);
    else if (roll < 0.1) add(pick(ids), externalPeers[1]?.id as string, 443);
    else if (roll < 0.8) add(pick(local), pick(local), 8080);
    else add(pick(ids), pick(ids), 8080);
  }
  return {
    clusterId,
    inventory: { namespaces, pods: [], workloads, services: [], networkPolicies: [], adminNetworkPolicies: [], baselineAdminNetworkPolicies: [], exposures: [] },
    externalPeers,
    edges,
  };
}

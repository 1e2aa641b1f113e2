// NOTE: test-only builders (imported by *.test.ts only); kept here rather than core/testing because
// they build GenAI nodes, which core/testing does not know about yet.
import type { GenAiNode, GenAiRole, ObservedEdge, SensitivityLevel, SensitivityTag } from './types';

export function makeNode(id: string, roles: GenAiRole[], sensitivity?: { level: SensitivityLevel; tags?: SensitivityTag[] }): GenAiNode {
  const [, namespace, kind, name] = id.split('/') as [string, string, string, string];
  return {
    id,
    kind: kind === 'external' ? 'external' : 'workload',
    name,
    ...(kind === 'external' ? { domain: name } : { namespace, workloadKind: 'Deployment' as const, application: namespace }),
    roles: roles.map((role) => ({ role, confidence: 0.9, evidence: [{ source: 'image' as const, detail: `image for ${role}` }], ruleIds: [] })),
    sensitivity: sensitivity ? { level: sensitivity.level, tags: sensitivity.tags ?? [], evidence: [] } : null,
  };
}

export function makeEdge(source: string, destination: string, overrides: Partial<ObservedEdge> = {}): ObservedEdge {
  return {
    sourceNodeId: source,
    destinationNodeId: destination,
    destinationPort: 443,
    protocol: 'TCP',
    verdict: 'allowed',
    flows: 10,
    bytesOut: 1000,
    bytesIn: 1000,
    policies: [{ kind: 'NetworkPolicy', namespace: source.split('/')[1] as string, name: 'allow-app', action: 'allow' }],
    evidenceFlowIds: [`flow:${source}->${destination}`],
    ...overrides,
  };
}

/** The demo in miniature: internet → ingress → chat-ui → rag-api → {postgres (PII), qdrant, vllm, OpenAI}. */
export const ID = {
  internet: 'c/-/external/pub',
  openai: 'c/-/external/api.openai.com',
  huggingface: 'c/-/external/huggingface.co',
  ingress: 'c/ingress-nginx/workload/controller',
  chatUi: 'c/web/workload/chat-ui',
  ragApi: 'c/rag/workload/rag-api',
  qdrant: 'c/rag/workload/qdrant',
  vllm: 'c/llm/workload/vllm',
  postgres: 'c/data/workload/postgres',
  billing: 'c/billing/workload/billing',
} as const;

export const scenarioNodes: GenAiNode[] = [
  makeNode(ID.internet, []),
  makeNode(ID.openai, ['external-llm-api']),
  makeNode(ID.huggingface, ['model-hub']),
  makeNode(ID.ingress, ['ingress']),
  makeNode(ID.chatUi, ['ui']),
  makeNode(ID.ragApi, ['rag-app']),
  makeNode(ID.qdrant, ['vector-db']),
  makeNode(ID.vllm, ['llm-inference']),
  makeNode(ID.postgres, ['data-store'], { level: 'confidential', tags: ['pii'] }),
  makeNode(ID.billing, []),
];

export const scenarioEdges: ObservedEdge[] = [
  makeEdge(ID.internet, ID.ingress, { policies: [] }),
  makeEdge(ID.ingress, ID.chatUi, { destinationPort: 3000 }),
  makeEdge(ID.chatUi, ID.ragApi, { destinationPort: 8000 }),
  makeEdge(ID.ragApi, ID.postgres, { destinationPort: 5432, policies: [{ kind: 'NetworkPolicy', namespace: 'data', name: 'allow-rag', action: 'allow' }] }),
  makeEdge(ID.ragApi, ID.qdrant, { destinationPort: 6333 }),
  makeEdge(ID.ragApi, ID.vllm, { destinationPort: 8000 }),
  makeEdge(ID.ragApi, ID.openai, { bytesOut: 5_000_000 }),
  makeEdge(ID.vllm, ID.huggingface, { bytesIn: 4_000_000_000 }),
  makeEdge(ID.internet, ID.vllm, { destinationPort: 8000, policies: [] }),
  makeEdge(ID.billing, ID.postgres, { destinationPort: 5432 }),
  makeEdge(ID.chatUi, ID.postgres, { destinationPort: 5432, verdict: 'denied', flows: 7, policies: [{ kind: 'NetworkPolicy', namespace: 'data', name: 'default-deny', action: 'deny' }] }),
  makeEdge(ID.chatUi, ID.qdrant, { destinationPort: 6333, verdict: 'denied', flows: 4, policies: [] }),
  makeEdge(ID.chatUi, ID.vllm, { destinationPort: 8000, verdict: 'denied', flows: 3, policies: [] }),
];

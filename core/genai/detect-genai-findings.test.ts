import { describe, expect, it } from 'vitest';
import type { Coverage, DirectionCoverage } from '../policy';
import { detectGenAiFindings, genAiNodeLabel } from './detect-genai-findings';
import { ID, makeEdge, makeNode, scenarioEdges, scenarioNodes } from './genai-scenario.test-helpers';
import type { DailyEgress } from './types';

const DAY_MS = 86_400_000;
const ungoverned: DirectionCoverage = { governed: false, networkPolicies: [], adminNetworkPolicies: [], baselineAdminNetworkPolicies: [] };
const governed: DirectionCoverage = { ...ungoverned, governed: true, networkPolicies: [{ kind: 'NetworkPolicy', namespace: 'rag', name: 'x' }] };
const coverage: Coverage = {
  workloads: [
    { peer: 'llm/vllm[Deployment]', namespace: 'llm', ingress: ungoverned, egress: ungoverned },
    { peer: 'rag/rag-api[Deployment]', namespace: 'rag', ingress: governed, egress: governed },
    { peer: 'rag/qdrant[Deployment]', namespace: 'rag', ingress: governed, egress: governed },
  ],
  namespaces: [],
};
const dailyEgress: DailyEgress[] = [
  ...Array.from({ length: 7 }, (_, day) => ({ sourceNodeId: ID.ragApi, destinationNodeId: ID.openai, dayStartMs: day * DAY_MS, bytesOut: 100_000_000 + day * 1_000_000 })),
  { sourceNodeId: ID.ragApi, destinationNodeId: ID.openai, dayStartMs: 7 * DAY_MS, bytesOut: 2_500_000_000 },
];

describe('detectGenAiFindings on the demo scenario', () => {
  const { findings } = detectGenAiFindings({
    nodes: scenarioNodes,
    edges: scenarioEdges,
    coverage,
    previousEdges: [makeEdge(ID.ragApi, ID.postgres)],
    dailyEgress,
  });
  const byKind = (kind: string) => findings.filter((finding) => finding.kind === kind);

  it('raises each kind once, sorted by severity', () => {
    expect(findings.map((finding) => [finding.severity, finding.kind, finding.id])).toEqual([
      ['critical', 'sensitive-data-to-external-llm', `sensitive-data-to-external-llm:${ID.ragApi}`],
      ['high', 'genai-exposed', `genai-exposed:internet:${ID.vllm}`],
      ['high', 'genai-unprotected', 'genai-unprotected:c/llm'],
      ['high', 'denied-attempt', `denied-attempt:${ID.chatUi}`],
      ['high', 'new-sensitive-edge', `new-sensitive-edge:${ID.billing}>${ID.postgres}`],
      ['high', 'llm-egress-spike', `llm-egress-spike:${ID.ragApi}>${ID.openai}:1970-01-08`],
      ['medium', 'model-pull', `model-pull:${ID.vllm}>${ID.huggingface}`],
    ]);
  });

  it('names the exfiltration path in plain words, with evidence', () => {
    const [finding] = byKind('sensitive-data-to-external-llm');
    expect(finding?.title).toBe('rag-api reads the PII database data/postgres and sends to api.openai.com');
    expect(finding?.path).toEqual([ID.postgres, ID.ragApi, ID.openai]);
    expect(finding?.evidence.filter((item) => item.kind === 'edge').map((item) => (item.kind === 'edge' ? item.edgeId : ''))).toEqual([
      `${ID.ragApi}->${ID.postgres}:5432/TCP`,
      `${ID.ragApi}->${ID.openai}:443/TCP`,
    ]);
    expect(finding?.evidence).toContainEqual({ kind: 'sensitivity', nodeId: ID.postgres, level: 'confidential', tags: ['pii'] });
    // Each store's classification stands next to its name.
    expect(finding?.explanation).toContain('has allowed connections to data/postgres (confidential, pii) and to the external LLM API api.openai.com');
  });

  it('flags the unprotected llm namespace and the denied probes', () => {
    expect(byKind('genai-unprotected')[0]).toMatchObject({ title: 'vllm (llm-inference) in namespace llm has no NetworkPolicy', path: [ID.vllm] });
    expect(byKind('denied-attempt')[0]).toMatchObject({
      title: 'chat-ui was denied 14 times reaching 3 GenAI components or sensitive stores',
      path: [ID.chatUi, ID.postgres, ID.vllm, ID.qdrant],
    });
  });

  it('compares egress with the workload baseline', () => {
    expect(byKind('llm-egress-spike')[0]?.title).toBe('rag-api sent 2.5 GB to api.openai.com on 1970-01-08, 24× its usual 103 MB/day');
  });
});

const PROMETHEUS = 'c/monitoring/workload/prometheus';

describe('detectGenAiFindings: cases', () => {
  it.each([
    ['no sensitive store, no exfiltration finding', [makeEdge(ID.ragApi, ID.qdrant), makeEdge(ID.ragApi, ID.openai)], []],
    ['cross-namespace backend access by a non-GenAI workload', [makeEdge(ID.billing, ID.qdrant)], ['genai-exposed:outside-application']],
    ['a RAG app calling a shared inference namespace is expected', [makeEdge(ID.ragApi, ID.vllm)], []],
    ['a metrics scraper reaching every backend is the monitoring design', [makeEdge(PROMETHEUS, ID.qdrant), makeEdge(PROMETHEUS, ID.vllm)], []],
  ])('%s', (_title, edges, expectedPrefixes) => {
    const { findings } = detectGenAiFindings({ nodes: [...scenarioNodes, makeNode(PROMETHEUS, ['metrics-scraper'])], edges });
    expect(findings.map((finding) => finding.id.split(':').slice(0, 2).join(':'))).toEqual(expectedPrefixes);
  });

  it('a model pull from logs without byte counts says what was seen', () => {
    const pull = (bytesIn: number) => detectGenAiFindings({ nodes: scenarioNodes, edges: [makeEdge(ID.vllm, ID.huggingface, { bytesIn, flows: 3 })] }).findings[0]?.explanation;
    expect(pull(4_000_000_000)).toContain('llm/vllm downloaded 4.0 GB from the public model hub huggingface.co in this window.');
    expect(pull(0)).toContain('llm/vllm connected to the public model hub huggingface.co in 3 flows in this window (its flow logs carry no byte counts).');
  });

  it('follows an LLM gateway to the external API', () => {
    const gateway = 'c/ai/workload/litellm';
    const nodes = [...scenarioNodes, makeNode(gateway, ['llm-gateway'])];
    const edges = [makeEdge(ID.ragApi, ID.postgres), makeEdge(ID.ragApi, gateway), makeEdge(gateway, ID.openai)];
    const [finding] = detectGenAiFindings({ nodes, edges }).findings;
    expect(finding?.path).toEqual([ID.postgres, ID.ragApi, gateway, ID.openai]);
    expect(finding?.explanation).toContain('through ai/litellm');
  });

  it('does not flag a spike without three baseline days or under the minimum', () => {
    const short = dailyEgress.slice(5);
    expect(detectGenAiFindings({ nodes: scenarioNodes, edges: [], dailyEgress: short }).findings).toEqual([]);
    const steady = dailyEgress.map((entry) => ({ ...entry, bytesOut: 100_000_000 }));
    expect(detectGenAiFindings({ nodes: scenarioNodes, edges: [], dailyEgress: steady }).findings).toEqual([]);
  });

  it.each([
    ['c/rag/workload/rag-api', 'rag/rag-api'],
    ['c/-/external/1.2.3.4', '1.2.3.4'],
    ['odd', 'odd'],
  ])('labels unknown node %s as %s', (id, expected) => {
    expect(genAiNodeLabel(undefined, id)).toBe(expected);
  });
});

describe('the store a data-to-external-LLM finding names', () => {
  it('is the one labelled regulated itself, not a neighbour that inherits its namespace label', async () => {
    const { detectGenAiFindings } = await import('./detect-genai-findings');
    const node = (id: string, roles: string[], sensitivity: unknown) => ({ id, kind: 'workload', name: id.split('/').pop(), namespace: id.split('/')[1], roles: roles.map((role) => ({ role, confidence: 0.9, evidence: [], ruleIds: [] })), sensitivity });
    const nodes = [
      node('c/chat/workload/rag-api', ['rag-app'], null),
      node('c/data/workload/minio', ['data-store'], { level: 'confidential', tags: ['pii'], evidence: [{ source: 'label', detail: 'label data-classification=confidential' }, { source: 'label', detail: 'namespace label data-classification=pii' }] }),
      node('c/data/workload/postgres', ['data-store'], { level: 'confidential', tags: ['pii'], evidence: [{ source: 'label', detail: 'label data-classification=pii' }] }),
      { id: 'c/-/external/api.openai.com', kind: 'external', name: 'api.openai.com', domain: 'api.openai.com', roles: [{ role: 'external-llm-api', confidence: 0.95, evidence: [], ruleIds: [] }], sensitivity: null },
    ];
    const edge = (sourceNodeId: string, destinationNodeId: string) => ({ sourceNodeId, destinationNodeId, destinationPort: 443, protocol: 'TCP', verdict: 'allowed', flows: 10, bytesOut: 100, bytesIn: 100, policies: [] });
    const { findings } = detectGenAiFindings({
      nodes: nodes as never,
      edges: [edge('c/chat/workload/rag-api', 'c/data/workload/minio'), edge('c/chat/workload/rag-api', 'c/data/workload/postgres'), edge('c/chat/workload/rag-api', 'c/-/external/api.openai.com')] as never,
    });
    const finding = findings.find((candidate) => candidate.kind === 'sensitive-data-to-external-llm');
    expect(finding?.title).toContain('data/postgres');
  });
});

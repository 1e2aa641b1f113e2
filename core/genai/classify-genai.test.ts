import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory';
import { classifyGenAi, imageRepository } from './classify-genai';
import type { GenAiRole, GenAiRule, ObservedEdge } from './types';

interface WorkloadSpec {
  name: string;
  namespace?: string;
  image: string;
  ports?: number[];
  args?: string[];
  command?: string[];
  env?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function deployment(spec: WorkloadSpec): unknown {
  const labels = { app: spec.name, ...spec.labels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace ?? 'default' },
    spec: {
      selector: { matchLabels: { app: spec.name } },
      template: {
        metadata: { labels, annotations: spec.annotations ?? {} },
        spec: {
          containers: [
            {
              name: 'main',
              image: spec.image,
              ...(spec.args ? { args: spec.args } : {}),
              ...(spec.command ? { command: spec.command } : {}),
              ports: (spec.ports ?? []).map((containerPort) => ({ containerPort })),
              env: (spec.env ?? []).map((name) => ({ name, value: 'x' })),
            },
          ],
        },
      },
    },
  };
}

function classify(specs: WorkloadSpec[], extra: { rules?: GenAiRule[]; edges?: ObservedEdge[] } = {}) {
  const { inventory } = buildInventory(specs.map(deployment));
  const { nodes } = classifyGenAi({ inventory, clusterId: 'c', ...extra });
  return new Map(nodes.map((node) => [node.name, node]));
}

const rolesOf = (specs: WorkloadSpec[], name: string, extra?: Parameters<typeof classify>[1]): GenAiRole[] =>
  (classify(specs, extra).get(name)?.roles ?? []).map((assignment) => assignment.role).sort();

describe('classifyGenAi: static evidence', () => {
  it.each<[string, WorkloadSpec, GenAiRole[]]>([
    ['vLLM image', { name: 'a', image: 'vllm/vllm-openai:v0.6.3' }, ['llm-inference']],
    ['vLLM by command on a custom image', { name: 'a', image: 'acme/runtime:1', command: ['python', '-m', 'vllm.entrypoints.openai.api_server'] }, ['llm-inference']],
    ['TGI', { name: 'a', image: 'ghcr.io/huggingface/text-generation-inference:2.4.0' }, ['llm-inference']],
    ['Triton', { name: 'a', image: 'nvcr.io/nvidia/tritonserver:24.08-py3' }, ['llm-inference']],
    ['SGLang', { name: 'a', image: 'lmsysorg/sglang:latest' }, ['llm-inference']],
    ['llama.cpp', { name: 'a', image: 'ghcr.io/ggerganov/llama.cpp:server' }, ['llm-inference']],
    ['LocalAI', { name: 'a', image: 'localai/localai:latest-aio-cpu' }, ['llm-inference']],
    ['Ollama port only', { name: 'a', image: 'acme/x:1', ports: [11434] }, ['llm-inference']],
    ['TEI serving an embedding model', { name: 'a', image: 'ghcr.io/huggingface/text-embeddings-inference:1.5', args: ['--model-id', 'BAAI/bge-base-en-v1.5'] }, ['embedding']],
    ['TEI serving a reranker', { name: 'a', image: 'ghcr.io/huggingface/text-embeddings-inference:1.5', args: ['--model-id', 'BAAI/bge-reranker-base'] }, ['reranker']],
    ['Qdrant', { name: 'a', image: 'qdrant/qdrant:v1.12.0' }, ['vector-db']],
    ['Weaviate', { name: 'a', image: 'cr.weaviate.io/semitechnologies/weaviate:1.26.1' }, ['vector-db']],
    ['Chroma', { name: 'a', image: 'chromadb/chroma:0.5.5' }, ['vector-db']],
    ['pgvector', { name: 'a', image: 'pgvector/pgvector:pg16' }, ['data-store', 'vector-db']],
    ['Postgres', { name: 'a', image: 'postgres:16' }, ['data-store']],
    ['LiteLLM with an OpenAI key', { name: 'a', image: 'ghcr.io/berriai/litellm:main', env: ['OPENAI_API_KEY'] }, ['llm-gateway']],
    ['LLM + retrieval env names', { name: 'a', image: 'acme/app:1', env: ['OPENAI_API_KEY', 'QDRANT_URL'] }, ['rag-app']],
    ['REDIS_URL + INDEX_NAME', { name: 'a', image: 'acme/app:1', env: ['REDIS_URL', 'INDEX_NAME'] }, ['rag-component']],
    ['KServe label', { name: 'a', image: 'acme/predictor:1', labels: { 'serving.kserve.io/inferenceservice': 'llama' } }, ['llm-inference']],
    ['plain app', { name: 'checkout', image: 'acme/checkout:1', ports: [8080] }, []],
    ['a name alone is not enough', { name: 'vllm-docs', image: 'acme/static-site:1' }, []],
    ['tag never decides', { name: 'a', image: 'acme/web:vllm-0.6' }, []],
  ])('%s', (_title, spec, expected) => {
    expect(rolesOf([spec], spec.name)).toEqual(expected);
  });

  it('keeps evidence and combines confidences (noisy OR)', () => {
    const node = classify([{ name: 'llm', image: 'ollama/ollama:0.3', ports: [11434] }]).get('llm');
    const role = node?.roles[0];
    expect(role?.role).toBe('llm-inference');
    // 1 − (1 − 0.9)(1 − 0.5) = 0.95
    expect(role?.confidence).toBe(0.95);
    expect(role?.evidence).toEqual([
      { source: 'image', detail: 'image ollama/ollama:0.3' },
      { source: 'port', detail: 'container main port 11434' },
    ]);
    expect(node?.id).toBe('c/default/workload/llm');
  });

  it.each([
    ['ghcr.io/huggingface/text-embeddings-inference:cpu-1.5', 'ghcr.io/huggingface/text-embeddings-inference'],
    ['localhost:5000/acme/app:1', 'localhost:5000/acme/app'],
    ['qdrant/qdrant@sha256:abc', 'qdrant/qdrant'],
    ['Nginx', 'nginx'],
  ])('imageRepository(%s) = %s', (image, expected) => {
    expect(imageRepository(image)).toBe(expected);
  });
});

describe('classifyGenAi: traffic shape', () => {
  const specs: WorkloadSpec[] = [
    { name: 'backend', image: 'acme/backend:1' },
    { name: 'qdrant', image: 'qdrant/qdrant:1' },
    { name: 'vllm', image: 'vllm/vllm-openai:1' },
    { name: 'tei', image: 'ghcr.io/huggingface/text-embeddings-inference:1' },
    { name: 'indexer-job', image: 'acme/worker:1' },
  ];
  const edge = (source: string, destination: string, verdict: 'allowed' | 'denied' = 'allowed'): ObservedEdge => ({
    sourceNodeId: `c/default/workload/${source}`,
    destinationNodeId: `c/default/workload/${destination}`,
    destinationPort: 80,
    protocol: 'TCP',
    verdict,
    flows: 1,
    bytesOut: 1,
    bytesIn: 1,
    policies: [],
  });

  it('a workload calling an inference server and a vector DB is a RAG app', () => {
    const node = classify(specs, { edges: [edge('backend', 'vllm'), edge('backend', 'qdrant')] }).get('backend');
    expect(node?.roles.map((role) => role.role)).toEqual(['rag-app']);
    expect(node?.roles[0]?.evidence).toEqual([
      { source: 'traffic', detail: 'calls vllm (llm-inference)' },
      { source: 'traffic', detail: 'calls qdrant (vector-db)' },
    ]);
  });
  it('denied edges do not count', () => {
    expect(rolesOf(specs, 'backend', { edges: [edge('backend', 'vllm', 'denied'), edge('backend', 'qdrant')] })).toEqual([]);
  });
  it('embedding + vector DB without an LLM is a RAG component', () => {
    expect(rolesOf(specs, 'indexer-job', { edges: [edge('indexer-job', 'tei'), edge('indexer-job', 'qdrant')] })).toEqual(['rag-component']);
  });
  it.each([
    ['the LLM too', ['vllm', 'tei', 'qdrant']],
    ['no LLM in the window', ['tei', 'qdrant']],
  ])('a metrics scraper calling GenAI services is no RAG app or component (%s)', (_title, targets) => {
    const withScraper = [...specs, { name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1' }];
    expect(rolesOf(withScraper, 'prometheus', { edges: targets.map((target) => edge('prometheus', target)) })).toEqual(['metrics-scraper']);
  });
});

describe('classifyGenAi: custom rules and external peers', () => {
  it('adds, overrides by id, suppresses and names the custom rule in evidence', () => {
    const specs: WorkloadSpec[] = [
      { name: 'brain', namespace: 'ml', image: 'acme/brain:1' },
      { name: 'cache', image: 'redis:7' },
    ];
    const rules: GenAiRule[] = [
      { kind: 'role', id: 'acme-brain', role: 'llm-inference', confidence: 1, match: [{ kind: 'namespace', pattern: '^ml$' }, { kind: 'name', pattern: '^brain$' }] },
      { kind: 'role', id: 'kv-image', role: 'data-store', confidence: 0.6, match: [{ kind: 'image', pattern: '(^|/)redis$' }], effect: 'suppress' },
    ];
    const nodes = classify(specs, { rules });
    expect(nodes.get('brain')?.roles[0]).toMatchObject({ role: 'llm-inference', confidence: 1 });
    expect(nodes.get('brain')?.roles[0]?.evidence.at(-1)).toEqual({ source: 'rule', detail: 'custom rule acme-brain' });
    expect(nodes.get('cache')?.roles).toEqual([]);
  });

  it('disables a default rule', () => {
    expect(rolesOf([{ name: 'q', image: 'qdrant/qdrant:1' }], 'q', { rules: [{ kind: 'role', id: 'qdrant-image', role: 'vector-db', confidence: 0.9, match: [{ kind: 'image', pattern: 'x' }], enabled: false }] })).toEqual([]);
  });

  it('sets sensitivity by rule', () => {
    const rules: GenAiRule[] = [{ kind: 'sensitivity', id: 'billing', match: [{ kind: 'namespace', pattern: '^billing$' }], level: 'restricted', tags: ['pci'] }];
    const node = classify([{ name: 'ledger', namespace: 'billing', image: 'postgres:16' }], { rules }).get('ledger');
    expect(node?.sensitivity).toEqual({ level: 'restricted', tags: ['pci'], evidence: [{ source: 'rule', detail: 'rule billing' }] });
  });

  it.each<[string, GenAiRole[]]>([
    ['api.openai.com', ['external-llm-api']],
    ['my-resource.openai.azure.com', ['external-llm-api']],
    ['bedrock-runtime.us-east-1.amazonaws.com', ['external-llm-api']],
    ['us-central1-aiplatform.googleapis.com', ['external-llm-api']],
    ['generativelanguage.googleapis.com', ['external-llm-api']],
    ['api.anthropic.com', ['external-llm-api']],
    ['api-inference.huggingface.co', ['external-llm-api']],
    ['huggingface.co', ['model-hub']],
    ['cdn-lfs-us-1.hf.co', ['model-hub']],
    ['my-index-abc.svc.pinecone.io', ['vector-db']],
    ['example.com', []],
  ])('external %s', (domain, expected) => {
    const { inventory } = buildInventory([]);
    const { nodes } = classifyGenAi({ inventory, externalPeers: [{ id: `c/-/external/${domain}`, domain }] });
    expect(nodes[0]?.roles.map((role) => role.role)).toEqual(expected);
    if (expected.length > 0) expect(nodes[0]?.roles[0]?.evidence[0]).toEqual({ source: 'domain', detail: `domain ${domain}` });
  });
});

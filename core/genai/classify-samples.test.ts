import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifestDocuments } from '../inventory';
import { classifyGenAi } from './classify-genai';
import type { GenAiRole } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const samplesDir = path.resolve(repoRoot, '../shared/samples/genai-manifests');
const hasSamples = existsSync(samplesDir);

/** Roles of every workload of one manifest file, `name → roles` (exact set, any order). */
function classifyFile(file: string): Map<string, GenAiRole[]> {
  const { inventory, errors } = loadManifestDocuments([{ path: file, text: readFileSync(file, 'utf8') }]);
  expect(errors).toEqual([]);
  const { nodes } = classifyGenAi({ inventory });
  return new Map(nodes.map((node) => [`${node.namespace}/${node.name}`, node.roles.map((assignment) => assignment.role).sort()]));
}

// The OPEA ChatQnA roles, decided by looking at each workload:
// - chatqna (the megaservice: opea/chatqna*, calls LLM + embedding + retriever + reranker): rag-app
// - data-prep (ingests documents into the vector store) and retriever-usvc: rag-component
// - embedding-usvc / reranking-usvc (OPEA wrappers around TEI): embedding / reranker
// - llm-uservice (opea/llm-textgen, fronts TGI/vLLM or a remote endpoint): llm-gateway
// - redis-vector-db (redis-stack): vector-db, and data-store (it is Redis)
// - nginx (reverse proxy in front of UI and backend): ingress; chatqna-ui: ui
// - tgi-guardrails (TGI serving Llama Guard): llm-inference + guardrail; guardrails-usvc: guardrail
const OPEA_COMMON: Record<string, GenAiRole[]> = {
  'default/chatqna': ['rag-app'],
  'default/chatqna-chatqna-ui': ['ui'],
  'default/chatqna-data-prep': ['rag-component'],
  'default/chatqna-nginx': ['ingress'],
  'default/chatqna-redis-vector-db': ['data-store', 'vector-db'],
  'default/chatqna-retriever-usvc': ['rag-component'],
  'default/chatqna-tei': ['embedding'],
  'default/chatqna-teirerank': ['reranker'],
};
const OPEA_MICROSERVICES: Record<string, GenAiRole[]> = {
  'default/chatqna-embedding-usvc': ['embedding'],
  'default/chatqna-llm-uservice': ['llm-gateway'],
  'default/chatqna-reranking-usvc': ['reranker'],
};

const SAMPLE_CASES: ReadonlyArray<{ file: string; expected: Record<string, GenAiRole[]> }> = [
  { file: 'opea-chatqna-full-stack/xeon-tgi-redis.chatqna.yaml', expected: { ...OPEA_COMMON, 'default/chatqna-tgi': ['llm-inference'] } },
  {
    file: 'opea-chatqna-full-stack/xeon-guardrails.chatqna-guardrails.yaml',
    expected: {
      ...OPEA_COMMON,
      'default/chatqna-tgi': ['llm-inference'],
      'default/chatqna-tgi-guardrails': ['guardrail', 'llm-inference'],
      'default/chatqna-guardrails-usvc': ['guardrail'],
    },
  },
  { file: 'opea-chatqna-full-stack/gaudi-vllm.chatqna-vllm.yaml', expected: { ...OPEA_COMMON, ...OPEA_MICROSERVICES, 'default/chatqna-vllm': ['llm-inference'] } },
  { file: 'opea-chatqna-full-stack/xeon-remote-inference.chatqna-remote-inference.yaml', expected: { ...OPEA_COMMON, ...OPEA_MICROSERVICES } },
  { file: 'open-webui-ollama/ollama-statefulset.yaml', expected: { 'ollama-namespace/ollama': ['llm-inference'] } },
  // Open WebUI is both the chat UI and a RAG application (documents, web search) calling Ollama.
  { file: 'open-webui-ollama/webui-deployment.yaml', expected: { 'ollama-namespace/ollama-webui-deployment': ['rag-app', 'ui'] } },
];

const describeSamples = hasSamples ? describe : describe.skip;
if (!hasSamples) console.warn(`[flowlens tests] ${samplesDir} is absent: the GenAI sample-manifest tests are skipped.`);

describeSamples('classifyGenAi on ../shared/samples/genai-manifests', () => {
  it('covers every sample file', () => {
    const files = readdirSync(samplesDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.yaml'));
    expect(files.sort()).toEqual(SAMPLE_CASES.map((entry) => entry.file).sort());
  });
  it.each(SAMPLE_CASES)('$file: every workload gets the right roles', ({ file, expected }) => {
    const roles = classifyFile(path.join(samplesDir, file));
    expect(Object.fromEntries(roles)).toEqual(Object.fromEntries(Object.entries(expected).map(([name, list]) => [name, [...list].sort()])));
  });
});

// Our own Helm-rendered-style manifests with names unlike the samples': classification must come
// from images, args, ports and env names, not from the sample's workload names.
const TESTDATA_CASES: ReadonlyArray<{ file: string; expected: Record<string, GenAiRole[]> }> = [
  {
    file: 'vllm-production-stack.yaml',
    expected: { 'serving/prod-llama3-deployment-vllm': ['llm-inference'], 'serving/prod-deployment-router': ['llm-gateway'] },
  },
  { file: 'ollama-helm.yaml', expected: { 'ai/models-ollama': ['llm-inference'] } },
  { file: 'qdrant-chart.yaml', expected: { 'search/kb-qdrant': ['vector-db'] } },
  {
    file: 'milvus-standalone.yaml',
    expected: { 'vectors/vecstore-milvus-standalone': ['vector-db'], 'vectors/vecstore-etcd': ['data-store'], 'vectors/vecstore-minio': ['data-store'] },
  },
  {
    file: 'tei-litellm-rag.yaml',
    expected: {
      'support/text-embed': ['embedding'],
      'support/ranker': ['reranker'],
      'support/gw': ['llm-gateway'],
      'support/support-bot': ['rag-app'],
      'data/customers-postgresql': ['data-store'],
    },
  },
];

describe('classifyGenAi on core/genai/testdata', () => {
  it.each(TESTDATA_CASES)('$file: every workload gets the right roles', ({ file, expected }) => {
    const roles = classifyFile(path.join(here, 'testdata', file));
    expect(Object.fromEntries(roles)).toEqual(Object.fromEntries(Object.entries(expected).map(([name, list]) => [name, [...list].sort()])));
  });

  it('reads sensitivity from workload labels, pod annotations and namespace labels', () => {
    const load = (file: string) => {
      const { inventory } = loadManifestDocuments([{ path: file, text: readFileSync(path.join(here, 'testdata', file), 'utf8') }]);
      return classifyGenAi({ inventory }).nodes;
    };
    const postgres = load('tei-litellm-rag.yaml').find((node) => node.name === 'customers-postgresql');
    expect(postgres?.sensitivity).toMatchObject({ level: 'restricted', tags: ['pii'] });
    const qdrant = load('qdrant-chart.yaml').find((node) => node.name === 'kb-qdrant');
    expect(qdrant?.sensitivity).toMatchObject({ level: 'confidential', tags: [] });
    expect(qdrant?.sensitivity?.evidence[0]?.detail).toBe('namespace label data-classification=confidential');
  });
});

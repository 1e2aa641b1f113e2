import { describe, expect, it } from 'vitest';
import { genAiMarksByNode } from './graph-style';

describe('genAiMarksByNode', () => {
  const overlay = {
    roles: {
      'c/llm/workload/tei-embed': ['embedding'],
      'c/llm/workload/tei-rerank': ['reranker'],
      'c/llm/workload/vllm': ['llm-inference'],
      'c/chat/workload/rag-api': ['rag-app', 'rag-component'],
      'c/data/workload/postgres': ['data-store'],
    },
    tags: { 'c/data/workload/postgres': ['pii', 'confidential'] },
    sensitivity: {},
  };

  it('a workload shows its own badges; RAG once; data stores only their tags', () => {
    const marks = genAiMarksByNode(overlay, (id) => id);
    expect(marks['c/llm/workload/vllm']?.roleLabels).toEqual(['LLM']);
    expect(marks['c/chat/workload/rag-api']?.roleLabels).toEqual(['RAG']);
    expect(marks['c/data/workload/postgres']).toMatchObject({ roleLabels: [], tags: ['pii'], short: 'PII' });
  });

  it('a namespace node shows the most telling roles of its workloads first, and how many more', () => {
    const namespaceOf = (id: string) => id.split('/').slice(0, 2).join('/');
    const marks = genAiMarksByNode(overlay, namespaceOf);
    expect(marks['c/llm']?.roleLabels).toEqual(['LLM', 'embed', '+1']);
    expect(marks['c/llm']?.roles.sort()).toEqual(['embedding', 'llm-inference', 'reranker']);
  });

  it('a node that is not drawn gets nothing', () => {
    expect(genAiMarksByNode(overlay, () => null)).toEqual({});
  });
});

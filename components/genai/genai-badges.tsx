import type { GenAiRole, SensitivityLevel, SensitivityTag } from '@/lib/api/genai';

const ROLE_WORDS: Record<GenAiRole, string> = {
  'llm-inference': 'LLM inference',
  embedding: 'embedding',
  reranker: 'reranker',
  'vector-db': 'vector DB',
  'llm-gateway': 'LLM gateway',
  'rag-app': 'RAG app',
  'rag-component': 'RAG component',
  guardrail: 'guardrail',
  'data-store': 'data store',
  'external-llm-api': 'external LLM API',
  'model-hub': 'model hub',
  ingress: 'ingress',
  ui: 'chat UI',
  'metrics-scraper': 'metrics scraper',
};

export function roleWords(role: GenAiRole): string {
  return ROLE_WORDS[role] ?? role;
}

/** One GenAI role, coloured by family (inference, retrieval, data, hubs). */
export function RoleBadge(props: { role: GenAiRole; confidence?: number }) {
  return (
    <span className="genai-role" data-role={props.role} data-testid="genai-role">
      {roleWords(props.role)}
      {props.confidence !== undefined ? ` ${Math.round(props.confidence * 100)} %` : ''}
    </span>
  );
}

/** Data sensitivity: the tags (PII, PCI, PHI) when there are any, else the level. */
export function SensitivityBadge(props: { level: SensitivityLevel; tags: readonly SensitivityTag[] }) {
  const words = props.tags.length > 0 ? props.tags.map((tag) => tag.toUpperCase()).join(' · ') : props.level;
  return (
    <span className="genai-sensitivity" data-level={props.level} data-testid="genai-sensitivity" title={`sensitivity: ${props.level}`}>
      {words}
    </span>
  );
}

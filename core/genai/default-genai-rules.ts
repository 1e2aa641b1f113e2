import type { GenAiCondition, GenAiRole, GenAiRoleRule, GenAiRule } from './types';

// Tiny constructors keep the table readable; the table itself is plain data (JSON-serialisable).
const image = (pattern: string): GenAiCondition => ({ kind: 'image', pattern });
const port = (...ports: number[]): GenAiCondition => ({ kind: 'port', ports });
const arg = (pattern: string): GenAiCondition => ({ kind: 'arg', pattern });
const env = (pattern: string): GenAiCondition => ({ kind: 'env', pattern });
const name = (pattern: string): GenAiCondition => ({ kind: 'name', pattern });
const domain = (pattern: string): GenAiCondition => ({ kind: 'domain', pattern });
const calls = (roles: GenAiRole[], negate = false): GenAiCondition => ({ kind: 'calls', roles, ...(negate ? { negate } : {}) });
const label = (key: string, value?: string): GenAiCondition => ({ kind: 'label', key, ...(value !== undefined ? { value } : {}) });

function rule(
  id: string,
  role: GenAiRole,
  confidence: number,
  match: GenAiCondition[],
  extra: Partial<Pick<GenAiRoleRule, 'replaces' | 'description' | 'effect'>> = {},
): GenAiRoleRule {
  return { kind: 'role', id, role, confidence, match, ...extra };
}

/** Image repository ends with one of the names (after a `/` or at the start). */
const repo = (...names: string[]): string => `(^|/)(${names.join('|')})$`;

/** Inference-server images (for combined rules such as "an inference server serving a guard model"). */
const INFERENCE_IMAGES = '(text-generation-inference|tgi-gaudi|vllm[a-z0-9-]*|[a-z0-9-]*-vllm|tritonserver|sglang|ollama|llama\\.cpp|localai|local-ai)$';
const TEI_IMAGES = repo('text-embeddings-inference', 'tei-gaudi', 'tei');
/** Metrics scrapers and telemetry agents: they call every service they monitor. */
const METRICS_SCRAPER_IMAGE = image(
  repo('prometheus', 'prom/prometheus', 'prometheus/prometheus', 'prometheus-operator/prometheus', 'victoriametrics/vmagent', 'victoria-metrics', 'grafana/agent', 'grafana/alloy', 'opentelemetry-collector', 'opentelemetry-collector-contrib', 'otel/opentelemetry-collector', 'otel/opentelemetry-collector-contrib', 'datadog/agent', 'newrelic/infrastructure'),
);

// NOTE: name patterns are weak (0.3, below the default 0.35 threshold) on purpose: names only
// corroborate images, ports and args, so a workload called "ollama-webui" is not an inference server.
const ROLE_RULES: GenAiRoleRule[] = [
  // ----- llm-inference
  rule('vllm-image', 'llm-inference', 0.9, [image('(^|/)(vllm[a-z0-9-]*|[a-z0-9-]*-vllm|vllm-openai)$')], { description: 'vLLM' }),
  rule('vllm-command', 'llm-inference', 0.85, [arg('(^|\\s)vllm\\s+serve\\b|vllm\\.entrypoints')], { description: 'vLLM started by command' }),
  rule('tgi-image', 'llm-inference', 0.9, [image(repo('text-generation-inference', 'tgi-gaudi', 'tgi'))], { description: 'Hugging Face TGI' }),
  rule('triton-image', 'llm-inference', 0.85, [image('(^|/)(tritonserver|triton-inference-server|tensorrt-llm[a-z0-9-]*)$')], { description: 'NVIDIA Triton / TensorRT-LLM' }),
  rule('nim-image', 'llm-inference', 0.85, [image('(^|/)nvcr\\.io/nim/')], { description: 'NVIDIA NIM' }),
  rule('kserve-label', 'llm-inference', 0.75, [label('serving.kserve.io/inferenceservice')], { description: 'KServe InferenceService pod' }),
  rule('kserve-image', 'llm-inference', 0.8, [image('(^|/)kserve/[a-z0-9-]*(server|serving)[a-z0-9-]*$')], { description: 'KServe model server' }),
  rule('ollama-image', 'llm-inference', 0.9, [image(repo('ollama'))], { description: 'Ollama' }),
  rule('ollama-port', 'llm-inference', 0.5, [port(11434)], { description: 'Ollama API port' }),
  rule('sglang-image', 'llm-inference', 0.9, [image('(^|/)sglang[a-z0-9-]*$')], { description: 'SGLang' }),
  rule('sglang-command', 'llm-inference', 0.85, [arg('sglang\\.launch_server')], { description: 'SGLang' }),
  rule('llamacpp-image', 'llm-inference', 0.85, [image('(^|/)(llama\\.cpp|llama-cpp[a-z0-9-]*|llamacpp)$')], { description: 'llama.cpp server' }),
  rule('llamacpp-command', 'llm-inference', 0.8, [arg('(^|[\\s/])llama-server\\b')], { description: 'llama.cpp server' }),
  rule('localai-image', 'llm-inference', 0.9, [image(repo('localai', 'local-ai'))], { description: 'LocalAI' }),
  rule('other-inference-image', 'llm-inference', 0.8, [image(repo('xinference', 'lmdeploy', 'aphrodite-engine', 'aphrodite-openai', 'text-generation-webui', 'mlc-llm', 'ray-llm'))], {
    description: 'other LLM servers (Xinference, LMDeploy, Aphrodite, text-generation-webui, MLC, RayLLM)',
  }),
  rule('inference-name', 'llm-inference', 0.3, [name('\\b(vllm|tgi|ollama|llm-?(server|inference|serving)|inference-?server|sglang|llama-?cpp|triton)\\b')]),
  // ----- embedding / reranker
  rule('tei-image', 'embedding', 0.75, [image(TEI_IMAGES)], { description: 'Hugging Face TEI (serves embeddings unless told to rerank)' }),
  rule('infinity-image', 'embedding', 0.75, [image(repo('infinity'))], { description: 'Infinity embedding server' }),
  rule('embedding-image', 'embedding', 0.6, [image('(^|/)[a-z0-9-]*(embedding|embedder|embeddings)[a-z0-9-]*$')], { description: 'embedding service image' }),
  rule('embedding-model-arg', 'embedding', 0.6, [arg('--model(-id)?[\\s=]+\\S*(bge-(?!reranker)|e5-|gte-|minilm|embed|sentence-transformers|instructor|nomic-embed|mxbai-embed)')], {
    description: 'serves an embedding model',
  }),
  rule('embedding-name', 'embedding', 0.3, [name('\\b(tei|embed(ding|dings|der)?)\\b')]),
  rule('tei-rerank', 'reranker', 0.85, [image(TEI_IMAGES), name('rerank')], { replaces: ['embedding'], description: 'TEI named as a reranker' }),
  rule('rerank-model-arg', 'reranker', 0.8, [arg('--model(-id)?[\\s=]+\\S*rerank')], { replaces: ['embedding'], description: 'serves a reranker model' }),
  rule('rerank-image', 'reranker', 0.65, [image('(^|/)[a-z0-9-]*rerank[a-z0-9-]*$')], { replaces: ['embedding'], description: 'reranking service image' }),
  rule('rerank-name', 'reranker', 0.3, [name('rerank')], { replaces: ['embedding'] }),
  // ----- vector-db
  rule('qdrant-image', 'vector-db', 0.9, [image(repo('qdrant'))], { description: 'Qdrant' }),
  rule('qdrant-port', 'vector-db', 0.45, [port(6333, 6334)], { description: 'Qdrant ports' }),
  rule('milvus-image', 'vector-db', 0.9, [image(repo('milvus'))], { description: 'Milvus' }),
  rule('milvus-port', 'vector-db', 0.45, [port(19530)], { description: 'Milvus gRPC port' }),
  rule('weaviate-image', 'vector-db', 0.9, [image(repo('weaviate'))], { description: 'Weaviate' }),
  rule('chroma-image', 'vector-db', 0.9, [image(repo('chroma', 'chromadb'))], { description: 'Chroma' }),
  rule('redis-stack-image', 'vector-db', 0.85, [image(repo('redis-stack', 'redis-stack-server', 'redisearch'))], { description: 'Redis Stack (RediSearch vector search)' }),
  rule('pgvector-image', 'vector-db', 0.85, [image('(^|/)pgvector[a-z0-9-]*$|(^|/)pgvector/')], { description: 'PostgreSQL with pgvector' }),
  rule('other-vector-image', 'vector-db', 0.85, [image(repo('vespa', 'marqo', 'lancedb', 'pinecone-local', 'typesense', 'vald-agent-ngt'))], { description: 'other vector databases' }),
  rule('vector-name', 'vector-db', 0.3, [name('\\b(vector(-?db|-?store)?|vectordb|qdrant|milvus|weaviate|chroma(db)?|pgvector)\\b')]),
  // ----- data-store
  rule('database-image', 'data-store', 0.8, [
    image(repo('postgres', 'postgresql', 'postgresql-repmgr', 'postgis', 'mysql', 'mariadb', 'percona-server', 'mongo', 'mongodb', 'cassandra', 'scylla', 'cockroach', 'neo4j', 'couchdb', 'clickhouse-server', 'clickhouse', 'spilo-[0-9]+', 'timescaledb', 'timescaledb-ha')),
  ], { description: 'database' }),
  rule('pgvector-database', 'data-store', 0.7, [image('(^|/)pgvector[a-z0-9-]*$|(^|/)pgvector/')], { description: 'pgvector is PostgreSQL' }),
  rule('kv-image', 'data-store', 0.6, [image(repo('redis', 'valkey', 'keydb', 'memcached', 'etcd', 'dragonfly'))], { description: 'key-value store' }),
  rule('search-image', 'data-store', 0.75, [image(repo('elasticsearch', 'opensearch', 'solr'))], { description: 'search engine' }),
  rule('object-store-image', 'data-store', 0.75, [image(repo('minio', 'ceph', 'seaweedfs'))], { description: 'object store' }),
  rule('database-port', 'data-store', 0.45, [port(5432, 3306, 27017, 9042, 7687, 9200)], { description: 'database port' }),
  rule('redis-port', 'data-store', 0.35, [port(6379)], { description: 'Redis port' }),
  rule('database-name', 'data-store', 0.3, [name('\\b(postgres(ql)?|pg|mysql|mariadb|mongo(db)?|redis|db|database|minio|elasticsearch|opensearch)\\b')]),
  // ----- llm-gateway
  rule('litellm-image', 'llm-gateway', 0.9, [image(repo('litellm', 'litellm-database', 'litellm-non_root'))], { replaces: ['rag-app'], description: 'LiteLLM proxy' }),
  rule('litellm-env', 'llm-gateway', 0.7, [env('^LITELLM_')], { replaces: ['rag-app'], description: 'LiteLLM settings' }),
  rule('gateway-image', 'llm-gateway', 0.85, [
    image('(^|/)(portkeyai/gateway|ai-gateway[a-z0-9-]*|lmstack-router|vllm-router|router-vllm|gateway-api-inference-extension/epp|epp|gateway-plugins|helicone[a-z0-9-]*|kong/ai-gateway|llm-d-inference-scheduler)$'),
  ], { replaces: ['rag-app', 'llm-inference'], description: 'inference gateway / router' }),
  rule('llm-service-image', 'llm-gateway', 0.6, [image('(^|/)llm-(textgen|uservice|proxy|gateway|router|faqgen|docsum)[a-z0-9-]*$')], { replaces: ['rag-app'], description: 'LLM micro-service fronting an inference server' }),
  rule('gateway-name', 'llm-gateway', 0.3, [name('\\b(litellm|llm-?(gateway|proxy|router|uservice)|ai-?gateway|inference-?gateway)\\b')]),
  // ----- rag-app / agent
  rule('rag-platform-image', 'rag-app', 0.85, [
    image('(^|/)(open-webui|ollama-webui|anythingllm|flowise|langflow|dify-api|ragflow|quivr|onyx-backend|danswer-backend|langgraph-api|hayhooks|librechat|lobe-chat|khoj|privategpt|private-gpt|h2ogpt|chatqna-wrapper|[a-z]*qna(?!-ui$)(-[a-z]+)?)$'),
  ], { description: 'RAG / chat / agent platform' }),
  rule('llm-and-retrieval-env', 'rag-app', 0.75, [
    env('(^|_)(LLM|OPENAI|AZURE_OPENAI|ANTHROPIC|OLLAMA|VLLM|TGI|GEMINI|MISTRAL|COHERE|GROQ|BEDROCK)(_|$)'),
    env('(EMBED|RETRIEV|VECTOR|QDRANT|MILVUS|WEAVIATE|CHROMA|PGVECTOR|PINECONE|RERANK|INDEX_NAME)'),
  ], { description: 'configured with both an LLM and a retrieval backend' }),
  rule('llm-api-key-env', 'rag-app', 0.5, [env('^(OPENAI|AZURE_OPENAI|ANTHROPIC|GEMINI|GOOGLE_GENAI|MISTRAL|COHERE|GROQ|TOGETHER|DEEPSEEK|HUGGINGFACEHUB)_API_(KEY|TOKEN)$|^(OLLAMA_(API_)?BASE_URL|OPENAI_(API_)?BASE(_URL)?)$')], {
    description: 'holds an LLM API credential or endpoint: an LLM client (app or agent)',
  }),
  rule('rag-name', 'rag-app', 0.3, [name('\\b(rag|agent|chatbot|assistant|copilot|chatqna|qna)\\b')]),
  rule('rag-traffic', 'rag-app', 0.7, [calls(['llm-inference', 'llm-gateway', 'external-llm-api']), calls(['vector-db', 'embedding', 'reranker', 'rag-component'])], {
    description: 'calls an LLM and a retrieval backend',
  }),
  // ----- rag-component
  rule('rag-component-image', 'rag-component', 0.7, [image('(^|/)[a-z0-9-]*(retriever|dataprep|data-prep|ingest|ingestion|indexer)[a-z0-9-]*$')], { description: 'retriever / document ingestion service' }),
  rule('vector-client-env', 'rag-component', 0.5, [env('^(REDIS_URL|QDRANT_(URL|HOST)|MILVUS_(URI|HOST)|WEAVIATE_URL|CHROMA_(HOST|URL)|PGVECTOR_.*)$'), env('^(INDEX_NAME|COLLECTION_NAME|EMBED_MODEL|TEI_.*ENDPOINT)$')], {
    description: 'vector-store client with an index/collection',
  }),
  rule('rag-component-name', 'rag-component', 0.3, [name('\\b(retriever|dataprep|data-prep|ingest(ion|or)?|indexer)\\b')]),
  rule('rag-component-traffic', 'rag-component', 0.45, [calls(['vector-db']), calls(['embedding']), calls(['llm-inference', 'llm-gateway', 'external-llm-api'], true)], {
    description: 'embeds and reads/writes a vector store, without calling an LLM',
  }),
  // ----- metrics-scraper
  // A scraper calls every service it monitors, GenAI ones included: it is no RAG app or component,
  // whatever the window holds of its scrapes.
  rule('metrics-scraper-image', 'metrics-scraper', 0.9, [METRICS_SCRAPER_IMAGE], {
    replaces: ['rag-app', 'rag-component'],
    description: 'metrics scraper / telemetry agent: its calls to GenAI services are scrapes',
  }),
  // ----- guardrail
  rule('guardrail-image', 'guardrail', 0.8, [image('(^|/)(guardrails?(-usvc|-service|-server)?|llm-guard[a-z0-9-]*|llama-guard[a-z0-9-]*|nemo-?guardrails[a-z0-9-]*)$')], { replaces: ['rag-app'], description: 'guardrail service' }),
  rule('guard-model', 'guardrail', 0.7, [image(`(^|/)${INFERENCE_IMAGES}`), name('guard')], { description: 'inference server serving a guard model' }),
  rule('guard-model-arg', 'guardrail', 0.7, [arg('--model(-id)?[\\s=]+\\S*guard')], { description: 'serves a guard model' }),
  // ----- ingress
  rule('ingress-controller-image', 'ingress', 0.85, [image('(^|/)(ingress-nginx/controller|nginx-ingress|kubernetes-ingress|traefik|haproxy-ingress|kong|contour|istio/proxyv2|envoyproxy/envoy)$')], { description: 'ingress controller / gateway proxy' }),
  rule('reverse-proxy-image', 'ingress', 0.5, [image(repo('nginx', 'nginx-unprivileged', 'openresty', 'haproxy', 'caddy', 'envoy'))], { description: 'reverse proxy' }),
  rule('ingress-label', 'ingress', 0.8, [label('app.kubernetes.io/name', '^(ingress-nginx|traefik|kong|contour|istio-ingressgateway)$')], { description: 'ingress controller' }),
  // ----- ui
  rule('ui-image', 'ui', 0.6, [image('(^|/)([a-z0-9-]*-(ui|webui|frontend)|ui|webui|frontend|open-webui|ollama-webui|lobe-chat|librechat|dify-web)$')], { description: 'web front end' }),
  rule('ui-name', 'ui', 0.3, [name('\\b(ui|webui|frontend|web)\\b')]),
  // ----- external peers by domain
  ...(
    [
      ['openai', 'api.openai.com'],
      ['azure-openai', '*.openai.azure.com'],
      ['azure-ai', '*.services.ai.azure.com'],
      ['azure-ai-inference', '*.inference.ai.azure.com'],
      ['azure-cognitive', '*.cognitiveservices.azure.com'],
      ['anthropic', 'api.anthropic.com'],
      ['gemini', 'generativelanguage.googleapis.com'],
      ['vertex', '*aiplatform.googleapis.com'],
      ['bedrock', 'bedrock-runtime.*.amazonaws.com'],
      ['bedrock-agent', 'bedrock-agent-runtime.*.amazonaws.com'],
      ['mistral', 'api.mistral.ai'],
      ['cohere', 'api.cohere.ai'],
      ['cohere-com', 'api.cohere.com'],
      ['groq', 'api.groq.com'],
      ['together', 'api.together.xyz'],
      ['fireworks', 'api.fireworks.ai'],
      ['deepseek', 'api.deepseek.com'],
      ['perplexity', 'api.perplexity.ai'],
      ['xai', 'api.x.ai'],
      ['openrouter', 'openrouter.ai'],
      ['replicate', 'api.replicate.com'],
      ['voyage', 'api.voyageai.com'],
      ['hf-inference', 'api-inference.huggingface.co'],
      ['hf-router', 'router.huggingface.co'],
    ] as const
  ).map(([id, pattern]) => rule(`domain-${id}`, 'external-llm-api', 0.95, [domain(pattern)], { replaces: ['model-hub'] })),
  ...(
    [
      ['huggingface', 'huggingface.co'],
      ['huggingface-sub', '*.huggingface.co'],
      ['hf-co', '*.hf.co'],
      ['ollama-registry', 'registry.ollama.ai'],
      ['ollama-com', 'ollama.com'],
      ['modelscope', 'modelscope.cn'],
      ['modelscope-sub', '*.modelscope.cn'],
      ['kaggle-models', '*.kaggle.com'],
      ['ngc', 'api.ngc.nvidia.com'],
    ] as const
  ).map(([id, pattern]) => rule(`domain-${id}`, 'model-hub', 0.9, [domain(pattern)])),
  ...(
    [
      ['pinecone', '*.pinecone.io'],
      ['qdrant-cloud', '*.qdrant.io'],
      ['weaviate-cloud', '*.weaviate.cloud'],
      ['weaviate-network', '*.weaviate.network'],
      ['zilliz', '*.zillizcloud.com'],
    ] as const
  ).map(([id, pattern]) => rule(`domain-${id}`, 'vector-db', 0.9, [domain(pattern)])),
  ...(
    [
      ['s3', '*.s3.amazonaws.com'],
      ['s3-regional', 's3.*.amazonaws.com'],
      ['rds', '*.rds.amazonaws.com'],
      ['azure-blob', '*.blob.core.windows.net'],
      ['azure-sql', '*.database.windows.net'],
      ['cosmos', '*.documents.azure.com'],
      ['gcs', 'storage.googleapis.com'],
      ['mongodb-atlas', '*.mongodb.net'],
      ['snowflake', '*.snowflakecomputing.com'],
    ] as const
  ).map(([id, pattern]) => rule(`domain-${id}`, 'data-store', 0.85, [domain(pattern)])),
];

/**
 * The built-in classification table. Custom rules (from settings) are appended by
 * `classifyGenAi`; a custom rule with the id of a built-in one replaces it.
 */
export const defaultGenAiRules: readonly GenAiRule[] = ROLE_RULES;

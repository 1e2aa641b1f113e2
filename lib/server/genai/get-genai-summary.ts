import 'server-only';
import type { GenaiSummaryDto } from '../../api/genai-summary';
import { getSql } from '../db';

/** External LLM APIs and model hubs named in DESIGN "GenAI data-access paths" (SQL LIKE patterns). */
const EXTERNAL_LLM_DOMAIN_PATTERNS = [
  'api.openai.com',
  'api.anthropic.com',
  '%.openai.azure.com',
  'bedrock-runtime.%.amazonaws.com',
  'generativelanguage.googleapis.com',
  'api.mistral.ai',
  'api.cohere.ai',
  'huggingface.co',
  '%.huggingface.co',
];

/** External endpoints whose domain is a known LLM API or model hub, with their traffic over 24 h. */
export async function getGenaiSummary(options: { nowMs?: number } = {}): Promise<GenaiSummaryDto> {
  const sql = getSql();
  const start = new Date((options.nowMs ?? Date.now()) - 24 * 60 * 60 * 1000);
  const rows = await sql<GenaiSummaryDto['endpoints']>`
    with llm as (
      select cluster_id, id, domain from endpoints
      where domain is not null and domain ilike any(${EXTERNAL_LLM_DOMAIN_PATTERNS}::text[]))
    select c.name as "clusterName", llm.domain,
           coalesce(sum(r.flows), 0)::float8 as "flowsLast24h",
           count(distinct r.src_id)::int as "sourcesLast24h"
    from llm
    join clusters c on c.id = llm.cluster_id
    left join edge_rollup_1h r on r.cluster_id = llm.cluster_id and r.dst_id = llm.id and r.bucket >= ${start}
    group by c.name, llm.domain
    order by "flowsLast24h" desc, c.name, llm.domain
    limit 50`;
  return {
    domainPatterns: EXTERNAL_LLM_DOMAIN_PATTERNS.map((pattern) => pattern.replaceAll('%', '*')),
    endpoints: rows.map((row) => ({ ...row, flowsLast24h: Number(row.flowsLast24h) })),
  };
}

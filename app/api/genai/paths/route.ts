// GET /api/genai/paths — data-access paths (GenAiPathsDto): chains of observed allowed traffic from entry points
// through GenAI components to sensitive stores and external LLM APIs, per hop ports, flows, allowing policies and a
// /flows link; window and clusters as /api/genai/components. Analysts and admins.
import { genAiFilterSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { handleGenAiGet } from '@/lib/server/genai/genai-route';
import { getGenAiPaths } from '@/lib/server/genai/get-genai-paths';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleGenAiGet(request, genAiFilterSchema, (session, query) => {
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return getGenAiPaths(session, { clusters: query.cluster, fromMs, toMs });
  });
}

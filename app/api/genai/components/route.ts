// GET /api/genai/components — the GenAI inventory (GenAiComponentsDto): workloads and external peers with their
// roles, confidence, evidence, sensitivity and coverage, for a window (`range` or `from`/`to`, default 24 h) and
// clusters (`cluster`, comma-separated; default every cluster in scope). Analysts and admins.
import { genAiFilterSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { handleGenAiGet } from '@/lib/server/genai/genai-route';
import { getGenAiComponents } from '@/lib/server/genai/get-genai-components';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleGenAiGet(request, genAiFilterSchema, (session, query) => {
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return getGenAiComponents(session, { clusters: query.cluster, fromMs, toMs });
  });
}

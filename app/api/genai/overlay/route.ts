// GET /api/genai/overlay — the graph's GenAI overlay (GenAiOverlayDto, shape in lib/api/genai.ts): roles and
// sensitivity per node id and the data-access paths as node-id chains, for a window and clusters as
// /api/genai/components. Analysts and admins.
import { genAiFilterSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { handleGenAiGet } from '@/lib/server/genai/genai-route';
import { getGenAiOverlay } from '@/lib/server/genai/get-genai-overlay';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleGenAiGet(request, genAiFilterSchema, (session, query) => {
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return getGenAiOverlay(session, { clusters: query.cluster, fromMs, toMs });
  });
}

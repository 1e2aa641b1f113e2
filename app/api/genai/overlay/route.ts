// GET /api/genai/overlay — the graph's GenAI overlay (GenAiOverlayDto, shape in lib/api/genai.ts): roles and
// sensitivity per node id and the data-access paths as node-id chains, for a window and clusters as
// /api/genai/components. Analysts and admins.
import { genAiFilterSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getGenAiOverlay } from '@/lib/server/genai/get-genai-overlay';

export const dynamic = 'force-dynamic';

/** GenAI analysis is for analysts and admins (viewers and SREs cannot see it). */
const ROLES = ['analyst', 'admin'] as const;

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ROLES });
    const query = genAiFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return Response.json(await getGenAiOverlay(session, { clusters: query.cluster, fromMs, toMs }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

// GET /api/genai/components — the GenAI inventory (GenAiComponentsDto): workloads and external peers with their
// roles, confidence, evidence, sensitivity and coverage, for a window (`range` or `from`/`to`, default 24 h) and
// clusters (`cluster`, comma-separated; default every cluster in scope). Analysts and admins.
import { genAiFilterSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getGenAiComponents } from '@/lib/server/genai/get-genai-components';

export const dynamic = 'force-dynamic';

/** GenAI analysis is for analysts and admins (viewers and SREs cannot see it). */
const ROLES = ['analyst', 'admin'] as const;

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ROLES });
    const query = genAiFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return Response.json(await getGenAiComponents(session, { clusters: query.cluster, fromMs, toMs }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

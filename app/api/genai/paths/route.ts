// GET /api/genai/paths — data-access paths (GenAiPathsDto): chains of observed allowed traffic from entry points
// through GenAI components to sensitive stores and external LLM APIs, per hop ports, flows, allowing policies and a
// /flows link; window and clusters as /api/genai/components. Analysts and admins.
import { genAiFilterSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getGenAiPaths } from '@/lib/server/genai/get-genai-paths';

export const dynamic = 'force-dynamic';

/** GenAI analysis is for analysts and admins (viewers and SREs cannot see it). */
const ROLES = ['analyst', 'admin'] as const;

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ROLES });
    const query = genAiFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return Response.json(await getGenAiPaths(session, { clusters: query.cluster, fromMs, toMs }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

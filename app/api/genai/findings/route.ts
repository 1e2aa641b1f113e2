// GET /api/genai/findings — GenAI findings (GenAiFindingsDto) sorted by severity, filtered by `severity` and `kind`
// (comma-separated) and `cluster`, each with its path, evidence, a graph link (highlight) and a /flows link; counts
// before the filters. Window as /api/genai/components. Analysts and admins.
import { genAiFindingsRequestSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getGenAiFindings } from '@/lib/server/genai/get-genai-findings';

export const dynamic = 'force-dynamic';

/** GenAI analysis is for analysts and admins (viewers and SREs cannot see it). */
const ROLES = ['analyst', 'admin'] as const;

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ROLES });
    const query = genAiFindingsRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return Response.json(await getGenAiFindings(session, { clusters: query.cluster, fromMs, toMs, severity: query.severity, kind: query.kind }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

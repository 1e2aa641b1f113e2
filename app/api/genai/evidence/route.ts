// GET /api/genai/evidence — evidence flows of one path hop (GenAiEvidenceDto): the newest raw flows from `source` to
// `target` (workload-level node ids) in the window, optionally by `verdict`, with the deciding policy trace in words
// and a /flows link. Scoped to the caller's data. Analysts and admins.
import { genAiEvidenceRequestSchema } from '@/lib/api/genai';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getGenAiEvidence } from '@/lib/server/genai/get-genai-evidence';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ['analyst', 'admin'] });
    const query = genAiEvidenceRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await getGenAiEvidence(session, query), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

// GET /api/graph/edge — one edge (`source`, `target` node ids) in a window (EdgeDetailDto): per-port breakdown,
// verdict split, deciding policies in words, the newest evidence flows and a /flows link. Needs a session.
import { edgeDetailRequestSchema } from '@/lib/api/graph';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getEdgeDetail } from '@/lib/server/graph/get-edge-detail';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = edgeDetailRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await getEdgeDetail(query, { scope: await getDataScope(session) }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

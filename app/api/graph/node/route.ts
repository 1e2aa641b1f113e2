// GET /api/graph/node — one node (`node` id) in a window (NodeDetailDto): identity, labels, images, policies
// selecting it (or none), in/out edges with verdicts and a /flows link. Needs a session.
import { nodeDetailRequestSchema } from '@/lib/api/graph';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getNodeDetail } from '@/lib/server/graph/get-node-detail';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = nodeDetailRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await getNodeDetail(query, { scope: await getDataScope(session) }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

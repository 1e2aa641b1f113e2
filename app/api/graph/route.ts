// GET /api/graph — the service-dependency graph (GraphDto) for a window (`range` or `from`/`to`), clusters,
// namespaces and verdict, at a level with namespaces expanded/collapsed; from the edge rollups only, within
// the user's data scope. Needs a session.
import { graphRequestSchema } from '@/lib/api/graph';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getGraph } from '@/lib/server/graph/get-graph';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = graphRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const scope = await getDataScope(session);
    return Response.json(await getGraph(query, { scope }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

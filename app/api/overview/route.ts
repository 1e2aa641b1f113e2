// GET /api/overview — per-cluster ingest figures for the last 24 h (OverviewDto): hourly allowed/denied
// flow counts, totals, live rate, last flow seen. Needs a session.
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getOverview } from '@/lib/server/overview/get-overview';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const session = await requireSession();
    return Response.json(await getOverview({ scope: await getDataScope(session) }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

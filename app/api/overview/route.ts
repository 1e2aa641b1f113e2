// GET /api/overview — per-cluster ingest figures for the last 24 h (OverviewDto): hourly allowed/denied
// flow counts, totals, live rate, last flow seen. Needs a session.
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getOverview } from '@/lib/server/overview/get-overview';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await requireSession();
    return Response.json(await getOverview(), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

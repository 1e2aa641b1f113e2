// GET /api/posture — the posture summary (PostureOverviewDto) for `period` (7d|30d|90d) and `clusters`
// (comma-separated names; default all in scope): score with its components, top risks, GenAI findings,
// daily trend, week-over-week callouts, per-cluster comparison. Any signed-in role (viewer reads posture).
import { postureRequestSchema } from '@/lib/api/posture';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getPostureOverview } from '@/lib/server/overview/get-posture-overview';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = postureRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await getPostureOverview(session, query), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

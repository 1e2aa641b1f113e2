// GET /api/report/csv — the posture report's figures as CSV (one row per cluster and day of `period`,
// for `clusters` or every cluster in scope), downloaded as an attachment. Any signed-in role.
import { postureRequestSchema } from '@/lib/api/posture';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getPostureCsv } from '@/lib/server/overview/get-posture-csv';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = postureRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const csv = await getPostureCsv(session, query);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="flowlens-posture-${query.period}-${day}.csv"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

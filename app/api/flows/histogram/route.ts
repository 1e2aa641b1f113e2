// GET /api/flows/histogram — allowed vs denied flows over time for the explorer's filter (FlowHistogramDto). sre/analyst/admin.
import { flowFilterSchema } from '@/lib/api/flows';
import { getSql } from '@/lib/server/db';
import { errorResponse } from '@/lib/server/errors';
import { parseFlowRequest } from '@/lib/server/flows/flow-request';
import { getFlowHistogram } from '@/lib/server/flows/get-flow-histogram';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const { query, scope } = await parseFlowRequest(request, flowFilterSchema);
    return Response.json(await getFlowHistogram(getSql(), query, scope, Date.now()), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

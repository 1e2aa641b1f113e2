// GET /api/flows — one keyset page of flows (FlowPageDto) matching the explorer's filter; `cursor` continues. sre/analyst/admin.
import { flowListRequestSchema } from '@/lib/api/flows';
import { getSql } from '@/lib/server/db';
import { errorResponse } from '@/lib/server/errors';
import { parseFlowRequest } from '@/lib/server/flows/flow-request';
import { listFlows } from '@/lib/server/flows/list-flows';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const { query, scope } = await parseFlowRequest(request, flowListRequestSchema);
    return Response.json(await listFlows(getSql(), query, scope, Date.now()), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

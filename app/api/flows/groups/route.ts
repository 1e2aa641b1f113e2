// GET /api/flows/groups — matching flows grouped by source, destination, port, policy or drop reason (FlowGroupsDto). sre/analyst/admin.
import { flowGroupsRequestSchema } from '@/lib/api/flows';
import { getSql } from '@/lib/server/db';
import { errorResponse } from '@/lib/server/errors';
import { parseFlowRequest } from '@/lib/server/flows/flow-request';
import { getFlowGroups } from '@/lib/server/flows/get-flow-groups';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const { query, scope } = await parseFlowRequest(request, flowGroupsRequestSchema);
    return Response.json(await getFlowGroups(getSql(), query, scope, Date.now()), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

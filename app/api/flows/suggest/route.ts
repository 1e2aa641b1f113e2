// GET /api/flows/suggest — values for a filter input (namespaces, workloads, IPs, ports, policies, drop reasons) from the data (FlowSuggestionsDto). sre/analyst/admin.
import { flowSuggestRequestSchema } from '@/lib/api/flows';
import { getSql } from '@/lib/server/db';
import { errorResponse } from '@/lib/server/errors';
import { parseFlowRequest } from '@/lib/server/flows/flow-request';
import { suggestFlowValues } from '@/lib/server/flows/suggest-flow-values';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const { query, scope } = await parseFlowRequest(request, flowSuggestRequestSchema);
    return Response.json(await suggestFlowValues(getSql(), query, scope, Date.now()), { headers: { 'cache-control': 'private, max-age=30' } });
  } catch (error) {
    return errorResponse(error);
  }
}

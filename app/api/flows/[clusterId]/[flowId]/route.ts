// GET /api/flows/:clusterId/:flowId?t=<startMs> — one flow with its record, raw line, trace in words and policy-engine explanation (FlowDetailDto). sre/analyst/admin.
import { flowDetailParamsSchema, flowDetailQuerySchema } from '@/lib/api/flows';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { getSql } from '@/lib/server/db';
import { AppError, errorResponse } from '@/lib/server/errors';
import { FLOW_ROLES } from '@/lib/server/flows/flow-request';
import { getFlowDetail } from '@/lib/server/flows/get-flow-detail';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ clusterId: string; flowId: string }> }): Promise<Response> {
  try {
    const session = await requireSession({ roles: FLOW_ROLES });
    const params = flowDetailParamsSchema.parse(await context.params);
    const query = flowDetailQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    if (query.t === undefined) throw new AppError('bad_request', 'Pass t=<the flow start in epoch ms>: it finds the day partition holding the flow.');
    const scope = await getDataScope(session);
    const detail = await getFlowDetail(getSql(), { clusterId: Number(params.clusterId), flowId: params.flowId, startMs: query.t }, scope);
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

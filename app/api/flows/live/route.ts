// GET /api/flows/live — server-sent events: new flows matching the explorer's filter, polled every second (FlowLiveEventDto per event). sre/analyst/admin.
import { z } from 'zod';
import { flowFilterShape } from '@/lib/api/flows';
import { getSql } from '@/lib/server/db';
import { errorResponse } from '@/lib/server/errors';
import { parseFlowRequest } from '@/lib/server/flows/flow-request';
import { streamLiveFlows } from '@/lib/server/flows/stream-live-flows';

export const dynamic = 'force-dynamic';

const liveSchema = z.strictObject({ ...flowFilterShape, after: z.string().regex(/^\d{1,19}$/, 'expected a flow id').optional() });

export async function GET(request: Request): Promise<Response> {
  try {
    const { query, scope } = await parseFlowRequest(request, liveSchema);
    const lastEventId = request.headers.get('last-event-id');
    const afterId = lastEventId && /^\d{1,19}$/.test(lastEventId) ? lastEventId : (query.after ?? null);
    const stream = await streamLiveFlows(getSql(), query, scope, { afterId, signal: request.signal, now: () => Date.now() });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

// GET /api/flows/export?format=csv|ndjson — every flow matching the explorer's filter, streamed as a download. sre/analyst/admin.
import { flowExportRequestSchema } from '@/lib/api/flows';
import { getSql } from '@/lib/server/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { requestContext } from '@/lib/server/auth/request-context';
import { errorResponse } from '@/lib/server/errors';
import { exportFlows } from '@/lib/server/flows/export-flows';
import { parseFlowRequest } from '@/lib/server/flows/flow-request';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const { query, scope, session } = await parseFlowRequest(request, flowExportRequestSchema);
    const { stream, fromMs, toMs } = await exportFlows(getSql(), query, scope, Date.now());
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '');
    const filename = `flows-${stamp(fromMs)}-${stamp(toMs)}.${query.format}`;
    // Exports carry traffic data out of the product: who took what, and when, goes in the audit log.
    await recordAudit({
      actor: session.user,
      action: 'flows.export',
      target: filename,
      ip: requestContext(request).ip,
      details: { filter: Object.fromEntries(new URL(request.url).searchParams), fromMs, toMs },
    });
    return new Response(stream, {
      headers: {
        'content-type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

// GET /api/settings/audit/export?action=&actor=&fromMs=&toMs= — the filtered audit log as CSV (up to 1,000 newest entries; admin only).
import { type NextRequest } from 'next/server';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireSession } from '@/lib/server/auth/require-session';
import { auditToCsv, listAudit } from '@/lib/server/audit/list-audit';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { errorResponse } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  try {
    const session = await requireSession({ roles: ['admin'] });
    const query = { ...Object.fromEntries(request.nextUrl.searchParams), limit: '1000' };
    const entries = await listAudit(query);
    await recordAudit({ actor: session.user, action: 'audit.export', target: 'audit_log', ip: requestContext(request).ip, details: { rows: entries.length } });
    return new Response(auditToCsv(entries), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="flowlens-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

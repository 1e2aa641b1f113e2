// GET /api/settings/audit?action=&actor=&fromMs=&toMs=&limit= — audit entries, newest first (admin only).
import { NextResponse, type NextRequest } from 'next/server';
import { requireSession } from '@/lib/server/auth/require-session';
import { listAudit } from '@/lib/server/audit/list-audit';
import { errorResponse } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  try {
    await requireSession({ roles: ['admin'] });
    const entries = await listAudit(Object.fromEntries(request.nextUrl.searchParams));
    return NextResponse.json({ entries }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

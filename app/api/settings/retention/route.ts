// GET /api/settings/retention — {rawFlowDays, rollupDays} (admin only).
// PUT /api/settings/retention — stores new retention; the collector drops older day partitions on its next run (admin only).
import { NextResponse } from 'next/server';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { getRetention, setRetention } from '@/lib/server/settings/retention-settings';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await requireSession({ roles: ['admin'] });
    return NextResponse.json(await getRetention());
  } catch (error) {
    return errorResponse(error);
  }
}

export async function PUT(request: Request): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    return NextResponse.json(await setRetention(await readJsonBody(request), session, requestContext(request).ip));
  } catch (error) {
    return errorResponse(error);
  }
}

// DELETE /api/settings/tokens/:id — revokes a collector token; the collector refuses it from the next request on (admin only).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { errorResponse } from '@/lib/server/errors';
import { revokeToken } from '@/lib/server/settings/manage-collectors';

export const dynamic = 'force-dynamic';

export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const id = z.uuid().parse((await context.params).id);
    return NextResponse.json({ token: await revokeToken(id, session, requestContext(request).ip) });
  } catch (error) {
    return errorResponse(error);
  }
}

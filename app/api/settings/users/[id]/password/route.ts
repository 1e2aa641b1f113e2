// POST /api/settings/users/:id/password — sets a typed password or generates one (returned once); ends the user's sessions (admin only).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { passwordResetRequestSchema } from '@/lib/api/settings';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { errorResponse } from '@/lib/server/errors';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { resetUserPassword } from '@/lib/server/settings/manage-users';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const id = z.uuid().parse((await context.params).id);
    const input = passwordResetRequestSchema.parse(await readJsonBody(request));
    const result = await resetUserPassword(id, input.password, session, requestContext(request).ip);
    return NextResponse.json(result, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

// PATCH /api/settings/users/:id — changes role, display name, disabled flag or scope (admin only).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { errorResponse } from '@/lib/server/errors';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { updateUser } from '@/lib/server/settings/manage-users';

export const dynamic = 'force-dynamic';

export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const id = z.uuid().parse((await context.params).id);
    const user = await updateUser(id, await readJsonBody(request), session, requestContext(request).ip);
    return NextResponse.json({ user });
  } catch (error) {
    return errorResponse(error);
  }
}

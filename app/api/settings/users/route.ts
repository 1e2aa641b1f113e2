// GET /api/settings/users — every user with role, scope and status (admin only).
// POST /api/settings/users — creates a user ({username, role, password?, scope…}); a generated password is returned once.
import { NextResponse } from 'next/server';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { createUser, listUsers } from '@/lib/server/settings/manage-users';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await requireSession({ roles: ['admin'] });
    return NextResponse.json({ users: await listUsers() }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: Request): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const created = await createUser(await readJsonBody(request), session, requestContext(request).ip);
    return NextResponse.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

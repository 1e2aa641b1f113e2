// POST /api/auth/login — checks {username, password}, opens a new session (httpOnly cookie) and
// returns {user}; 401 "Wrong username or password", 429 when slowed down, 422 for a malformed body.
import { NextResponse } from 'next/server';
import { loginRequestSchema, type LoginResponse } from '@/lib/api/login';
import { assertSameOrigin } from '@/lib/server/auth/assert-same-origin';
import { logIn } from '@/lib/server/auth/log-in';
import { requestContext } from '@/lib/server/auth/request-context';
import { sessionCookie } from '@/lib/server/auth/session-cookie';
import { AppError, errorResponse } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request);
    const body: unknown = await request.json().catch(() => {
      throw new AppError('bad_request', 'Send the credentials as a JSON object: {"username": …, "password": …}.');
    });
    const credentials = loginRequestSchema.parse(body);
    const context = requestContext(request);
    const { token, user } = await logIn(credentials, context);
    const response = NextResponse.json<LoginResponse>({ user }, { headers: { 'cache-control': 'no-store' } });
    response.cookies.set(sessionCookie.issue(token, context.secure));
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}

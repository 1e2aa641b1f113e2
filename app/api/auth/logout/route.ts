// POST /api/auth/logout — ends the caller's session and clears the cookie; a browser form post is
// redirected (303) to /login, a fetch gets {ok: true}. Works without a session (idempotent).
import { NextResponse, type NextRequest } from 'next/server';
import { assertSameOrigin } from '@/lib/server/auth/assert-same-origin';
import { logOut } from '@/lib/server/auth/log-out';
import { requestContext } from '@/lib/server/auth/request-context';
import { SESSION_COOKIE_NAME, sessionCookie } from '@/lib/server/auth/session-cookie';
import { errorResponse } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest): Promise<Response> {
  try {
    assertSameOrigin(request);
    const context = requestContext(request);
    await logOut(request.cookies.get(SESSION_COOKIE_NAME)?.value, context);
    const wantsHtml = request.headers.get('accept')?.includes('text/html') ?? false;
    const response = wantsHtml
      ? // A relative Location keeps whatever host name the browser used.
        new NextResponse(null, { status: 303, headers: { location: '/login?signedOut=1' } })
      : NextResponse.json({ ok: true });
    response.cookies.set(sessionCookie.clear(context.secure));
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}

// GET /api/auth/oidc/callback?code=&state= — finishes single sign-on: verifies the ID token, opens a session, redirects to where the user was going.
import { NextResponse, type NextRequest } from 'next/server';
import { finishOidcSignIn, OIDC_COOKIE_NAME, OIDC_COOKIE_PATH } from '@/lib/server/auth/oidc-sign-in';
import { requestContext } from '@/lib/server/auth/request-context';
import { safeNextPath } from '@/lib/server/auth/safe-next-path';
import { sessionCookie } from '@/lib/server/auth/session-cookie';
import { AppError } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const context = requestContext(request);
  const params = request.nextUrl.searchParams;
  try {
    const { token, nextPath } = await finishOidcSignIn(
      request,
      { code: params.get('code'), state: params.get('state'), error: params.get('error') },
      request.cookies.get(OIDC_COOKIE_NAME)?.value,
      context,
    );
    // A relative Location keeps whatever host name the browser used.
    const response = new NextResponse(null, { status: 303, headers: { location: safeNextPath(nextPath) } });
    response.cookies.set(sessionCookie.issue(token, context.secure));
    response.cookies.set({ name: OIDC_COOKIE_NAME, value: '', path: OIDC_COOKIE_PATH, maxAge: 0, httpOnly: true, sameSite: 'lax', secure: context.secure });
    return response;
  } catch (error) {
    const message = error instanceof AppError ? error.message : 'Single sign-on failed; the cause is in the server log.';
    if (!(error instanceof AppError)) console.error('flowlens: SSO callback failed', error);
    const response = new NextResponse(null, { status: 303, headers: { location: `/login?ssoError=${encodeURIComponent(message)}` } });
    response.cookies.set({ name: OIDC_COOKIE_NAME, value: '', path: OIDC_COOKIE_PATH, maxAge: 0, httpOnly: true, sameSite: 'lax', secure: context.secure });
    return response;
  }
}

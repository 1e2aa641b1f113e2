// GET /api/auth/oidc/start?next=/path — starts single sign-on: redirects to the identity provider (PKCE, state, nonce); 404 when SSO is not configured.
import { NextResponse, type NextRequest } from 'next/server';
import { beginOidcSignIn, OIDC_COOKIE_MAX_AGE_SEC, OIDC_COOKIE_NAME, OIDC_COOKIE_PATH } from '@/lib/server/auth/oidc-sign-in';
import { requestContext } from '@/lib/server/auth/request-context';
import { safeNextPath } from '@/lib/server/auth/safe-next-path';
import { errorResponse } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  try {
    const { redirectTo, cookieValue } = await beginOidcSignIn(request, safeNextPath(request.nextUrl.searchParams.get('next') ?? undefined));
    const response = NextResponse.redirect(redirectTo, 302);
    response.cookies.set({
      name: OIDC_COOKIE_NAME,
      value: cookieValue,
      httpOnly: true,
      sameSite: 'lax',
      secure: requestContext(request).secure,
      path: OIDC_COOKIE_PATH,
      maxAge: OIDC_COOKIE_MAX_AGE_SEC,
    });
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * Runs before every request (Next 16 `proxy.ts`, Node runtime). The web app's perimeter:
 *   - a fresh CSP nonce per page request; Next stamps it on its own scripts, so `script-src` needs
 *     neither 'unsafe-inline' nor 'unsafe-eval' (development adds 'unsafe-eval' for React's tooling);
 *   - security headers on every response (frame-ancestors none, nosniff, referrer policy, HSTS on https);
 *   - for every state-changing /api request: same origin, the CSRF header matching the session cookie,
 *     and a body-size limit (413) — a second line behind `requireMutation` in each route handler.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { CSRF_HEADER_NAME, constantTimeEqual, csrfTokenForSession } from './lib/auth/csrf-token';

const SESSION_COOKIE_NAME = 'flowlens_session';
const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Mutations allowed without a session's CSRF token (no session yet, or a plain form post); same origin still required. */
const CSRF_EXEMPT_PATHS = new Set(['/api/auth/login', '/api/auth/logout']);
const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MAX_UPLOAD_BODY_BYTES = 5 * 1024 * 1024;
const UPLOAD_PATH_PREFIXES = ['/api/policies', '/api/inventory'];

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const secure = (request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? request.nextUrl.protocol.replace(':', '')) === 'https';

  if (pathname.startsWith('/api/')) {
    if (MUTATING_METHODS.has(request.method)) {
      const refusal = await refuseMutation(request, pathname);
      if (refusal) return withSecurityHeaders(refusal, apiPolicy(), secure);
    }
    return withSecurityHeaders(NextResponse.next(), apiPolicy(), secure);
  }

  const nonce = btoa(crypto.randomUUID());
  const policy = pagePolicy(nonce, secure);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  // The (app) layout checks the page's minimum role against this path (lib/server/auth/page-access.ts).
  requestHeaders.set('x-flowlens-pathname', pathname);
  // Next reads the nonce from the request's CSP header while rendering.
  requestHeaders.set('content-security-policy', policy);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), policy, secure);
}

async function refuseMutation(request: NextRequest, pathname: string): Promise<NextResponse | null> {
  if (!sameOrigin(request)) return refuse(403, 'forbidden', 'Cross-site request refused: the Origin is not this site.');
  const maxBytes = UPLOAD_PATH_PREFIXES.some((prefix) => pathname.startsWith(prefix)) ? MAX_UPLOAD_BODY_BYTES : MAX_JSON_BODY_BYTES;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    return refuse(413, 'payload_too_large', `The request body is over the limit of ${maxBytes} bytes.`);
  }
  if (request.headers.get('content-length') === null && request.body) {
    // A chunked body declares no size: measure it. Next buffers a proxied body anyway (at most
    // experimental.proxyClientMaxBodySize, 6 MB in next.config.ts), so this costs no extra read from the client.
    const size = (await request.clone().arrayBuffer()).byteLength;
    if (size > maxBytes) return refuse(413, 'payload_too_large', `The request body is over the limit of ${maxBytes} bytes.`);
  }
  if (CSRF_EXEMPT_PATHS.has(pathname)) return null;
  const sessionToken = request.cookies.get(SESSION_COOKIE_NAME)?.value;
  // No session: the route answers 401 itself.
  if (!sessionToken) return null;
  const sent = request.headers.get(CSRF_HEADER_NAME) ?? '';
  if (!sent || !constantTimeEqual(sent, await csrfTokenForSession(sessionToken))) {
    return refuse(403, 'forbidden', `Cross-site request refused: the ${CSRF_HEADER_NAME} header is missing or wrong; reload the page.`);
  }
  return null;
}

function sameOrigin(request: NextRequest): boolean {
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host');
  const origin = request.headers.get('origin');
  const claimed = origin && origin !== 'null' ? origin : request.headers.get('referer');
  if (!host || !claimed) return false;
  try {
    return new URL(claimed).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

function pagePolicy(nonce: string, secure: boolean): string {
  const development = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    // NOTE: inline *styles* stay allowed: React style attributes (chart sizes, graph transforms) need them,
    // and a style cannot run code. Scripts never get 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

function apiPolicy(): string {
  return "default-src 'none'; frame-ancestors 'none'";
}

function withSecurityHeaders(response: NextResponse, policy: string, secure: boolean): NextResponse {
  response.headers.set('Content-Security-Policy', policy);
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (secure) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return response;
}

function refuse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};

import 'server-only';
import { CSRF_HEADER_NAME, constantTimeEqual } from '../../auth/csrf-token';
import { AppError } from '../errors';
import { assertSameOrigin } from './assert-same-origin';
import type { Session } from './get-session';
import { requireSession, type RequireSessionOptions } from './require-session';

/**
 * The one gate for every state-changing route handler (POST/PUT/PATCH/DELETE):
 *   1. same origin (Origin/Referer names this host),
 *   2. a session with one of `roles` (401/403),
 *   3. the session's CSRF token in the `x-csrf-token` header (403) — `sendJson` in lib/query sends it.
 * The proxy (proxy.ts) checks 1 and the header against the cookie for every /api mutation as a second
 * line, so a route that forgot this call is still covered.
 */
export async function requireMutation(request: Request, options: Omit<RequireSessionOptions, 'nextPath'> = {}): Promise<Session> {
  assertSameOrigin(request);
  const session = await requireSession(options);
  const sent = request.headers.get(CSRF_HEADER_NAME) ?? '';
  if (!sent || !constantTimeEqual(sent, session.csrfToken)) {
    throw new AppError('forbidden', `Cross-site request refused: the ${CSRF_HEADER_NAME} header is missing or wrong; reload the page.`);
  }
  return session;
}

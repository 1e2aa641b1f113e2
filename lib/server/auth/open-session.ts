import 'server-only';
import { csrfTokenForSession } from '../../auth/csrf-token';
import { getPrisma } from '../db';
import type { RequestContext } from './request-context';
import { SESSION_IDLE_MS, sessionCookie } from './session-cookie';

/**
 * Opens a new session for a user who just proved who they are (password or SSO): a fresh token every
 * time (rotation on login, so a token planted before login is never promoted), the user's failure
 * counters reset, expired sessions swept, and a `login` audit entry — all in one transaction.
 * Returns the plaintext cookie token.
 */
export async function openSession(
  user: { id: string; username: string },
  context: RequestContext,
  options: { nowMs: number; method: 'password' | 'oidc' },
): Promise<string> {
  const prisma = getPrisma();
  const token = sessionCookie.newToken();
  const nowMs = options.nowMs;
  await prisma.$transaction([
    prisma.user.update({
      where: { id: user.id },
      data: { failedLoginCount: 0, lastFailedLoginAt: null, lastLoginAt: new Date(nowMs) },
    }),
    // Expired sessions of this user are swept at login; nothing else needs them.
    prisma.session.deleteMany({ where: { userId: user.id, expiresAt: { lt: new Date(nowMs) } } }),
    prisma.session.create({
      data: {
        id: sessionCookie.hashToken(token),
        userId: user.id,
        csrfToken: await csrfTokenForSession(token),
        createdAt: new Date(nowMs),
        lastSeenAt: new Date(nowMs),
        expiresAt: new Date(nowMs + SESSION_IDLE_MS),
        ip: context.ip,
        userAgent: context.userAgent?.slice(0, 512) ?? null,
      },
    }),
    prisma.auditLog.create({
      data: {
        actorId: user.id,
        actorName: user.username,
        action: 'login',
        ip: context.ip,
        details: { method: options.method },
      },
    }),
  ]);
  return token;
}

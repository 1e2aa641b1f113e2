import 'server-only';
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../auth/password';
import type { LoginRequest } from '../../api/login';
import type { SessionUserDto } from '../../api/session-user';
import { getPrisma } from '../db';
import { AppError } from '../errors';
import { accountThrottle } from './account-throttle';
import { loginRateLimiter } from './login-rate-limiter';
import type { RequestContext } from './request-context';
import { openSession } from './open-session';

export const WRONG_CREDENTIALS_MESSAGE = 'Wrong username or password';

export interface LogInResult {
  /** The cookie token (plaintext, for the Set-Cookie header only). */
  token: string;
  user: SessionUserDto;
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks the credentials and opens a new session (a fresh token on every login, so a token planted
 * before login is never promoted). Throws AppError: `unauthenticated` (wrong credentials, one message
 * for unknown user and wrong password) or `rate_limited` (per-address or per-account brake).
 */
export async function logIn(credentials: LoginRequest, context: RequestContext): Promise<LogInResult> {
  const prisma = getPrisma();
  const limiter = loginRateLimiter();
  const nowMs = Date.now();

  const ipRetryAfterMs = limiter.retryAfterMs(context.ip, nowMs);
  if (ipRetryAfterMs > 0) throw rateLimited(ipRetryAfterMs, 'from this address');

  const user = await prisma.user.findUnique({ where: { username: credentials.username } });
  if (user) {
    const { retryAfterMs } = accountThrottle({
      failedLoginCount: user.failedLoginCount,
      lastFailedLoginAtMs: user.lastFailedLoginAt?.getTime() ?? null,
      nowMs,
    });
    if (retryAfterMs > 0) throw rateLimited(retryAfterMs, 'for this account');
  }

  // NOTE: an unknown user still costs one argon2 verification, so timing does not reveal which
  // usernames exist.
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyHash), credentials.password);

  if (!user || !passwordOk) {
    limiter.recordFailure(context.ip, nowMs);
    if (user) {
      await prisma.user.update({
        where: { id: user.id },
        data: { failedLoginCount: { increment: 1 }, lastFailedLoginAt: new Date(nowMs) },
      });
    }
    await prisma.auditLog.create({
      data: { actorId: user?.id ?? null, actorName: credentials.username, action: 'login.failed', ip: context.ip },
    });
    throw new AppError('unauthenticated', WRONG_CREDENTIALS_MESSAGE);
  }
  if (user.disabled) {
    await prisma.auditLog.create({ data: { actorId: user.id, actorName: user.username, action: 'login.refused', ip: context.ip, details: { reason: 'disabled' } } });
    throw new AppError('forbidden', 'This account is disabled; ask an administrator.');
  }

  limiter.recordSuccess(context.ip);
  const token = await openSession(user, context, { nowMs, method: 'password' });
  return {
    token,
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
  };
}

function rateLimited(retryAfterMs: number, scope: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('rate_limited', `Too many failed sign-ins ${scope}. Try again in ${seconds} s.`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

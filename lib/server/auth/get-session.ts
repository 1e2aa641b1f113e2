import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import type { SessionUserDto } from '../../api/session-user';
import { getPrisma } from '../db';
import { SESSION_COOKIE_NAME, SESSION_IDLE_MS, sessionCookie } from './session-cookie';

export interface Session {
  /** SHA-256 of the cookie token (the `sessions.id`). */
  id: string;
  user: SessionUserDto;
  expiresAtMs: number;
  /** Sent back by the browser in `x-csrf-token` on every state-changing request (see require-mutation.ts). */
  csrfToken: string;
}

/** Sliding the expiry costs a write; once a minute per session is plenty for a 12 h window. */
const SLIDE_EVERY_MS = 60 * 1000;

/**
 * The caller's session from the cookie, or null (no cookie, unknown, expired, or user disabled).
 * Cached per request, so the layout and the page share one lookup.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const token = (await cookies()).get(SESSION_COOKIE_NAME)?.value;
  if (!token) return null;
  const id = sessionCookie.hashToken(token);
  const prisma = getPrisma();
  const row = await prisma.session.findUnique({
    where: { id },
    select: {
      expiresAt: true,
      lastSeenAt: true,
      csrfToken: true,
      user: { select: { id: true, username: true, displayName: true, role: true, disabled: true } },
    },
  });
  const nowMs = Date.now();
  if (!row || row.expiresAt.getTime() <= nowMs || row.user.disabled) return null;
  let expiresAtMs = row.expiresAt.getTime();
  if (nowMs - row.lastSeenAt.getTime() >= SLIDE_EVERY_MS) {
    expiresAtMs = nowMs + SESSION_IDLE_MS;
    // updateMany: a concurrent logout may have deleted the row; that must not throw here.
    await prisma.session.updateMany({
      where: { id },
      data: { lastSeenAt: new Date(nowMs), expiresAt: new Date(expiresAtMs) },
    });
  }
  const { disabled: _disabled, ...user } = row.user;
  return { id, user, expiresAtMs, csrfToken: row.csrfToken };
});

import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The session cookie: a random token only the browser holds (httpOnly, SameSite=Lax, Secure on https).
 * The database keeps its SHA-256 as `sessions.id`, so a leaked database cannot be replayed as cookies.
 */
export const SESSION_COOKIE_NAME = 'flowlens_session';

/** Sessions expire after 12 h without use; every authenticated request slides the expiry. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

export interface SessionCookie {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  maxAge?: number;
}

export const sessionCookie = {
  /** 32 random bytes; 256 bits make guessing pointless, so SHA-256 (not a slow hash) is enough. */
  newToken(): string {
    return randomBytes(32).toString('base64url');
  },
  hashToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  },
  /**
   * NOTE: no Max-Age: a browser-session cookie. The 12 h sliding expiry is enforced by the database
   * row, which server components can slide (they cannot re-set cookies).
   */
  issue(token: string, secure: boolean): SessionCookie {
    return { name: SESSION_COOKIE_NAME, value: token, httpOnly: true, sameSite: 'lax', secure, path: '/' };
  },
  clear(secure: boolean): SessionCookie {
    return { name: SESSION_COOKIE_NAME, value: '', httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 };
  },
};

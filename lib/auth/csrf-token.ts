/**
 * The per-session CSRF token: derived from the session cookie token (SHA-256 of a labelled copy), so
 * the proxy can check a request's `x-csrf-token` header against its cookie without a database round
 * trip, and a page can only learn it from a response rendered for that session (meta tag or
 * /api/auth/session). A cross-site page can neither read the httpOnly cookie nor the token.
 * Stored in `sessions.csrf_token` too, so route handlers check it against the row.
 * Uses Web Crypto so it runs in the proxy and in route handlers alike.
 */
export const CSRF_HEADER_NAME = 'x-csrf-token';

export async function csrfTokenForSession(sessionToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`flowlens-csrf:${sessionToken}`));
  return base64Url(new Uint8Array(digest));
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(left: string, right: string): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index += 1) difference |= left.charCodeAt(index) ^ right.charCodeAt(index);
  return difference === 0;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

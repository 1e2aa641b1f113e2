import 'server-only';
import { completeAuthorization, OidcError, oidcConfigFromEnv, startAuthorization, type OidcConfig } from '../../auth/oidc/oidc-client';
import { recordAudit } from '../audit/record-audit';
import { getPrisma } from '../db';
import { AppError } from '../errors';
import { openSession } from './open-session';
import type { RequestContext } from './request-context';

/** The short-lived cookie carrying state, nonce, PKCE verifier and where to go back (path-scoped to the callback). */
export const OIDC_COOKIE_NAME = 'flowlens_oidc';
export const OIDC_COOKIE_PATH = '/api/auth/oidc';
export const OIDC_COOKIE_MAX_AGE_SEC = 600;

export function oidcConfigOrNull(): OidcConfig | null {
  try {
    return oidcConfigFromEnv(process.env);
  } catch (error) {
    console.error(`flowlens: SSO disabled: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

export function oidcConfigOrThrow(): OidcConfig {
  const config = oidcConfigOrNull();
  if (!config) throw new AppError('not_found', 'Single sign-on is not configured.');
  return config;
}

export function oidcRedirectUri(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host') || url.host;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(':', '');
  return `${proto}://${host}/api/auth/oidc/callback`;
}

export async function beginOidcSignIn(request: Request, nextPath: string): Promise<{ redirectTo: string; cookieValue: string }> {
  const config = oidcConfigOrThrow();
  const start = await startAuthorization(config, oidcRedirectUri(request));
  const cookieValue = Buffer.from(JSON.stringify({ state: start.state, nonce: start.nonce, verifier: start.codeVerifier, next: nextPath })).toString('base64url');
  return { redirectTo: start.url, cookieValue };
}

/**
 * Finishes SSO: checks state against the cookie, exchanges the code, verifies the ID token, then
 * finds the user by (issuer, subject) — never by a username a local account might share — creating
 * it on first sign-in and updating its role from the IdP groups on every sign-in. Opens a session.
 */
export async function finishOidcSignIn(
  request: Request,
  params: { code: string | null; state: string | null; error: string | null },
  cookieValue: string | undefined,
  context: RequestContext,
): Promise<{ token: string; nextPath: string }> {
  const config = oidcConfigOrThrow();
  let saved: { state: string; nonce: string; verifier: string; next: string };
  try {
    saved = JSON.parse(Buffer.from(cookieValue ?? '', 'base64url').toString('utf8')) as typeof saved;
  } catch {
    throw new AppError('bad_request', 'The sign-in took too long or was started elsewhere; try again.');
  }
  if (params.error) throw new AppError('unauthenticated', `The identity provider refused the sign-in: ${params.error.slice(0, 100)}`);
  if (!params.code || !params.state || params.state !== saved.state) throw new AppError('bad_request', 'The sign-in state does not match; try again.');
  let identity;
  try {
    identity = await completeAuthorization(config, { code: params.code, redirectUri: oidcRedirectUri(request), codeVerifier: saved.verifier, nonce: saved.nonce, nowMs: Date.now() });
  } catch (error) {
    await recordAudit({ actor: null, action: 'login.failed', ip: context.ip, details: { method: 'oidc', reason: error instanceof Error ? error.message : String(error) } });
    if (error instanceof OidcError) throw new AppError('unauthenticated', `Single sign-on failed: ${error.message}`);
    throw error;
  }
  const subjectKey = `${identity.issuer}|${identity.subject}`;
  if (identity.role === null) {
    await recordAudit({ actor: null, action: 'login.failed', target: identity.username, ip: context.ip, details: { method: 'oidc', reason: 'no mapped role', groups: identity.groups } });
    throw new AppError('forbidden', 'Your identity-provider groups map to no flowlens role; ask an administrator.');
  }
  const prisma = getPrisma();
  let user = await prisma.user.findUnique({ where: { oidcSubject: subjectKey } });
  if (user?.disabled) throw new AppError('forbidden', 'This account is disabled; ask an administrator.');
  if (user) {
    user = await prisma.user.update({ where: { id: user.id }, data: { role: identity.role, displayName: identity.displayName ?? user.displayName } });
  } else {
    // A local account may already use the name: SSO users then get a suffixed name, never its account.
    let username = identity.username;
    if (await prisma.user.findUnique({ where: { username } })) username = `${identity.username}@sso`;
    if (await prisma.user.findUnique({ where: { username } })) username = `${identity.username}@sso-${identity.subject.slice(0, 12)}`;
    user = await prisma.user.create({ data: { username, displayName: identity.displayName, role: identity.role, oidcSubject: subjectKey, passwordHash: null } });
    await recordAudit({ actor: null, action: 'user.create', target: username, ip: context.ip, details: { via: 'oidc', role: identity.role } });
  }
  const token = await openSession(user, context, { nowMs: Date.now(), method: 'oidc' });
  return { token, nextPath: saved.next };
}

/**
 * OpenID Connect sign-in (authorization-code flow with PKCE S256, state and nonce), with no extra
 * packages: discovery and JWKS over fetch, ID-token signatures checked with node:crypto
 * (`createPublicKey({ key: jwk, format: 'jwk' })` + `crypto.verify`) for RS256 and ES256.
 * Plain Node (no `server-only`) so it is tested against lib/testing/oidc-provider.ts without Next.
 */
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { RoleName } from '../../api/session-user';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claim holding the user's groups/roles (a string or an array of strings); default `groups`. */
  roleClaim: string;
  /** IdP group → flowlens role; the most privileged match wins. */
  roleMap: ReadonlyMap<string, RoleName>;
}

export interface OidcDiscovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export interface OidcIdentity {
  subject: string;
  issuer: string;
  username: string;
  displayName: string | null;
  role: RoleName | null;
  groups: string[];
}

export class OidcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OidcError';
  }
}

const ROLE_RANK: Record<RoleName, number> = { viewer: 0, sre: 1, analyst: 2, admin: 3 };
const CLOCK_SKEW_SEC = 60;

/** Reads FLOWLENS_OIDC_* (null when SSO is not configured; throws on a half-configured or bad map). */
export function oidcConfigFromEnv(env: Readonly<Record<string, string | undefined>>): OidcConfig | null {
  const issuer = env.FLOWLENS_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.FLOWLENS_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.FLOWLENS_OIDC_CLIENT_SECRET ?? '';
  if (!clientId) throw new OidcError('FLOWLENS_OIDC_ISSUER is set but FLOWLENS_OIDC_CLIENT_ID is not');
  const roleMap = new Map<string, RoleName>();
  for (const entry of (env.FLOWLENS_OIDC_ROLE_MAP ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const equals = entry.lastIndexOf('=');
    const group = entry.slice(0, equals).trim();
    const role = entry.slice(equals + 1).trim();
    if (equals <= 0 || !(role in ROLE_RANK)) throw new OidcError(`FLOWLENS_OIDC_ROLE_MAP entry "${entry}" is not group=admin|analyst|sre|viewer`);
    roleMap.set(group, role as RoleName);
  }
  return { issuer: issuer.replace(/\/+$/, ''), clientId, clientSecret, roleClaim: env.FLOWLENS_OIDC_ROLE_CLAIM?.trim() || 'groups', roleMap };
}

const discoveryCache = new Map<string, { atMs: number; value: Promise<OidcDiscovery> }>();
const jwksCache = new Map<string, { atMs: number; value: Promise<JsonWebKey[]> }>();
const CACHE_MS = 10 * 60 * 1000;

export function discover(issuer: string): Promise<OidcDiscovery> {
  const cached = discoveryCache.get(issuer);
  if (cached && Date.now() - cached.atMs < CACHE_MS) return cached.value;
  const value = fetchJson<OidcDiscovery>(`${issuer}/.well-known/openid-configuration`).then((document) => {
    if (document.issuer.replace(/\/+$/, '') !== issuer) throw new OidcError(`discovery issuer ${document.issuer} is not ${issuer}`);
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof document[field] !== 'string') throw new OidcError(`discovery document has no ${field}`);
    }
    return document;
  });
  value.catch(() => discoveryCache.delete(issuer));
  discoveryCache.set(issuer, { atMs: Date.now(), value });
  return value;
}

function jwks(uri: string, refresh: boolean): Promise<JsonWebKey[]> {
  const cached = jwksCache.get(uri);
  if (!refresh && cached && Date.now() - cached.atMs < CACHE_MS) return cached.value;
  const value = fetchJson<{ keys?: JsonWebKey[] }>(uri).then((set) => set.keys ?? []);
  value.catch(() => jwksCache.delete(uri));
  jwksCache.set(uri, { atMs: Date.now(), value });
  return value;
}

export interface AuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function startAuthorization(config: OidcConfig, redirectUri: string): Promise<AuthorizationStart> {
  const discovery = await discover(config.issuer);
  const state = randomBytes(24).toString('base64url');
  const nonce = randomBytes(24).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', 'openid profile email');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', createHash('sha256').update(codeVerifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.toString(), state, nonce, codeVerifier };
}

/** Exchanges the code (with the PKCE verifier) and returns the verified identity. */
export async function completeAuthorization(
  config: OidcConfig,
  options: { code: string; redirectUri: string; codeVerifier: string; nonce: string; nowMs: number },
): Promise<OidcIdentity> {
  const discovery = await discover(config.issuer);
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: options.code, redirect_uri: options.redirectUri, code_verifier: options.codeVerifier }),
  });
  const body = (await response.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
  if (!response.ok || typeof body.id_token !== 'string') {
    throw new OidcError(`token endpoint refused the code: ${body.error ?? `HTTP ${response.status}`}${body.error_description ? ` (${body.error_description})` : ''}`);
  }
  const claims = await verifyIdToken(config, discovery, body.id_token, options.nowMs);
  if (claims.nonce !== options.nonce) throw new OidcError('ID token nonce does not match this sign-in');
  return identityFromClaims(config, claims);
}

/** Verifies signature (RS256/ES256 against the issuer's JWKS), issuer, audience, expiry; returns the claims. */
export async function verifyIdToken(config: OidcConfig, discovery: OidcDiscovery, idToken: string, nowMs: number): Promise<Record<string, unknown>> {
  const parts = idToken.split('.');
  if (parts.length !== 3) throw new OidcError('ID token is not a JWS');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart, 'header');
  const claims = decodeJson(payloadPart, 'payload');
  const algorithm = header.alg;
  if (algorithm !== 'RS256' && algorithm !== 'ES256') throw new OidcError(`ID token algorithm ${String(algorithm)} is not allowed (RS256, ES256)`);
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const pick = (keys: JsonWebKey[]) =>
    keys.find((key) => (kid === undefined || key.kid === kid) && (algorithm === 'RS256' ? key.kty === 'RSA' : key.kty === 'EC') && (key.use === undefined || key.use === 'sig'));
  let jwk = pick(await jwks(discovery.jwks_uri, false));
  if (!jwk) jwk = pick(await jwks(discovery.jwks_uri, true)); // the IdP may have rotated its keys
  if (!jwk) throw new OidcError(`no signing key ${kid ?? ''} for ${algorithm} in the issuer's JWKS`);
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const valid =
    algorithm === 'RS256'
      ? verify('sha256', signed, publicKey, signature)
      : verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) throw new OidcError('ID token signature is not valid');
  const nowSec = Math.floor(nowMs / 1000);
  if (String(claims.iss).replace(/\/+$/, '') !== config.issuer) throw new OidcError(`ID token issuer ${String(claims.iss)} is not ${config.issuer}`);
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(config.clientId)) throw new OidcError('ID token is not for this client');
  if (audience.length > 1 && claims.azp !== undefined && claims.azp !== config.clientId) throw new OidcError('ID token azp is not this client');
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SEC < nowSec) throw new OidcError('ID token has expired');
  if (typeof claims.iat === 'number' && claims.iat - CLOCK_SKEW_SEC > nowSec) throw new OidcError('ID token is issued in the future');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new OidcError('ID token has no subject');
  return claims;
}

export function identityFromClaims(config: OidcConfig, claims: Record<string, unknown>): OidcIdentity {
  const raw = claims[config.roleClaim];
  const groups = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).filter((group): group is string => typeof group === 'string' && group !== '');
  let role: RoleName | null = null;
  for (const group of groups) {
    const mapped = config.roleMap.get(group);
    if (mapped && (role === null || ROLE_RANK[mapped] > ROLE_RANK[role])) role = mapped;
  }
  const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 128) : null);
  const username = text(claims.preferred_username) ?? text(claims.email) ?? String(claims.sub);
  return { subject: String(claims.sub), issuer: config.issuer, username, displayName: text(claims.name), role, groups };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new OidcError(`ID token ${what} is not JSON`);
  }
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new OidcError(`${url} answered HTTP ${response.status}`);
  return (await response.json()) as T;
}

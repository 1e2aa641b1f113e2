/**
 * A small, real OpenID Connect provider for tests (node:http on 127.0.0.1): discovery, JWKS, an
 * authorize endpoint that auto-approves the configured test user (redirects back with a code), and a
 * token endpoint that checks the client secret, redirect URI and PKCE verifier and issues an RS256-
 * (or ES256-) signed ID token carrying the nonce. Not for production, obviously.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface TestOidcUser {
  sub: string;
  preferred_username: string;
  name?: string;
  email?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Changes the user the next authorization approves. */
  setUser(user: TestOidcUser): void;
  /** Signs arbitrary claims with the provider's key (for negative tests). */
  signIdToken(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | null;
  codeChallenge: string;
  user: TestOidcUser;
}

export async function startTestOidcProvider(options: {
  user: TestOidcUser;
  clientId?: string;
  clientSecret?: string;
  algorithm?: 'RS256' | 'ES256';
  port?: number;
}): Promise<TestOidcProvider> {
  const algorithm = options.algorithm ?? 'RS256';
  const clientId = options.clientId ?? 'flowlens-test';
  const clientSecret = options.clientSecret ?? randomBytes(16).toString('hex');
  const { privateKey, publicKey }: { privateKey: KeyObject; publicKey: KeyObject } =
    algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(6).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: algorithm };
  const codes = new Map<string, PendingCode>();
  let user = options.user;
  let issuer = '';

  const signIdToken = (claims: Record<string, unknown>): string => {
    const header = Buffer.from(JSON.stringify({ alg: algorithm, typ: 'JWT', kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature =
      algorithm === 'RS256'
        ? sign('sha256', Buffer.from(`${header}.${payload}`), privateKey)
        : sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${header}.${payload}.${signature.toString('base64url')}`;
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [algorithm],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (request.method === 'GET' && url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (request.method === 'GET' && url.pathname === '/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri');
      const challenge = url.searchParams.get('code_challenge');
      if (url.searchParams.get('client_id') !== clientId || !redirectUri || url.searchParams.get('response_type') !== 'code') {
        return json(400, { error: 'invalid_request' });
      }
      if (!challenge || url.searchParams.get('code_challenge_method') !== 'S256') return json(400, { error: 'invalid_request', error_description: 'PKCE S256 required' });
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { clientId, redirectUri, nonce: url.searchParams.get('nonce'), codeChallenge: challenge, user });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      const state = url.searchParams.get('state');
      if (state !== null) back.searchParams.set('state', state);
      response.writeHead(302, { location: back.toString() });
      response.end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/token') {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(text);
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
        const [id, secret] = basic?.[1] ? Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
        if (id !== clientId || secret !== clientSecret) return json(401, { error: 'invalid_client' });
        const code = form.get('code') ?? '';
        const pending = codes.get(code);
        codes.delete(code); // one use only
        if (!pending || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== pending.redirectUri) return json(400, { error: 'invalid_grant' });
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== pending.codeChallenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        const nowSec = Math.floor(Date.now() / 1000);
        const idToken = signIdToken({
          iss: issuer,
          aud: clientId,
          iat: nowSec,
          exp: nowSec + 300,
          ...(pending.nonce ? { nonce: pending.nonce } : {}),
          ...pending.user,
        });
        json(200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    issuer,
    clientId,
    clientSecret,
    setUser: (next) => {
      user = next;
    },
    signIdToken,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * OIDC sign-in against a real (local) provider: discovery, authorize with PKCE, code exchange, JWKS
 * signature check, nonce, audience, expiry and role mapping — and the ways a forged token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOidcProvider, type TestOidcProvider } from '../../testing/oidc-provider';
import { completeAuthorization, discover, oidcConfigFromEnv, startAuthorization, verifyIdToken, type OidcConfig } from './oidc-client';

const REDIRECT_URI = 'http://127.0.0.1:3999/api/auth/oidc/callback';

for (const algorithm of ['RS256', 'ES256'] as const) {
  describe(`OIDC code flow (${algorithm})`, () => {
    let provider: TestOidcProvider;
    let config: OidcConfig;
    beforeAll(async () => {
      provider = await startTestOidcProvider({ algorithm, user: { sub: 'u-1', preferred_username: 'alice', name: 'Alice', groups: ['sre-team', 'everyone'] } });
      const parsed = oidcConfigFromEnv({
        FLOWLENS_OIDC_ISSUER: provider.issuer,
        FLOWLENS_OIDC_CLIENT_ID: provider.clientId,
        FLOWLENS_OIDC_CLIENT_SECRET: provider.clientSecret,
        FLOWLENS_OIDC_ROLE_MAP: 'flowlens-admins=admin,sre-team=sre',
      });
      if (!parsed) throw new Error('no config');
      config = parsed;
    });
    afterAll(() => provider.close());

    async function authorize(): Promise<{ code: string; state: string; nonce: string; verifier: string; returnedState: string | null }> {
      const start = await startAuthorization(config, REDIRECT_URI);
      const url = new URL(start.url);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      const response = await fetch(start.url, { redirect: 'manual' });
      expect(response.status).toBe(302);
      const back = new URL(response.headers.get('location') ?? '');
      return { code: back.searchParams.get('code') ?? '', state: start.state, nonce: start.nonce, verifier: start.codeVerifier, returnedState: back.searchParams.get('state') };
    }

    it('signs a user in and maps the IdP group to a local role', async () => {
      const { code, state, nonce, verifier, returnedState } = await authorize();
      expect(returnedState).toBe(state);
      const identity = await completeAuthorization(config, { code, redirectUri: REDIRECT_URI, codeVerifier: verifier, nonce, nowMs: Date.now() });
      expect(identity).toMatchObject({ subject: 'u-1', username: 'alice', displayName: 'Alice', role: 'sre' });
    });

    it('gives the most privileged mapped role, and none when no group is mapped', async () => {
      provider.setUser({ sub: 'u-2', preferred_username: 'bob', groups: ['sre-team', 'flowlens-admins'] });
      let flow = await authorize();
      expect((await completeAuthorization(config, { code: flow.code, redirectUri: REDIRECT_URI, codeVerifier: flow.verifier, nonce: flow.nonce, nowMs: Date.now() })).role).toBe('admin');
      provider.setUser({ sub: 'u-3', preferred_username: 'eve', groups: ['contractors'] });
      flow = await authorize();
      expect((await completeAuthorization(config, { code: flow.code, redirectUri: REDIRECT_URI, codeVerifier: flow.verifier, nonce: flow.nonce, nowMs: Date.now() })).role).toBeNull();
    });

    it('refuses a wrong PKCE verifier, a reused code and a wrong nonce', async () => {
      const flow = await authorize();
      await expect(completeAuthorization(config, { code: flow.code, redirectUri: REDIRECT_URI, codeVerifier: 'x'.repeat(43), nonce: flow.nonce, nowMs: Date.now() })).rejects.toThrow(/refused/);
      await expect(completeAuthorization(config, { code: flow.code, redirectUri: REDIRECT_URI, codeVerifier: flow.verifier, nonce: flow.nonce, nowMs: Date.now() })).rejects.toThrow(/refused/);
      const again = await authorize();
      await expect(completeAuthorization(config, { code: again.code, redirectUri: REDIRECT_URI, codeVerifier: again.verifier, nonce: 'other', nowMs: Date.now() })).rejects.toThrow(/nonce/);
    });

    it('refuses forged, expired, foreign-audience and alg=none tokens', async () => {
      const discovery = await discover(config.issuer);
      const nowSec = Math.floor(Date.now() / 1000);
      const good = { iss: provider.issuer, aud: provider.clientId, sub: 'u-1', iat: nowSec, exp: nowSec + 60 };
      await expect(verifyIdToken(config, discovery, provider.signIdToken(good), Date.now())).resolves.toMatchObject({ sub: 'u-1' });
      const [header, , signature] = provider.signIdToken(good).split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ ...good, sub: 'admin' })).toString('base64url');
      await expect(verifyIdToken(config, discovery, `${header}.${forgedPayload}.${signature}`, Date.now())).rejects.toThrow(/signature/);
      await expect(verifyIdToken(config, discovery, provider.signIdToken({ ...good, exp: nowSec - 3600 }), Date.now())).rejects.toThrow(/expired/);
      await expect(verifyIdToken(config, discovery, provider.signIdToken({ ...good, aud: 'someone-else' }), Date.now())).rejects.toThrow(/not for this client/);
      await expect(verifyIdToken(config, discovery, provider.signIdToken({ ...good, iss: 'http://evil' }), Date.now())).rejects.toThrow(/issuer/);
      const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(good)).toString('base64url')}.`;
      await expect(verifyIdToken(config, discovery, none, Date.now())).rejects.toThrow(/not allowed/);
    });
  });
}

describe('oidcConfigFromEnv', () => {
  it('is off without an issuer and refuses a bad role map', () => {
    expect(oidcConfigFromEnv({})).toBeNull();
    expect(() => oidcConfigFromEnv({ FLOWLENS_OIDC_ISSUER: 'http://x', FLOWLENS_OIDC_CLIENT_ID: 'c', FLOWLENS_OIDC_ROLE_MAP: 'a=root' })).toThrow(/ROLE_MAP/);
  });
});

/**
 * Single sign-on end to end: a local OpenID Connect provider (lib/testing/oidc-provider.ts) started by
 * this spec, and a second production server (`next start` on the e2e stack's build and database)
 * configured to use it. The browser clicks "Sign in with SSO", the provider approves the test user,
 * the callback verifies the signed ID token and signs the user in with the role its group maps to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startTestOidcProvider, type TestOidcProvider } from '../lib/testing/oidc-provider';
import { expect, test } from './support/fixtures';
import { E2E_DATA_DIR, E2E_PG_PORT, REPO_ROOT } from './support/stack-config';

const SSO_WEB_PORT = 3111;
const SSO_URL = `http://127.0.0.1:${SSO_WEB_PORT}`;
const RUN = Date.now().toString(36);

let provider: TestOidcProvider;
let server: ChildProcess | undefined;
let serverOutput = '';

test.describe('single sign-on (OIDC)', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });

  test.beforeAll(async () => {
    provider = await startTestOidcProvider({ user: { sub: `alice-${RUN}`, preferred_username: `alice-${RUN}`, name: 'Alice SSO', groups: ['sre-team', 'staff'] } });
    const password = readFileSync(path.join(E2E_DATA_DIR, 'pg-password'), 'utf8').trim();
    const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
    server = spawn(process.execPath, [nextBin, 'start', '-p', String(SSO_WEB_PORT), '-H', '127.0.0.1'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${E2E_PG_PORT}/flowlens`,
        FLOWLENS_OIDC_ISSUER: provider.issuer,
        FLOWLENS_OIDC_CLIENT_ID: provider.clientId,
        FLOWLENS_OIDC_CLIENT_SECRET: provider.clientSecret,
        FLOWLENS_OIDC_ROLE_CLAIM: 'groups',
        FLOWLENS_OIDC_ROLE_MAP: 'flowlens-admins=admin,sre-team=sre',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${SSO_URL}/api/health`).then((response) => response.status < 500, () => false);
      if (ok) break;
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the SSO web server did not start:\n${serverOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await provider?.close();
  });

  test('signs a user in through the identity provider with the mapped role', async ({ page }) => {
    await page.goto(`${SSO_URL}/login?next=%2Fgraph`);
    await page.getByTestId('sso-sign-in').click();
    await page.waitForURL(`${SSO_URL}/graph**`);
    const user = page.getByTestId('signed-in-user');
    await expect(user).toContainText('Alice SSO');
    await expect(user).toContainText('sre');
    // A second sign-in finds the same user (by issuer + subject) and follows a group change.
    provider.setUser({ sub: `alice-${RUN}`, preferred_username: `alice-${RUN}`, name: 'Alice SSO', groups: ['flowlens-admins'] });
    // Leave the signed-in page first: its polling would meet a 401 and navigate to /login itself,
    // aborting the goto below (net::ERR_ABORTED).
    await page.goto('about:blank');
    await page.context().clearCookies();
    await page.goto(`${SSO_URL}/login`);
    await page.getByTestId('sso-sign-in').click();
    await page.waitForURL(`${SSO_URL}/`);
    await expect(page.getByTestId('signed-in-user')).toContainText('admin');
    const users = (await (await page.request.get(`${SSO_URL}/api/settings/users`)).json()) as { users: { username: string; sso: boolean }[] };
    expect(users.users.filter((entry) => entry.username === `alice-${RUN}`)).toEqual([expect.objectContaining({ sso: true })]);
  });

  test('refuses a user whose groups map to no role, and a local name is never taken over', async ({ page }) => {
    provider.setUser({ sub: `mallory-${RUN}`, preferred_username: 'admin', name: 'Mallory', groups: ['contractors'] });
    await page.goto(`${SSO_URL}/login`);
    await page.getByTestId('sso-sign-in').click();
    await page.waitForURL(/\/login\?ssoError=/);
    await expect(page.getByTestId('sso-error')).toContainText('no flowlens role');
    // Same IdP username as the local admin, now with a mapped group: a separate account, not the local admin's.
    provider.setUser({ sub: `mallory-${RUN}`, preferred_username: 'admin', name: 'Mallory', groups: ['sre-team'] });
    await page.getByTestId('sso-sign-in').click();
    await page.waitForURL(`${SSO_URL}/`);
    await expect(page.getByTestId('signed-in-user')).toContainText('sre');
    const session = (await (await page.request.get(`${SSO_URL}/api/auth/session`)).json()) as { user: { username: string; role: string } };
    expect(session.user.username).not.toBe('admin');
    expect(session.user.role).toBe('sre');
  });

  test('a forged callback (wrong state) signs nobody in', async ({ page }) => {
    const response = await page.request.get(`${SSO_URL}/api/auth/oidc/callback?code=abc&state=forged`, { maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toContain('/login?ssoError=');
    expect(response.headers()['set-cookie'] ?? '').not.toContain('flowlens_session=');
  });
});

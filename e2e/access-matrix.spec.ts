/**
 * The access matrix, against the production server the e2e stack runs. Routes and pages are
 * enumerated from the filesystem (app/api/**\/route.ts and their exported methods, app/**\/page.tsx),
 * so a new route is covered without editing this file. For each:
 *   - without a session: 401 (API) or a redirect to /login (page);
 *   - for each role (viewer, sre, analyst, admin): refused with 403 below the documented minimum role
 *     (viewer reads posture and graph; sre adds flows and exports; analyst adds GenAI and policy what-if;
 *     admin adds settings), never 401/403 at or above it; a route not in the table must at least need a
 *     session and be open to admins;
 *   - every mutation without the session's CSRF token, or from another origin: 403;
 *   - a user scoped to one cluster and one namespace sees only that in graph, flows, overview, GenAI,
 *     policies, posture, reports and exports: the other cluster and the other namespaces' workloads never
 *     appear (ends outside the scope are masked);
 *   - login is rate limited per account and per address; bodies over 1 MiB are refused with 413.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { adminPassword } from './support/admin-password';
import { createSql } from '../lib/db/sql';
import { E2E_DATA_DIR, E2E_PG_PORT, E2E_WEB_PORT, REPO_ROOT } from './support/stack-config';

type Role = 'viewer' | 'sre' | 'analyst' | 'admin';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ROLES: Role[] = ['viewer', 'sre', 'analyst', 'admin'];
const RANK: Record<Role, number> = { viewer: 0, sre: 1, analyst: 2, admin: 3 };
const BASE_URL = `http://127.0.0.1:${E2E_WEB_PORT}`;
const RUN = Date.now().toString(36);

interface ApiRoute {
  file: string;
  pattern: string;
  path: string;
  methods: Method[];
}

function walk(dir: string, match: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full, match);
    return match(name) ? [full] : [];
  });
}

/** Dynamic segments get values that parse but name nothing: the gate must answer before the lookup. */
function concretePath(pattern: string): string {
  return pattern.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_, _rest, name: string) => (/id$/i.test(name) && !/cluster/i.test(name) ? randomUUID() : '1'));
}

const apiRoutes: ApiRoute[] = walk(path.join(REPO_ROOT, 'app', 'api'), (name) => name === 'route.ts').map((file) => {
  const source = readFileSync(file, 'utf8');
  const methods = [...source.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((match) => match[1] as Method);
  const pattern = '/' + path.relative(path.join(REPO_ROOT, 'app'), path.dirname(file)).split(path.sep).join('/');
  return { file, pattern, path: concretePath(pattern), methods };
});

/** Every page under app/ (route groups stripped) except the public sign-in page. */
const pages: string[] = walk(path.join(REPO_ROOT, 'app'), (name) => name === 'page.tsx')
  .map((file) => {
    const relative = path.relative(path.join(REPO_ROOT, 'app'), path.dirname(file)).split(path.sep).join('/');
    return '/' + relative.split('/').filter((part) => part !== '' && !/^\(.*\)$/.test(part)).join('/');
  })
  .filter((page) => page !== '/login');

/** The documented minimum role; 'public' needs no session; null = not in the table (session + admin open). */
function minimumRole(method: Method, route: string): Role | 'public' | null {
  if (route === '/api/health' || route === '/api/auth/login' || route === '/api/auth/logout' || route.startsWith('/api/auth/oidc/')) return 'public';
  if (route === '/api/auth/session') return 'viewer';
  if (route.startsWith('/api/settings')) return 'admin';
  if (route === '/api/genai/rules' && method !== 'GET') return 'admin';
  if (route.startsWith('/api/genai')) return 'analyst';
  if (route === '/api/policies/what-if' || route === '/api/policies/proposals' || route === '/api/policies/recommendation') return 'analyst';
  if (route.startsWith('/api/flows')) return 'sre';
  if (route === '/api/graph' || route.startsWith('/api/graph/') || route === '/api/overview' || route === '/api/posture') return 'viewer';
  return null;
}

function minimumPageRole(page: string): Role | null {
  if (page.startsWith('/settings')) return 'admin';
  if (page === '/genai') return 'analyst';
  if (page === '/flows') return 'sre';
  if (page === '/' || page === '/graph' || page === '/report') return 'viewer';
  return null;
}

interface Caller {
  role: Role;
  username: string;
  api: APIRequestContext;
  cookie: string;
  csrfToken: string;
}

async function signIn(username: string, password: string): Promise<{ api: APIRequestContext; cookie: string; csrfToken: string }> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { origin: BASE_URL } });
  const response = await api.post('/api/auth/login', { data: { username, password } });
  expect(response.status(), `sign in as ${username}: ${await response.text()}`).toBe(200);
  const session = (await (await api.get('/api/auth/session')).json()) as { csrfToken: string };
  return { api, cookie: await cookieOf(api), csrfToken: session.csrfToken };
}

/**
 * One request with Node's fetch, which resolves on the response headers: the status is all the matrix
 * needs, and a streaming route (the live tail's event stream) never ends by itself.
 */
async function call(cookie: string, method: Method, url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: () => Promise<string> }> {
  const response = await fetch(BASE_URL + url, {
    method,
    redirect: 'manual',
    headers: { origin: BASE_URL, ...(cookie ? { cookie } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(method === 'GET' ? {} : { body: '{}' }),
    signal: AbortSignal.timeout(60_000),
  });
  const streaming = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  if (streaming) await response.body?.cancel();
  return { status: response.status, text: async () => (streaming ? '' : response.text()) };
}

async function cookieOf(api: APIRequestContext): Promise<string> {
  return (await api.storageState()).cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

const callers = new Map<Role | 'scoped', Caller>();
const PASSWORD = `matrix-${RUN}-password`;

test.describe('access matrix', () => {
  // Not serial: one refusal gap must not hide the others (a failure restarts the worker, which signs in afresh).
  test.describe.configure({ timeout: 240_000 });

  test.beforeAll(async () => {
    const admin = await signIn('admin', adminPassword());
    callers.set('admin', { role: 'admin', username: 'admin', ...admin });
    const create = async (username: string, role: Role, scope: { scopeClusters?: string[]; scopeNamespaces?: string[] } = {}) => {
      const response = await admin.api.post('/api/settings/users', {
        data: { username, role, password: PASSWORD, ...scope },
        headers: { 'x-csrf-token': admin.csrfToken },
      });
      expect(response.status(), await response.text()).toBe(201);
    };
    for (const role of ['viewer', 'sre', 'analyst'] as const) {
      await create(`${role}-${RUN}`, role);
      callers.set(role, { role, username: `${role}-${RUN}`, ...(await signIn(`${role}-${RUN}`, PASSWORD)) });
    }
    await create(`scoped-${RUN}`, 'analyst', { scopeClusters: ['prod-east'], scopeNamespaces: ['prod-east/chat'] });
    callers.set('scoped', { role: 'analyst', username: `scoped-${RUN}`, ...(await signIn(`scoped-${RUN}`, PASSWORD)) });
  });

  test.afterAll(async () => {
    for (const caller of callers.values()) await caller.api.dispose();
  });

  test('the filesystem lists the routes and pages under test', () => {
    expect(apiRoutes.length).toBeGreaterThan(20);
    expect(pages).toEqual(expect.arrayContaining(['/', '/graph', '/flows', '/genai', '/policies', '/settings']));
  });

  test('without a session every API route answers 401 and every page redirects to /login', async () => {
    const anonymous = await playwrightRequest.newContext({ baseURL: BASE_URL });
    const failures: string[] = [];
    for (const route of apiRoutes) {
      for (const method of route.methods) {
        if (minimumRole(method, route.pattern) === 'public') continue;
        const response = await call('', method, route.path);
        if (response.status !== 401) failures.push(`${method} ${route.pattern}: ${response.status}`);
      }
    }
    for (const page of pages) {
      const response = await anonymous.get(page, { maxRedirects: 0 });
      const location = response.headers().location ?? '';
      if (![302, 303, 307, 308].includes(response.status()) || !location.includes('/login')) failures.push(`page ${page}: ${response.status()} ${location}`);
    }
    await anonymous.dispose();
    expect(failures).toEqual([]);
  });

  for (const role of ROLES) {
    test(`as ${role}: refused below the minimum role, allowed at or above it`, async () => {
      const caller = callers.get(role) as Caller;
      const failures: string[] = [];
      for (const route of apiRoutes) {
        for (const method of route.methods) {
          const minimum = minimumRole(method, route.pattern);
          if (minimum === 'public') continue;
          const response = await call(caller.cookie, method, route.path, method === 'GET' ? {} : { 'x-csrf-token': caller.csrfToken });
          const status = response.status;
          const refused = status === 401 || status === 403;
          const mustRefuse = minimum !== null && RANK[role] < RANK[minimum];
          const mustAllow = minimum === null ? role === 'admin' : RANK[role] >= RANK[minimum];
          if (mustRefuse && status !== 403) failures.push(`${method} ${route.pattern}: expected 403, got ${status}`);
          if (mustAllow && refused) failures.push(`${method} ${route.pattern}: expected access, got ${status} ${(await response.text()).slice(0, 120)}`);
          if (status >= 500) failures.push(`${method} ${route.pattern}: server error ${status}`);
        }
      }
      for (const page of pages) {
        const minimum = minimumPageRole(page);
        const response = await caller.api.get(page, { maxRedirects: 0 });
        const status = response.status();
        if (minimum !== null && RANK[role] < RANK[minimum] && status !== 403) failures.push(`page ${page}: expected 403, got ${status}`);
        if ((minimum === null ? role === 'admin' : RANK[role] >= RANK[minimum]) && status !== 200) failures.push(`page ${page}: expected 200, got ${status}`);
      }
      expect(failures).toEqual([]);
    });
  }

  test('every mutation needs the session CSRF token and the same origin', async () => {
    const admin = callers.get('admin') as Caller;
    const failures: string[] = [];
    for (const route of apiRoutes) {
      for (const method of route.methods) {
        if (method === 'GET' || minimumRole(method, route.pattern) === 'public') continue;
        const withoutToken = await call(admin.cookie, method, route.path);
        if (withoutToken.status !== 403) failures.push(`${method} ${route.pattern} without token: ${withoutToken.status}`);
        const wrongToken = await call(admin.cookie, method, route.path, { 'x-csrf-token': 'x'.repeat(admin.csrfToken.length) });
        if (wrongToken.status !== 403) failures.push(`${method} ${route.pattern} with a wrong token: ${wrongToken.status}`);
        const crossSite = await call(admin.cookie, method, route.path, { 'x-csrf-token': admin.csrfToken, origin: 'http://evil.example' });
        if (crossSite.status !== 403) failures.push(`${method} ${route.pattern} from another origin: ${crossSite.status}`);
      }
    }
    // Login and logout need the same origin too (no token: there is no session yet / a plain form post).
    const anonymous = await playwrightRequest.newContext({ baseURL: BASE_URL });
    for (const route of ['/api/auth/login', '/api/auth/logout']) {
      const response = await anonymous.post(route, { data: {}, headers: { origin: 'http://evil.example' } });
      if (response.status() !== 403) failures.push(`POST ${route} from another origin: ${response.status()}`);
    }
    await anonymous.dispose();
    expect(failures).toEqual([]);
  });

  test('a scoped user sees only its cluster and namespace', async () => {
    const scoped = callers.get('scoped') as Caller;
    const admin = callers.get('admin') as Caller;
    // Out-of-scope names from the demo: the other cluster, and workloads in other namespaces that chat talks to.
    // (External peers of in-scope flows, such as 203.0.113.66, are visible by design.)
    const LEAKS = ['prod-west', 'payments-db', 'payments-api', 'tei-embed', 'tei-rerank', 'qdrant-0'];
    const failures: string[] = [];
    const reads = apiRoutes.filter((route) => route.methods.includes('GET') && !route.pattern.includes('[') && !['public', 'admin'].includes(String(minimumRole('GET', route.pattern))) && route.pattern !== '/api/genai/rules' && route.pattern !== '/api/flows/live');
    let sawOwnData = false;
    for (const route of reads) {
      for (const query of ['', '?range=24h', '?cluster=prod-west', '?cluster=prod-west&range=24h']) {
        const response = await scoped.api.get(route.path + query, { timeout: 60_000 });
        if (response.status() >= 500) failures.push(`GET ${route.pattern}${query}: ${response.status()}`);
        if (!response.ok()) continue;
        const text = await response.text();
        for (const leak of LEAKS) if (text.includes(leak)) failures.push(`GET ${route.pattern}${query} shows "${leak}"`);
        if (text.includes('chat-ui') || text.includes('rag-api')) sawOwnData = true;
      }
    }
    expect(sawOwnData, 'the scoped user sees its own namespace').toBe(true);
    // The same reads as admin do show other clusters (the check above is not vacuous).
    const overview = await (await admin.api.get('/api/overview')).text();
    expect(overview).toContain('prod-west');
    for (const page of ['/', '/graph', '/flows', '/genai', '/policies']) {
      const response = await scoped.api.get(page);
      // Input placeholders are examples written in the UI's code, not data.
      const html = (await response.text()).replace(/placeholder="[^"]*"/g, '');
      for (const leak of LEAKS) if (html.includes(leak)) failures.push(`page ${page} shows "${leak}"`);
    }
    expect(failures).toEqual([]);
  });

  test('sign-in is rate limited per account and per address', async () => {
    const anonymous = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { origin: BASE_URL } });
    // Per account: after 5 failures the account is braked, whatever address the guesses come from.
    const victim = `viewer-${RUN}`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const response = await anonymous.post('/api/auth/login', { data: { username: victim, password: `wrong-${attempt}` }, headers: { 'x-forwarded-for': `198.51.100.${attempt + 1}` } });
      statuses.push(response.status());
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toContain(429);
    // Per address: 20 failures from one address (different accounts), then 429 — even when the client
    // forges a new address in front of the one the (trusted) proxy appended.
    const address = `203.0.113.${(Date.now() % 200) + 20}`;
    const perAddress: number[] = [];
    for (let attempt = 0; attempt < 22; attempt += 1) {
      const forged = `192.0.2.${attempt + 1}`;
      const response = await anonymous.post('/api/auth/login', { data: { username: `nobody-${RUN}-${attempt}`, password: 'wrong-password' }, headers: { 'x-forwarded-for': `${forged}, ${address}` } });
      perAddress.push(response.status());
    }
    expect(perAddress.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(perAddress.at(-1)).toBe(429);
    await anonymous.dispose();
  });

  test('sessions rotate on login and expire', async () => {
    // A cookie planted before sign-in (session fixation) is replaced, and is worth nothing.
    const planted = 'planted-session-token-0123456789abcdef0123456789';
    const api = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { origin: BASE_URL } });
    const login = await api.post('/api/auth/login', { data: { username: `sre-${RUN}`, password: PASSWORD }, headers: { cookie: `flowlens_session=${planted}` } });
    expect(login.status()).toBe(200);
    const issued = /flowlens_session=([^;]+)/.exec(login.headers()['set-cookie'] ?? '')?.[1] ?? '';
    expect(issued).not.toBe('');
    expect(issued).not.toBe(planted);
    expect((await call(`flowlens_session=${planted}`, 'GET', '/api/auth/session')).status).toBe(401);
    expect((await call(`flowlens_session=${issued}`, 'GET', '/api/auth/session')).status).toBe(200);
    // Expiry is enforced by the session row: an expired row is no session.
    const password = readFileSync(path.join(E2E_DATA_DIR, 'pg-password'), 'utf8').trim();
    const sql = createSql(`postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${E2E_PG_PORT}/flowlens`, { max: 1 });
    await sql`update sessions set expires_at = now() - interval '1 second' where id = ${createHash('sha256').update(issued).digest('hex')}`;
    await sql.end();
    expect((await call(`flowlens_session=${issued}`, 'GET', '/api/auth/session')).status).toBe(401);
    await api.dispose();
  });

  test('bodies over 1 MiB are refused with 413; headers are strict', async () => {
    const admin = callers.get('admin') as Caller;
    const big = await admin.api.post('/api/settings/users', { data: { username: 'x', role: 'viewer', pad: 'x'.repeat(1_100_000) }, headers: { 'x-csrf-token': admin.csrfToken } });
    expect(big.status()).toBe(413);
    // The same without a Content-Length (chunked): measured and refused too.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const chunked = await fetch(`${BASE_URL}/api/settings/users`, {
      method: 'POST',
      headers: { origin: BASE_URL, cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 2 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(chunked.status).toBe(413);
    const page = await admin.api.get('/graph');
    const headers = page.headers();
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  });
});

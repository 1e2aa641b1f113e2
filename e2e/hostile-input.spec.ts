/**
 * Hostile flow data renders harmlessly. Flows whose workload names, namespaces, labels, domains and
 * policy names carry `<script>`, HTML attributes, quotes and control characters are sent through the
 * collector's native format with a token minted through the settings API, then the graph, flows and
 * overview pages are opened: no script runs (no dialog, no global set), no element is injected, the
 * CSP reports no violation, and the text is shown literally wherever it is shown.
 */
import { expect, test } from './support/fixtures';
import { E2E_COLLECTOR_PORT } from './support/stack-config';

const CLUSTER = 'hostile';
const SCRIPT_NAME = '<script>window.__flowlensXss=1</script>';
const IMG_NAME = '"><img src=x onerror="window.__flowlensXss=2" data-injected=1>';
const QUOTE_NAME = `it's "quoted" \`back\` & <b>bold</b>`;
const CONTROL_NAME = 'ctl\u0000\u0007\u001b[31m\u202eevil\u2028name';
const SVG_NAME = '<svg onload="window.__flowlensXss=3"><text>x</text></svg>';

function hostileLine(index: number, nowMs: number): string {
  const names = [SCRIPT_NAME, IMG_NAME, QUOTE_NAME, CONTROL_NAME, SVG_NAME];
  const name = names[index % names.length] as string;
  return JSON.stringify({
    v: 1,
    clusterId: CLUSTER,
    startMs: nowMs - 60_000 - index * 1000,
    endMs: nowMs - 55_000 - index * 1000,
    source: { kind: 'workload', namespace: index % 2 === 0 ? '<i>ns</i>' : 'default', name, labels: { app: name, '<k>': '"v"' } },
    destination: { kind: 'external', name: `${name}.example`, domain: `${IMG_NAME}.evil`, labels: {} },
    protocol: 'TCP',
    destinationPort: 443,
    verdict: index % 3 === 0 ? 'denied' : 'allowed',
    reporter: 'source',
    policyTrace: [{ kind: 'NetworkPolicy', namespace: 'default', name: SCRIPT_NAME, action: index % 3 === 0 ? 'deny' : 'allow', ruleIndex: 0, staged: false }],
    bytesOut: 1000,
    bytesIn: 2000,
    packetsOut: 1,
    packetsIn: 1,
    connections: 1,
    l7: { http: { method: 'GET', url: `/search?q=${SCRIPT_NAME}`, code: 200 } },
    format: 'native',
  });
}

test.describe('hostile flow data', () => {
  test.describe.configure({ mode: 'serial' });

  test('is stored through the collector and shown as text on every page', async ({ signedInPage: page, baseURL }) => {
    // A collector token through the settings API (the admin's session, with its CSRF token).
    const session = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
    const headers = { origin: baseURL ?? '', 'x-csrf-token': session.csrfToken };
    const registered = await page.request.post('/api/settings/clusters', { data: { name: CLUSTER }, headers });
    expect([201, 409]).toContain(registered.status());
    const minted = await page.request.post('/api/settings/tokens', { data: { clusterName: CLUSTER, name: 'hostile-e2e' }, headers });
    expect(minted.status(), await minted.text()).toBe(201);
    const { plaintext: token } = (await minted.json()) as { plaintext: string };

    const nowMs = Date.now();
    const body = Array.from({ length: 40 }, (_, index) => hostileLine(index, nowMs)).join('\n') + '\n';
    const ingest = await page.request.post(`http://127.0.0.1:${E2E_COLLECTOR_PORT}/v1/flows?format=native`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': `hostile-${nowMs}` },
      data: body,
    });
    expect(ingest.status(), await ingest.text()).toBe(200);
    expect(((await ingest.json()) as { accepted: number }).accepted).toBe(40);

    const violations: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    for (const path of ['/', `/graph?cluster=${CLUSTER}&range=1h`, `/flows?cluster=${CLUSTER}&range=1h`, `/flows?cluster=${CLUSTER}&range=1h&verdict=denied`]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      await page.waitForLoadState('networkidle');
      // Let client-side data arrive and render (graph layout, table rows).
      await page.waitForTimeout(0);
      await expect.poll(() => page.evaluate(() => document.querySelectorAll('[data-state="layout"], [data-state="loading"]').length), { timeout: 30_000 }).toBe(0);

      const injected = await page.evaluate(() => ({
        xss: (window as unknown as { __flowlensXss?: number }).__flowlensXss ?? null,
        injectedElements: document.querySelectorAll('[data-injected], img[src="x"], svg[onload], [onerror], [onload]').length,
        scriptsWithPayload: [...document.querySelectorAll('script')].filter((script) => script.textContent?.includes('__flowlensXss')).length,
        boldOrItalicFromData: [...document.querySelectorAll('b, i')].filter((element) => ['bold', 'ns'].includes(element.textContent ?? '')).length,
      }));
      expect(injected, path).toEqual({ xss: null, injectedElements: 0, scriptsWithPayload: 0, boldOrItalicFromData: 0 });
    }

    // Where the names are shown, they are shown literally (the flows table lists the hostile workloads).
    await page.goto(`/flows?cluster=${CLUSTER}&range=1h`);
    await expect.poll(async () => (await page.locator('body').innerText()).includes('<script>'), { timeout: 30_000 }).toBe(true);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
  });

  test('the API returns the names as data, unchanged', async ({ signedInPage: page }) => {
    const response = await page.request.get(`/api/flows?cluster=${CLUSTER}&range=1h`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/json');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    const text = await response.text();
    expect(text).toContain('<script>window.__flowlensXss=1</script>');
  });
});

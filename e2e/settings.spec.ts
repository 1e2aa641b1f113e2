/**
 * Settings and audit through the UI (admin), and the strict CSP in a real browser: every page renders
 * with no Content-Security-Policy violation in the console.
 */
import { expect, test } from './support/fixtures';

const RUN = Date.now().toString(36);

test.describe('settings', () => {
  test('an admin adds a user, registers a cluster, mints and revokes a token; the audit log shows it', async ({ signedInPage: page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

    // A user with a generated password, shown once.
    await page.getByLabel('Username').fill(`ui-${RUN}`);
    await page.locator('#new-role').selectOption('sre');
    await page.getByLabel('Namespaces (empty: all)').fill('prod-east/chat');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByTestId('secret-once')).toContainText(`Password for ui-${RUN}`);
    await expect(page.getByTestId('secret-value')).toHaveText(/^[A-Za-z0-9_-]{24}$/);
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId(`user-row-ui-${RUN}`);
    await expect(row).toContainText('prod-east/chat');
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('disabled');

    // A cluster and a token for it; the token is shown once with how to send.
    await page.getByLabel('Cluster name').fill(`ui-${RUN}`);
    await page.getByRole('button', { name: 'Register cluster' }).click();
    await expect(page.getByTestId('settings-clusters')).toContainText(`ui-${RUN}`);
    await page.locator('#token-cluster').selectOption(`ui-${RUN}`);
    await page.getByLabel('Token name').fill('from the ui');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByTestId('secret-value')).toHaveText(/^flk_/);
    const token = (await page.getByTestId('secret-value').textContent()) ?? '';
    await expect(page.getByTestId('how-to-send')).toContainText('/v1/flows');
    await page.getByRole('button', { name: 'Done' }).click();
    const tokenRow = page.getByTestId(`token-row-${token.slice(0, 10)}`);
    await expect(tokenRow).toContainText('never used');
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await expect(tokenRow).toContainText('revoked');

    await page.goto('/settings/audit');
    const table = page.getByTestId('audit-table');
    await expect(table).toContainText('token.revoke');
    await expect(table).toContainText('user.disable');
    await expect(table).toContainText(`ui-${RUN}`);
    await page.getByLabel('Action starts with').fill('token.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(table).not.toContainText('user.create');
    const csv = await page.request.get('/api/settings/audit/export?action=token.');
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toMatch(/^time_utc,actor,action,target,ip,details\r\n/);
    expect(violations).toEqual([]);
  });

  test('every page renders under the strict CSP with no violation', async ({ signedInPage: page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => violations.push(`${page.url()}: ${error.message}`));
    for (const path of ['/', '/graph', '/flows', '/genai', '/policies', '/settings', '/settings/audit', '/report']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("'strict-dynamic'");
      await page.waitForLoadState('networkidle');
      // The signed-in frame rendered (the printable report has none).
      if (path !== '/report') await expect(page.getByTestId('signed-in-user')).toBeVisible();
    }
    // Leave the signed-in page first: its polling would meet a 401 and navigate to /login itself,
    // aborting the goto below (net::ERR_ABORTED).
    await page.goto('about:blank');
    await page.context().clearCookies();
    await page.goto('/login');
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });
});

import { expect, test } from './support/fixtures';

/**
 * The SRE's path through /flows on the demo: arrive on denied flows from the navigation, narrow to the
 * payments namespace, find the compromised chat-ui probing payments-db with the denying policy named,
 * read the explanation in the drawer, reload the URL, and export exactly the table's rows.
 */
test.describe('flows', () => {
  test('from the nav to the denying policy of chat-ui → payments-db, reproducible and exportable', async ({ signedInPage: page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
    await expect(page).toHaveURL(/\/flows$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
    // Denied by default on arrival. (Scoped to the filter bar: the table's column chooser has a "Verdict" checkbox too.)
    const filters = page.getByTestId('flow-filter-bar');
    await expect(filters.getByLabel('Verdict')).toHaveValue('');
    await expect(filters.getByLabel('Verdict').locator('option:checked')).toHaveText('denied');
    await expect(page.getByTestId('flow-table')).toHaveAttribute('data-state', 'ready');
    await expect.poll(async () => page.getByTestId('flow-row').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    for (const verdict of await page.getByTestId('flow-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-verdict')))) {
      expect(verdict).toBe('denied');
    }

    // Narrow to the payments namespace over the demo's backfill, ending a little in the past so late reports cannot move the count.
    await filters.getByLabel('Time range').selectOption('6h');
    await filters.getByLabel('Namespace (either end)').fill('payments');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/ns=payments/);
    await expect(page.getByTestId('flow-table')).toHaveAttribute('data-state', 'ready');
    const probe = page.getByTestId('flow-row').filter({ hasText: 'chat/chat-ui' }).filter({ hasText: 'payments/payments-db' }).first();
    await expect(probe).toBeVisible({ timeout: 30_000 });
    await expect(probe).toContainText(/denied (at|by)/);
    await expect(probe).toContainText(/`?payments\//);

    // The drawer explains it in words.
    await probe.click();
    const drawer = page.getByTestId('flow-drawer');
    await expect(drawer).toHaveAttribute('data-state', 'ready');
    await expect(drawer.getByTestId('trace-summary')).toContainText(/^denied/);
    await expect(drawer.getByTestId('trace-summary')).toContainText('payments');
    await expect(drawer.getByRole('link', { name: 'This edge on the graph' })).toHaveAttribute('href', /^\/graph\?/);

    // The URL reproduces the view, drawer included.
    const url = page.url();
    await page.reload();
    await expect(page).toHaveURL(url);
    await expect(filters.getByLabel('Namespace (either end)')).toHaveValue('payments');
    await expect(page.getByTestId('flow-drawer')).toHaveAttribute('data-state', 'ready');
    await page.getByRole('button', { name: 'Close flow detail' }).click();

    // Export: a CSV with exactly the table's total. Pin a window that has ended so the count is stable.
    const toMs = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;
    const fromMs = toMs - 3 * 3_600_000;
    await page.goto(`/flows?range=custom&from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}&ns=payments`);
    await expect(page.getByTestId('flow-histogram')).toHaveAttribute('data-state', 'ready');
    const total = Number((await page.getByTestId('flow-total').textContent())?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(0);
    const downloadPromise = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^flows-.*\.csv$/);
    const stream = await download.createReadStream();
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    const rows = text.trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(total);
  });

  test('hostile filters get a clear 4xx, never a 500', async ({ signedInPage: page }) => {
    for (const query of ['bogus=1', `q=${'x'.repeat(10_240)}`, 'port=1%20or%201=1', 'srcIp=999.1.1.1/99']) {
      const response = await page.request.get(`/api/flows?${query}`);
      expect(response.status(), query.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(response.status(), query.slice(0, 40)).toBeLessThan(500);
    }
    const literal = await page.request.get(`/api/flows?q=${encodeURIComponent("' or 1=1 --")}`);
    expect(literal.status()).toBe(200);
  });
});

/**
 * /graph on the demo data: both clusters render, the denied overlay marks the compromised chat-ui →
 * payments-db edge, llm workloads carry the unprotected badge, an edge's panel shows its policy trace and
 * evidence flows, and reloading the URL restores the view. Waits on data-state and test ids only.
 */
import { expect, test } from './support/fixtures';

const ready = '[data-testid="service-graph"][data-state="ready"]';

for (const cluster of ['prod-east', 'prod-west']) {
  test(`renders ${cluster} with the denied chat-ui → payments-db edge and unprotected llm workloads`, async ({ signedInPage: page }) => {
    await page.goto('/graph?range=24h&level=workload');
    await expect(page.locator(ready)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId(`graph-group-${cluster}/chat`)).toBeVisible();

    const denied = page.getByTestId(`graph-edge-${cluster}/chat/workload/chat-ui->${cluster}/payments/workload/payments-db:*/*`);
    await expect(denied).toHaveAttribute('data-verdict', 'denied');
    await expect(denied).toHaveAttribute('data-overlay', 'denied');

    const vllm = page.getByTestId(`graph-node-${cluster}/llm/workload/vllm`);
    await expect(vllm).toHaveAttribute('data-unprotected', 'true');
    await expect(page.getByTestId(`graph-badge-unprotected-${cluster}/llm/workload/vllm`)).toBeVisible();
  });
}

test('clicking an edge shows its policy trace and evidence flows; the URL restores the view', async ({ signedInPage: page }) => {
  await page.goto('/graph?range=24h&level=workload&cluster=prod-east');
  await expect(page.locator(ready)).toBeVisible({ timeout: 30_000 });
  const edgeId = 'prod-east/chat/workload/chat-ui->prod-east/payments/workload/payments-db:*/*';
  await page.getByTestId(`graph-edge-${edgeId}`).click();

  const panel = page.getByTestId('graph-edge-panel');
  await expect(panel.getByTestId('graph-policy-trace')).toContainText('denied by NetworkPolicy `payments/default-deny`');
  await expect(panel.getByTestId('graph-evidence').locator('li').first()).toBeVisible();
  await expect(panel.getByTestId('graph-flows-link')).toHaveAttribute('href', /\/flows\?.*srcWorkload=chat-ui.*dstWorkload=payments-db/);
  await expect(page).toHaveURL(/edge=/);

  // Overlay toggle and selection live in the URL: a reload restores both.
  await page.getByTestId('graph-hide-infrastructure').check();
  await expect(page).toHaveURL(/hideInfra=1/);
  const url = page.url();
  await page.reload();
  await expect(page.locator(ready)).toBeVisible({ timeout: 30_000 });
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('graph-hide-infrastructure')).toBeChecked();
  await expect(page.getByTestId('graph-cluster-picker')).toHaveValue('prod-east');
  await expect(page.getByTestId('graph-edge-panel').getByTestId('graph-policy-trace')).toBeVisible();
  await expect(page.getByTestId('graph-node-prod-east/kube-system/workload/coredns')).toHaveCount(0);
});

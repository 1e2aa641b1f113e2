/**
 * /graph on the demo data: both clusters render, the denied overlay marks the compromised chat-ui →
 * payments-db edge, llm workloads carry the unprotected badge, an edge's panel shows its policy trace and
 * evidence flows, reloading the URL restores the view, `?highlight=` (links from /genai) lights a path and the
 * GenAI overlay badges GenAI workloads. Waits on data-state and test ids only.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

/**
 * Clicks an SVG edge with the mouse where it is not covered by another edge (edges leaving one node overlap
 * near it, and the centre of an edge's box is not on the edge when it runs diagonally).
 */
async function clickEdge(page: Page, edge: Locator): Promise<void> {
  const point = await edge.evaluate((group) => {
    const line = group.querySelector('line:not(.graph-edge-hit)');
    const matrix = line instanceof SVGLineElement ? line.getScreenCTM() : null;
    if (!(line instanceof SVGLineElement) || !matrix) return null;
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
      const x = line.x1.baseVal.value + (line.x2.baseVal.value - line.x1.baseVal.value) * t;
      const y = line.y1.baseVal.value + (line.y2.baseVal.value - line.y1.baseVal.value) * t;
      const screen = { x: matrix.a * x + matrix.c * y + matrix.e, y: matrix.b * x + matrix.d * y + matrix.f };
      if (document.elementFromPoint(screen.x, screen.y)?.closest('[data-testid^="graph-edge-"]') === group) return screen;
    }
    return null;
  });
  expect(point, 'some point of the edge is not covered by another edge').not.toBeNull();
  if (point) await page.mouse.click(point.x, point.y);
}

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
  await clickEdge(page, page.getByTestId(`graph-edge-${edgeId}`));

  const panel = page.getByTestId('graph-edge-panel');
  await expect(panel.getByTestId('graph-policy-trace')).toContainText('denied by NetworkPolicy `payments/default-deny`');
  await expect(panel.getByTestId('graph-evidence').locator('li').first()).toBeVisible();
  await expect(panel.getByTestId('graph-flows-link')).toHaveAttribute('href', /\/flows\?.*srcWorkload=chat-ui.*dstWorkload=payments-db/);
  await expect(page).toHaveURL(/edge=/);

  // Overlay toggle and selection live in the URL: a reload restores both.
  // The toggles are controlled by the URL (router.replace), so click and wait rather than check().
  await page.getByTestId('graph-hide-infrastructure').click();
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

test('highlight= lights the linked nodes and the edges between them; the GenAI overlay badges GenAI workloads', async ({ signedInPage: page }) => {
  const chatUi = 'prod-east/chat/workload/chat-ui';
  const paymentsDb = 'prod-east/payments/workload/payments-db';
  await page.goto(`/graph?range=24h&level=workload&cluster=prod-east&highlight=${encodeURIComponent(`${chatUi},${paymentsDb}`)}`);
  await expect(page.locator(ready)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('graph-highlight-note')).toContainText('Highlighting 2 of 2 nodes');
  await expect(page.getByTestId(`graph-node-${chatUi}`)).toHaveAttribute('data-highlight', 'true');
  await expect(page.getByTestId(`graph-edge-${chatUi}->${paymentsDb}:*/*`)).toHaveAttribute('data-highlight', 'true');
  await expect(page.getByTestId('graph-node-prod-east/llm/workload/vllm')).toHaveClass(/is-dim/);

  // The GenAI overlay (on by default for analysts and admins) marks the inference server.
  await expect(page.getByTestId('graph-genai-prod-east/llm/workload/vllm')).toContainText('LLM');
  await page.getByTestId('graph-overlay-genai').click();
  await expect(page.getByTestId('graph-overlay-genai')).not.toBeChecked();
  await expect(page.getByTestId('graph-genai-prod-east/llm/workload/vllm')).toHaveCount(0);
});

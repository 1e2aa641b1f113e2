import { expect, test } from './support/fixtures';

const DEMO_CLUSTERS = ['prod-east', 'prod-west'];

test.describe('overview', () => {
  test('shows flows from both demo clusters', async ({ signedInPage: page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByTestId('overview')).toHaveAttribute('data-state', 'ready');
    for (const cluster of DEMO_CLUSTERS) {
      const card = page.getByTestId(`cluster-card-${cluster}`);
      // The demo backfills 6 h and streams; the page refetches every 10 s, so wait for a non-zero count.
      await expect
        .poll(async () => Number((await card.getAttribute('data-flows-24h')) ?? '0'), {
          message: `${cluster} shows flows over the last 24 h`,
          timeout: 60_000,
        })
        .toBeGreaterThan(0);
      await expect(card.getByRole('heading', { name: cluster })).toBeVisible();
      await expect(card.getByTestId('cluster-last-flow')).toHaveText(/ago$/);
      await expect(page.getByTestId(`flow-volume-chart-${cluster}`)).toBeVisible();
    }
    // Other specs may register clusters of their own in the shared stack: at least the demo's two.
    const clusters = Number(((await page.getByTestId('total-clusters').textContent()) ?? '').replace(/\D+/g, ''));
    expect(clusters).toBeGreaterThanOrEqual(DEMO_CLUSTERS.length);
  });

  test('the overview API returns both demo clusters with flows', async ({ signedInPage: page }) => {
    await expect
      .poll(
        async () => {
          const response = await page.request.get('/api/overview');
          if (!response.ok()) return [];
          const body = (await response.json()) as { clusters: { name: string; flowsLast24h: number }[] };
          return body.clusters.filter((cluster) => cluster.flowsLast24h > 0).map((cluster) => cluster.name).sort();
        },
        { timeout: 60_000 },
      )
      .toEqual(expect.arrayContaining(DEMO_CLUSTERS));
  });

  test('every section page renders for a signed-in user', async ({ signedInPage: page }) => {
    for (const [path, heading] of [
      ['/graph', 'Graph'],
      ['/flows', 'Flows'],
      ['/genai', 'GenAI'],
      ['/policies', 'Policies'],
      ['/settings', 'Settings'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.getByRole('link', { name: heading })).toHaveAttribute('aria-current', 'page');
    }
  });
});

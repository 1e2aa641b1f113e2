import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from './support/fixtures';

const DEMO_CLUSTERS = ['prod-east', 'prod-west'];

/**
 * The text a PDF names: with pdftotext (poppler) when installed, else the document's title from the
 * Info dictionary (Chromium writes the page <title> there, as a literal or a UTF-16BE hex string) —
 * page text itself is glyph-encoded in compressed streams.
 */
function pdfText(pdf: Buffer): string {
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-pdf-'));
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch {
    const raw = pdf.toString('latin1');
    const literal = /\/Title\s*\(((?:\\.|[^\\)])*)\)/.exec(raw)?.[1];
    if (literal !== undefined) return literal.replace(/\\(.)/g, '$1');
    const hex = /\/Title\s*<([0-9A-Fa-f\s]+)>/.exec(raw)?.[1]?.replace(/\s/g, '') ?? '';
    const bytes = Buffer.from(hex, 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
}

test.describe('posture summary', () => {
  test('the overview shows a score with its reasons, a trend, llm among the top risks and the PII-to-LLM finding', async ({ signedInPage: page }) => {
    await page.goto('/');
    const posture = page.getByTestId('posture');
    await expect(posture).toHaveAttribute('data-state', 'ready');
    // The first snapshot is computed on demand or by the collector's job; the page refetches every minute.
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await page.getByTestId('posture-score').getAttribute('data-score')) ?? '';
        },
        { timeout: 120_000, intervals: [2_000, 5_000, 10_000] },
      )
      .toMatch(/^\d+$/);
    const score = Number(await page.getByTestId('posture-score').getAttribute('data-score'));
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);

    // Reasons: seven components, each with words and a link to its evidence.
    const reasons = page.getByTestId('posture-reasons').getByRole('listitem');
    await expect(reasons).toHaveCount(7);
    const coverage = page.getByTestId('posture-component-workload-coverage');
    await expect(coverage).toContainText('Workloads covered by policy');
    await expect(coverage).toContainText(/of \d+ workloads/);
    await expect(coverage.getByRole('link', { name: /Evidence in policies/ })).toHaveAttribute('href', /^\/policies/);
    await expect(page.getByTestId('posture-component-genai-findings').getByRole('link')).toHaveAttribute('href', /^\/genai/);
    await expect(page.getByTestId('posture-component-denied-trend').getByRole('link')).toHaveAttribute('href', /^\/flows\?.*verdict=denied/);

    // Trend: the score chart has at least one daily point (the stack backfills 6 h).
    await expect(page.getByTestId('trend-chart-score')).toBeVisible();
    expect(Number(await page.getByTestId('trend-chart-score').getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('trend-chart-coverage')).toBeVisible();

    // llm (no policy at all) is among the top risks with its default-deny action.
    const llm = page.locator('[data-testid="posture-risk"][data-namespace="llm"]').first();
    await expect(llm).toBeVisible();
    await expect(llm.getByTestId('posture-risk-action')).toContainText(/add a default-deny policy to llm: covers \d+ workloads?/);

    // The PII → external LLM finding is surfaced.
    const pii = page.getByTestId('finding-sensitive-data-to-external-llm');
    await expect(pii).toBeVisible();
    await expect(pii).toContainText('api.openai.com');

    // Several clusters: compared side by side.
    for (const cluster of DEMO_CLUSTERS) await expect(page.getByTestId(`posture-cluster-${cluster}`)).toBeVisible();
  });

  test('the printable report states period, clusters and time; the PDF and CSV download', async ({ signedInPage: page }) => {
    await page.goto('/report?period=30d');
    await expect(page.getByTestId('report')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByTestId('report-period')).toContainText('last 30 days');
    for (const cluster of DEMO_CLUSTERS) await expect(page.getByTestId('report-clusters')).toContainText(cluster);
    await expect(page.getByTestId('report-meta')).toContainText(/Made\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    await page.goto('/');
    await expect(page.getByTestId('posture')).toHaveAttribute('data-state', 'ready');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('report-pdf-link').click()]);
    expect(download.suggestedFilename()).toMatch(/^flowlens-posture-30d-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = Buffer.from(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks as Buffer[])));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const cluster of DEMO_CLUSTERS) expect(text).toContain(cluster);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);

    const csv = await page.request.get('/api/report/csv?period=7d');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^day,cluster,score,coverage_pct,denied_flows/);
    expect(lines.length).toBeGreaterThanOrEqual(1 + DEMO_CLUSTERS.length);
    // One row per cluster and day: every demo cluster appears, no (day, cluster) pair twice.
    const keys = lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','));
    expect(new Set(keys).size).toBe(keys.length);
    for (const cluster of DEMO_CLUSTERS) expect(keys.some((key) => key.endsWith(`,${cluster}`))).toBe(true);
  });
});

/**
 * /genai on the demo data: vLLM, TEI (embed and rerank), Qdrant, rag-api and api.openai.com are classified
 * with evidence; the "rag-api reads the PII database … and sends to api.openai.com" finding is raised with
 * its path and a graph link highlighting it; the unprotected `llm` namespace is flagged; the compromised
 * chat-ui's denied probes show up; the graph overlay API names roles, sensitivity and paths.
 * Waits on data-state and test ids only.
 */
import { expect, test } from './support/fixtures';

const ready = '[data-testid="genai-view"][data-state="ready"]';

test('classifies the demo GenAI components with their evidence', async ({ signedInPage: page }) => {
  await page.goto('/genai?cluster=prod-east');
  await expect(page.locator(ready)).toBeVisible({ timeout: 60_000 });
  const expected: [string, string][] = [
    ['prod-east/llm/workload/vllm', 'llm-inference'],
    ['prod-east/llm/workload/tei-embed', 'embedding'],
    ['prod-east/llm/workload/tei-rerank', 'reranker'],
    ['prod-east/vectordb/workload/qdrant', 'vector-db'],
    ['prod-east/chat/workload/rag-api', 'rag-app'],
    ['prod-east/-/external/api.openai.com', 'external-llm-api'],
  ];
  for (const [id, role] of expected) {
    const row = page.locator(`[data-testid="genai-component"][data-node-id="${id}"]`);
    await expect(row, id).toHaveAttribute('data-roles', new RegExp(`(^|,)${role}(,|$)`));
    const evidence = row.getByTestId('genai-component-evidence');
    await evidence.locator('summary').click();
    await expect(evidence.locator('li').first()).toBeVisible();
  }
  // The PII database carries its sensitivity badge.
  await expect(page.locator('[data-testid="genai-component"][data-node-id="prod-east/data/workload/postgres"]').getByTestId('genai-sensitivity')).toHaveText(/PII/);
});

test('raises the PII → external LLM finding with its path and a highlighted graph link', async ({ signedInPage: page }) => {
  await page.goto('/genai?cluster=prod-east');
  await expect(page.locator(ready)).toBeVisible({ timeout: 60_000 });
  const finding = page.locator('[data-testid="genai-finding"][data-kind="sensitive-data-to-external-llm"]').first();
  await expect(finding).toContainText(/rag-api reads the PII database .* and sends to api\.openai\.com/);
  await expect(finding).toHaveAttribute('data-severity', 'critical');
  await expect(finding.locator('[data-testid="genai-path-node"][data-node-id="prod-east/chat/workload/rag-api"]')).toBeVisible();
  await expect(finding.locator('[data-testid="genai-path-node"][data-node-id="prod-east/-/external/api.openai.com"]')).toBeVisible();
  await expect(finding.getByTestId('genai-finding-graph-link')).toHaveAttribute('href', /\/graph\?.*highlight=prod-east%2Fdata%2Fworkload%2F.*prod-east%2Fchat%2Fworkload%2Frag-api/);
  await expect(finding.getByTestId('genai-finding-flows-link')).toHaveAttribute('href', /\/flows\?.*srcWorkload=rag-api/);

  // The path to the LLM API is drawn as a chain ending at api.openai.com, its last hop allowed by no policy.
  const path = page.locator('[data-testid="genai-path"][data-target="external-llm-api"]').first();
  await expect(path).toHaveAttribute('data-path', /prod-east\/chat\/workload\/rag-api,prod-east\/-\/external\/api\.openai\.com$/);
  await expect(path.getByTestId('genai-hop').last()).toContainText('no policy');
  await path.getByTestId('genai-hop').first().getByRole('button', { name: 'evidence flows' }).click();
  await expect(page.getByTestId('genai-hop-evidence')).toBeVisible();
});

test('flags the unprotected llm namespace and the compromised chat-ui probes; filters by severity', async ({ signedInPage: page }) => {
  await page.goto('/genai?cluster=prod-east');
  await expect(page.locator(ready)).toBeVisible({ timeout: 60_000 });
  const unprotected = page.locator('[data-testid="genai-finding"][data-kind="genai-unprotected"]');
  await expect(unprotected.first()).toContainText(/namespace llm/);
  const denied = page.locator('[data-testid="genai-finding"][data-kind="denied-attempt"]');
  await expect(denied.first()).toContainText(/chat-ui was denied \d+ times/);
  await expect(denied.first().locator('[data-testid="genai-path-node"][data-node-id="prod-east/payments/workload/payments-db"]')).toBeVisible();

  await page.getByRole('button', { name: /^critical \(/ }).click();
  await expect(page).toHaveURL(/severity=critical/);
  await expect(page.locator(ready)).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[data-testid="genai-finding"]:not([data-severity="critical"])')).toHaveCount(0);
  await expect(page.locator('[data-testid="genai-finding"][data-severity="critical"]').first()).toBeVisible();
});

test('the graph overlay API gives roles, sensitivity and paths by graph node id', async ({ signedInPage: page }) => {
  const response = await page.request.get('/api/genai/overlay?cluster=prod-east');
  expect(response.status()).toBe(200);
  const overlay = (await response.json()) as { roles: Record<string, string[]>; sensitivity: Record<string, string>; paths: string[][] };
  expect(overlay.roles['prod-east/llm/workload/vllm']).toContain('llm-inference');
  expect(overlay.roles['prod-east/-/external/api.openai.com']).toContain('external-llm-api');
  expect(overlay.sensitivity['prod-east/data/workload/postgres']).toBeDefined();
  expect(overlay.paths.some((path) => path.at(-1) === 'prod-east/-/external/api.openai.com' && path.includes('prod-east/chat/workload/rag-api'))).toBe(true);
});

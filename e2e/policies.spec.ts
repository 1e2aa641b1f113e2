/**
 * /policies on the demo data: coverage lists the llm workloads as unprotected; a what-if adding default
 * deny (ingress + egress) to llm lists exactly the edges into and out of llm, all allowed → denied; the
 * recommendation for rag-api is a well-formed least-privilege NetworkPolicy (its round trip through the
 * evaluator is proven in core/policy/recommend-policy.test.ts); the explanation opens from URL params.
 * Waits on test ids and data-state only.
 */
import { parse } from 'yaml';
import { expect, test } from './support/fixtures';

const LLM_DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: llm
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

test('coverage lists the llm workloads as unprotected', async ({ signedInPage: page }) => {
  await page.goto('/policies?cluster=prod-east');
  const table = page.getByTestId('coverage-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  for (const workload of ['llm/vllm', 'llm/tei-embed', 'llm/tei-rerank']) {
    await expect(table.locator(`[data-workload="${workload}"]`)).toHaveAttribute('data-unprotected', 'true');
  }
  await expect(table.locator('[data-workload="payments/payments-db"]')).toHaveAttribute('data-unprotected', 'false');
  await expect(page.getByTestId('namespace-table').locator('[data-namespace="llm"]')).toContainText('none');
});

test('what-if: default deny on llm lists exactly the edges into and out of llm that would break', async ({ signedInPage: page }) => {
  await page.goto('/policies?cluster=prod-east&range=24h');
  await expect(page.getByTestId('coverage-table')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('what-if-yaml').fill(LLM_DEFAULT_DENY);
  await page.getByTestId('what-if-run').click();
  const results = page.locator('[data-testid="what-if-results"][data-state="ready"]');
  await expect(results).toBeVisible({ timeout: 60_000 });
  const rows = results.getByTestId('what-if-edge');
  await expect(rows.first()).toBeVisible();
  const edges = await rows.evaluateAll((elements) => elements.map((element) => ({ edge: element.getAttribute('data-edge') ?? '', after: element.getAttribute('data-after') })));
  const touchesLlm = (edge: string): boolean => {
    const [source = '', rest = ''] = edge.split('->');
    const destination = rest.replace(/:\d+\/[A-Z]+$/, '');
    return source.startsWith('llm/') || destination.startsWith('llm/');
  };
  // Every listed edge goes into or out of llm and breaks…
  for (const { edge, after } of edges) {
    expect(touchesLlm(edge), edge).toBe(true);
    expect(after, edge).toBe('denied');
  }
  // …and the demo's edges into llm (and llm's own DNS lookups) are all there.
  const listed = edges.map(({ edge }) => edge);
  for (const expected of ['chat/rag-api->llm/vllm:8000/TCP', 'chat/rag-api->llm/tei-embed:80/TCP', 'chat/rag-api->llm/tei-rerank:80/TCP']) {
    expect(listed).toContain(expected);
  }
  expect(listed.some((edge) => edge.startsWith('llm/vllm->'))).toBe(true);
  expect(listed).not.toContain('chat/chat-ui->chat/rag-api:8000/TCP');
  await expect(results.getByTestId('what-if-changed-count')).toHaveText(String(edges.length));
  await expect(results.getByTestId('what-if-table')).toContainText("NetworkPolicy 'llm/default-deny'");
});

test('the recommendation for rag-api is a least-privilege NetworkPolicy with evidence', async ({ signedInPage: page }) => {
  await page.goto('/policies?cluster=prod-east&recommend=chat/rag-api&rrange=24h');
  const yamlBlock = page.getByTestId('recommend-yaml');
  await expect(yamlBlock).toBeVisible({ timeout: 60_000 });
  const manifest = parse((await yamlBlock.textContent()) ?? '') as {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
    spec: {
      podSelector: { matchLabels: Record<string, string> };
      policyTypes: string[];
      ingress: Array<{ from: Array<Record<string, { matchLabels: Record<string, string> }>>; ports: Array<{ protocol: string; port: number }> }>;
      egress: Array<{ to: Array<Record<string, { matchLabels?: Record<string, string>; cidr?: string }>>; ports: Array<{ protocol: string; port: number }> }>;
    };
  };
  expect(manifest).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'rag-api-least-privilege', namespace: 'chat' } });
  expect(manifest.spec.podSelector.matchLabels).toEqual({ app: 'rag-api' });
  expect(manifest.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  const fromChatUi = manifest.spec.ingress.find((rule) => rule.from[0]?.podSelector?.matchLabels.app === 'chat-ui');
  expect(fromChatUi?.from[0]?.namespaceSelector?.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'chat' });
  expect(fromChatUi?.ports).toEqual([{ protocol: 'TCP', port: 8000 }]);
  const toVllm = manifest.spec.egress.find((rule) => rule.to[0]?.podSelector?.matchLabels?.app === 'vllm');
  expect(toVllm?.ports).toEqual([{ protocol: 'TCP', port: 8000 }]);
  const dns = manifest.spec.egress.find((rule) => rule.to[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'kube-system');
  expect(dns?.ports).toContainEqual({ protocol: 'UDP', port: 53 });
  for (const rule of manifest.spec.egress) {
    for (const peer of rule.to) if (peer.ipBlock) expect(peer.ipBlock.cidr).toMatch(/\/32$/);
    for (const port of rule.ports) expect(port.port).toBeGreaterThan(0);
  }
  expect(JSON.stringify(manifest)).not.toContain('pod-template-hash');
  await expect(page.getByTestId('recommendation-rule').first()).toBeVisible();
  await expect(page.getByTestId('recommend-download')).toHaveAttribute('href', /format=yaml/);
});

test('the explanation opens from URL params, as the graph and the flow explorer link it', async ({ signedInPage: page }) => {
  await page.goto('/policies?cluster=prod-east&src=chat/chat-ui&dst=payments/payments-db&port=5432&protocol=TCP&range=24h');
  const panel = page.getByTestId('policy-explain');
  await expect(panel.locator('[data-state="ready"]')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('explain-policy-verdict')).toHaveText('denied');
  await expect(panel).toContainText("NetworkPolicy 'payments/default-deny'");
});

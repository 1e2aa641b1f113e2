import { describe, expect, it } from 'vitest';
import { buildInventory, loadManifestDocuments } from '../inventory';
import { demoEndpoint, makeDemoLikeEdges, makeDemoLikeObjects } from '../testing';
import { evaluateFlow } from './evaluate-flow';
import { mergePolicySets, whatIf, type ObservedEdge } from './what-if';

const { inventory } = buildInventory(makeDemoLikeObjects());
const edges = makeDemoLikeEdges();

function proposal(yaml: string) {
  const loaded = loadManifestDocuments([{ path: 'proposal.yaml', text: yaml }]);
  expect(loaded.errors).toEqual([]);
  return loaded.inventory;
}

const LLM_DEFAULT_DENY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: llm }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

describe('whatIf', () => {
  it('observed demo traffic is what the current policies say (the fixture is consistent)', () => {
    for (const edge of edges) {
      if (edge.port === null) continue;
      const result = evaluateFlow(inventory, { source: edge.source, destination: edge.destination, protocol: edge.protocol, port: edge.port });
      expect(result.ok && result.value.verdict, `${edge.source.node} -> ${edge.destination.node}:${edge.port}`).toBe(edge.verdict);
    }
  });

  it.each([
    {
      name: 'default deny on llm breaks exactly the edges into and out of llm',
      yaml: LLM_DEFAULT_DENY,
      mode: 'merge' as const,
      changed: [
        'chat/rag-api->llm/tei-embed:80/TCP',
        'chat/rag-api->llm/tei-rerank:80/TCP',
        'chat/rag-api->llm/vllm:8000/TCP',
        'llm/vllm->18.239.50.80:443/TCP',
        'llm/vllm->kube-system/coredns:53/UDP',
        'monitoring/prometheus->llm/tei-embed:80/TCP',
        'monitoring/prometheus->llm/tei-rerank:80/TCP',
        'monitoring/prometheus->llm/vllm:8000/TCP',
      ],
      after: 'denied',
    },
    {
      name: 'allowing the compromised probe to postgres turns that denied edge allowed',
      yaml: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-chat-ui-debug, namespace: data }
spec:
  podSelector: { matchLabels: { app: postgres } }
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: chat } } }], ports: [{ port: 5432 }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-egress-postgres, namespace: chat }
spec:
  podSelector: { matchLabels: { app: chat-ui } }
  policyTypes: [Egress]
  egress: [{ to: [{ podSelector: {}, namespaceSelector: {} }] }, { to: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }]
`,
      mode: 'merge' as const,
      changed: ['chat/chat-ui->data/postgres:5432/TCP'],
      after: 'allowed',
    },
    {
      name: 'replacing a same-name policy with a narrower one: chat-ui loses rag-api',
      yaml: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-chat-ui, namespace: chat }
spec:
  podSelector: { matchLabels: { app: rag-api } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: chat-ui } } }], ports: [{ port: 9999 }] }]
`,
      mode: 'merge' as const,
      changed: ['chat/chat-ui->chat/rag-api:8000/TCP'],
      after: 'denied',
    },
    {
      name: 'replace-all with nothing restricting: every denied edge becomes allowed',
      yaml: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open, namespace: scratch }
spec: { podSelector: {} }
`,
      mode: 'replace' as const,
      changed: ['chat/chat-ui->data/postgres:5432/TCP', 'chat/chat-ui->payments/payments-db:5432/TCP'],
      after: 'allowed',
    },
  ])('$name', ({ yaml, mode, changed, after }) => {
    const proposed = mergePolicySets(inventory, proposal(yaml), mode);
    const result = whatIf({ inventory, current: inventory, proposed, edges });
    expect(result.changed.map((edge) => edge.edgeId).sort()).toEqual([...changed].sort());
    for (const edge of result.changed) {
      expect(edge.after.verdict).toBe(after);
      expect(edge.before.verdict).not.toBe(after);
      expect(edge.after.decidingText.length).toBeGreaterThan(0);
      expect(edge.examples.length).toBeGreaterThan(0);
    }
    const flows = result.changed.reduce((sum, edge) => sum + edge.flows, 0);
    expect(after === 'denied' ? result.newlyDeniedFlows : result.newlyAllowedFlows).toBe(flows);
  });

  it('names the rule that decides after the change', () => {
    const result = whatIf({ inventory, current: inventory, proposed: mergePolicySets(inventory, proposal(LLM_DEFAULT_DENY), 'merge'), edges });
    const vllm = result.changed.find((edge) => edge.edgeId === 'chat/rag-api->llm/vllm:8000/TCP');
    expect(vllm?.before.verdict).toBe('allowed');
    expect(vllm?.after.deciding.kind).toBe('default-deny');
    expect(vllm?.after.decidingText).toContain("NetworkPolicy 'llm/default-deny'");
    expect(vllm?.after.deciding.direction).toBe('Ingress');
    const out = result.changed.find((edge) => edge.edgeId === 'llm/vllm->kube-system/coredns:53/UDP');
    expect(out?.after.deciding.direction).toBe('Egress');
  });

  it('groups pods and external addresses of one edge, counts flows and keeps the busiest examples', () => {
    const many: ObservedEdge[] = [1, 2, 3, 4, 5].map((index) => ({
      source: { ...demoEndpoint('chat/rag-api'), detail: `rag-api-pod-${index}` },
      destination: demoEndpoint('llm/vllm'),
      port: 8000,
      protocol: 'TCP',
      verdict: 'allowed',
      flows: index * 10,
      lastSeenMs: index,
    }));
    const result = whatIf({ inventory, current: inventory, proposed: mergePolicySets(inventory, proposal(LLM_DEFAULT_DENY), 'merge'), edges: many, maxExamples: 2 });
    expect(result.changed).toHaveLength(1);
    expect(result.changed[0]).toMatchObject({ flows: 150, pairs: 5, observedAllowedFlows: 150, lastSeenMs: 5 });
    expect(result.changed[0]?.examples.map((example) => example.flows)).toEqual([50, 40]);
  });

  it('skips what Kubernetes policy cannot judge and says why', () => {
    const result = whatIf({ inventory, current: inventory, proposed: inventory, edges });
    expect(result.changed).toEqual([]);
    expect(result.skipped['invalid-port'] ?? result.skipped['unsupported-protocol']).toEqual({ edges: 1, flows: 3 });
    expect(result.evaluatedEdges).toBe(edges.length - 1);
  });
});

describe('mergePolicySets', () => {
  it('adds new policies and replaces same-name ones; replace keeps only the proposal', () => {
    const proposed = proposal(LLM_DEFAULT_DENY + '---\n' + 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: default-deny, namespace: data }\nspec: { podSelector: {}, policyTypes: [Ingress] }\n');
    const merged = mergePolicySets(inventory, proposed, 'merge');
    expect(merged.networkPolicies.length).toBe(inventory.networkPolicies.length + 1);
    expect(merged.networkPolicies.find((policy) => policy.namespace === 'data' && policy.name === 'default-deny')?.policyTypes).toEqual(['Ingress']);
    expect(mergePolicySets(inventory, proposed, 'replace').networkPolicies).toHaveLength(2);
  });
});

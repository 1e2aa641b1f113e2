import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildInventory, loadManifestDocuments } from '../inventory';
import { demoEndpoint, makeDemoLikeEdges, makeDemoLikeObjects } from '../testing';
import { collectPeers } from './collect-peers';
import { evaluateFlow, type FlowEndpointQuery } from './evaluate-flow';
import { recommendPolicy } from './recommend-policy';
import type { ObservedEdge } from './what-if';

const { inventory } = buildInventory(makeDemoLikeObjects());
const edges = makeDemoLikeEdges();

function recommendationOrThrow(namespace: string, workload: string) {
  const result = recommendPolicy({ inventory, target: { namespace, workload }, edges, windowLabel: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The recommended YAML loaded back as the only policy set: its verdict is the target side's verdict. */
function policiesFromYaml(yaml: string) {
  const loaded = loadManifestDocuments([{ path: 'recommended.yaml', text: yaml }]);
  expect(loaded.errors).toEqual([]);
  expect(loaded.inventory.networkPolicies).toHaveLength(1);
  return loaded.inventory;
}

const touches = (edge: ObservedEdge, node: string): boolean => edge.source.node === node || edge.destination.node === node;

describe('recommendPolicy round trip', () => {
  it.each(['chat/rag-api', 'chat/chat-ui', 'llm/vllm', 'monitoring/prometheus', 'payments/payments-api', 'kube-system/coredns'])(
    '%s: the YAML allows every observed allowed flow of the workload and nothing else observed',
    (node) => {
      const [namespace = '', workload = ''] = node.split('/');
      const recommendation = recommendationOrThrow(namespace, workload);
      const policies = policiesFromYaml(recommendation.yaml);
      const observedAllowed = new Set<string>();
      for (const edge of edges) {
        if (edge.port === null || !touches(edge, node)) continue;
        const result = evaluateFlow(inventory, { source: edge.source, destination: edge.destination, protocol: edge.protocol, port: edge.port }, policies);
        expect(result.ok && result.value.verdict, `${edge.source.node} -> ${edge.destination.node}:${edge.port}/${edge.protocol}`).toBe(edge.verdict);
        if (edge.verdict === 'allowed') observedAllowed.add(`${edge.source.node}|${edge.destination.node}|${edge.port}|${edge.protocol}`);
      }
      // Nothing else observed: every other (peer, port, protocol) seen anywhere in the window stays denied for this workload.
      const ports = [...new Set(edges.filter((edge) => edge.port !== null).map((edge) => `${edge.port}/${edge.protocol}`))];
      const others: Array<{ node: string; query: FlowEndpointQuery }> = [
        ...collectPeers(inventory).map((peer) => ({ node: `${peer.namespace}/${peer.workload?.name ?? ''}`, query: demoEndpoint(`${peer.namespace}/${peer.workload?.name ?? ''}`) as FlowEndpointQuery })),
        ...['198.51.100.7', '203.0.113.66', '162.159.140.245', '18.239.50.80', '192.0.2.1'].map((ip) => ({ node: ip, query: { ip } })),
      ];
      const self = demoEndpoint(node);
      for (const other of others) {
        for (const portProtocol of ports) {
          const [port = '0', protocol = 'TCP'] = portProtocol.split('/');
          for (const [source, destination, key] of [
            [self, other.query, `${node}|${other.node}|${port}|${protocol}`],
            [other.query, self, `${other.node}|${node}|${port}|${protocol}`],
          ] as const) {
            const result = evaluateFlow(inventory, { source, destination, protocol, port: Number(port) }, policies);
            expect(result.ok && result.value.verdict, key).toBe(observedAllowed.has(key) ? 'allowed' : 'denied');
          }
        }
      }
    },
  );
});

describe('recommendPolicy', () => {
  it('builds rag-api\'s policy: stable selectors, namespace by metadata.name, explicit ports, /32 for external peers', () => {
    const recommendation = recommendationOrThrow('chat', 'rag-api');
    const manifest = parse(recommendation.yaml) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string };
      spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: unknown[]; egress: Array<{ to: Array<Record<string, unknown>>; ports: unknown[] }> };
    };
    expect(manifest).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'rag-api-least-privilege', namespace: 'chat' } });
    expect(manifest.spec.podSelector.matchLabels).toEqual({ app: 'rag-api' });
    expect(manifest.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(manifest.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'chat' } }, podSelector: { matchLabels: { app: 'chat-ui' } } }], ports: [{ protocol: 'TCP', port: 8000 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 8000 }] },
    ]);
    const to = manifest.spec.egress.map((rule) => rule.to[0]);
    expect(to).toContainEqual({ ipBlock: { cidr: '162.159.140.245/32' } });
    expect(to).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'coredns' } } });
    const qdrant = manifest.spec.egress.find((rule) => JSON.stringify(rule.to).includes('qdrant'));
    expect(qdrant?.ports).toEqual([{ protocol: 'TCP', port: 6333 }, { protocol: 'TCP', port: 6334 }]);
    expect(JSON.stringify(manifest)).not.toContain('pod-template-hash');
  });

  it('carries the evidence behind each rule and comments it in the YAML', () => {
    const recommendation = recommendationOrThrow('chat', 'rag-api');
    const qdrant = recommendation.egress.find((rule) => rule.peer.node === 'vectordb/qdrant');
    expect(qdrant?.evidence.map((entry) => [entry.port, entry.flows])).toEqual([[6333, 510], [6334, 218]]);
    expect(qdrant?.flows).toBe(728);
    expect(recommendation.yaml).toContain('# to vectordb/qdrant: TCP/6333 510 flows, TCP/6334 218 flows; last seen');
    expect(recommendation.excluded).toContainEqual(expect.objectContaining({ direction: 'Egress', peer: 'llm/vllm', protocol: 'ICMP', reason: 'unsupported-protocol' }));
  });

  it('leaves denied attempts out and denies all of a direction never observed', () => {
    const recommendation = recommendationOrThrow('chat', 'chat-ui');
    expect(recommendation.excluded.filter((entry) => entry.reason === 'observed-denied').map((entry) => entry.peer).sort()).toEqual(['data/postgres', 'payments/payments-db']);
    const tei = recommendationOrThrow('llm', 'tei-embed');
    expect(tei.egress).toEqual([]);
    expect(tei.yaml).toMatch(/# no egress observed: all egress denied\n\s+egress: \[\]/);
  });

  it('reports an unknown workload', () => {
    const result = recommendPolicy({ inventory, target: { namespace: 'chat', workload: 'nope' }, edges });
    expect(result.ok ? undefined : result.error.kind).toBe('unknown-workload');
  });
});

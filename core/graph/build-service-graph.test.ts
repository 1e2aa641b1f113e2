import { describe, expect, it } from 'vitest';
import type { Coverage, DirectionCoverage } from '../policy/compute-coverage';
import { makeGraphEdgeRow as row } from '../testing/make-graph-edge-row';
import { buildServiceGraph } from './build-service-graph';
import { hideInfrastructure } from './hide-infrastructure';

const direction = (governed: boolean): DirectionCoverage => ({
  governed,
  networkPolicies: governed ? [{ kind: 'NetworkPolicy', namespace: 'x', name: 'p' }] : [],
  adminNetworkPolicies: [],
  baselineAdminNetworkPolicies: [],
});

/** Coverage for `test-cluster` from `namespace/name` → [ingress governed, egress governed]. */
function coverage(workloads: Record<string, [boolean, boolean]>): Record<string, Coverage> {
  return {
    'test-cluster': {
      namespaces: [],
      workloads: Object.entries(workloads).map(([key, [ingress, egress]]) => ({
        peer: `${key}[Deployment]`,
        namespace: key.split('/')[0] ?? '',
        ingress: direction(ingress),
        egress: direction(egress),
      })),
    },
  };
}

describe('buildServiceGraph: nodes and levels', () => {
  const rows = [
    row({ source: { pod: 'frontend-abc-1', ip: '10.0.0.1' }, destination: { pod: 'checkout-def-1' } }),
    row({ source: { pod: 'frontend-abc-2', ip: '10.0.0.2' }, destination: { pod: 'checkout-def-1' } }),
    row({ destination: { namespace: 'data', name: 'postgres', workloadKind: 'StatefulSet', pod: 'postgres-0' }, port: 5432 }),
  ];
  it.each([
    {
      name: 'workload level',
      options: { level: 'workload' as const },
      nodes: ['test-cluster/data/workload/postgres', 'test-cluster/shop/workload/checkout', 'test-cluster/shop/workload/frontend'],
      edges: ['test-cluster/shop/workload/frontend->test-cluster/data/workload/postgres:*/*', 'test-cluster/shop/workload/frontend->test-cluster/shop/workload/checkout:*/*'],
    },
    {
      name: 'namespace level drops intra-namespace edges',
      options: { level: 'namespace' as const },
      nodes: ['test-cluster/data/namespace/data', 'test-cluster/shop/namespace/shop'],
      edges: ['test-cluster/shop/namespace/shop->test-cluster/data/namespace/data:*/*'],
    },
    {
      name: 'namespace level with shop expanded',
      options: { level: 'namespace' as const, expandedNamespaces: ['test-cluster/shop'] },
      nodes: ['test-cluster/data/namespace/data', 'test-cluster/shop/workload/checkout', 'test-cluster/shop/workload/frontend'],
      edges: ['test-cluster/shop/workload/frontend->test-cluster/data/namespace/data:*/*', 'test-cluster/shop/workload/frontend->test-cluster/shop/workload/checkout:*/*'],
    },
    {
      name: 'workload level with shop collapsed',
      options: { level: 'workload' as const, collapsedNamespaces: ['test-cluster/shop'] },
      nodes: ['test-cluster/data/workload/postgres', 'test-cluster/shop/namespace/shop'],
      edges: ['test-cluster/shop/namespace/shop->test-cluster/data/workload/postgres:*/*'],
    },
    {
      name: 'pod level',
      options: { level: 'pod' as const },
      nodes: [
        'test-cluster/data/pod/postgres-0',
        'test-cluster/shop/pod/checkout-def-1',
        'test-cluster/shop/pod/frontend-abc-1',
        'test-cluster/shop/pod/frontend-abc-2',
        'test-cluster/shop/workload/frontend',
      ],
      edges: [
        'test-cluster/shop/pod/frontend-abc-1->test-cluster/shop/pod/checkout-def-1:*/*',
        'test-cluster/shop/pod/frontend-abc-2->test-cluster/shop/pod/checkout-def-1:*/*',
        'test-cluster/shop/workload/frontend->test-cluster/data/pod/postgres-0:*/*',
      ],
    },
    {
      name: 'auto picks namespaces past the workload limit',
      options: { level: 'auto' as const, autoWorkloadLimit: 2 },
      nodes: ['test-cluster/data/namespace/data', 'test-cluster/shop/namespace/shop'],
      edges: ['test-cluster/shop/namespace/shop->test-cluster/data/namespace/data:*/*'],
    },
  ])('$name', ({ options, nodes, edges }) => {
    const graph = buildServiceGraph({ rows, ...options });
    expect(graph.nodes.map((node) => node.id)).toEqual(nodes);
    expect(graph.edges.map((edge) => edge.id)).toEqual(edges);
  });

  it('groups nodes by namespace and keeps pod members for drill-down', () => {
    const graph = buildServiceGraph({ rows, level: 'workload' });
    expect(graph.groups.map((group) => [group.id, group.nodeIds.length, group.level])).toEqual([
      ['test-cluster/data', 1, 'workload'],
      ['test-cluster/shop', 2, 'workload'],
    ]);
    const frontend = graph.nodes.find((node) => node.name === 'frontend');
    expect(frontend?.members.map((member) => member.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});

describe('buildServiceGraph: external peers', () => {
  it.each([
    { name: 'named domain', destination: { kind: 'external' as const, namespace: null, name: 'pub', ip: '162.159.140.245', domain: 'api.openai.com' }, id: 'test-cluster/-/external/api.openai.com', group: 'domain' },
    { name: 'public IP', destination: { kind: 'external' as const, namespace: null, name: '203.0.113.66', ip: '203.0.113.66' }, id: 'test-cluster/-/external/internet', group: 'internet' },
    { name: 'Calico pub aggregate', destination: { kind: 'external' as const, namespace: null, name: 'pub' }, id: 'test-cluster/-/external/internet', group: 'internet' },
    { name: 'private network', destination: { kind: 'external' as const, namespace: null, name: 'pvt', ip: '10.200.0.4' }, id: 'test-cluster/-/external/private', group: 'private' },
    { name: 'network set', destination: { kind: 'networkset' as const, namespace: null, name: 'openai-api' }, id: 'test-cluster/-/networkset/openai-api', group: 'networkset' },
  ])('$name', ({ destination, id, group }) => {
    const graph = buildServiceGraph({ rows: [row({ destination: { workloadKind: null, ...destination }, port: 443 })], level: 'workload' });
    const node = graph.nodes.find((candidate) => candidate.id === id);
    expect(node?.externalGroup).toBe(group);
    expect(node?.groupId).toBe('test-cluster/~external');
    expect(node?.members[0]?.ip ?? null).toBe(destination.ip ?? null);
  });
});

describe('buildServiceGraph: edge metrics and overlays', () => {
  const payments = { namespace: 'payments', name: 'payments-db', workloadKind: 'StatefulSet' };
  it.each([
    {
      name: 'denied only',
      rows: [row({ destination: payments, verdict: 'denied', policyKey: 'NetworkPolicy||payments|default-deny|deny|-1' })],
      overlays: { denied: true, deniedOnly: true, allowedNoPolicy: false, wouldDeny: false, infrastructure: false },
    },
    {
      name: 'mixed verdicts',
      rows: [row({ destination: payments }), row({ destination: payments, verdict: 'denied', policyKey: '' })],
      overlays: { denied: true, deniedOnly: false, allowedNoPolicy: false, wouldDeny: false, infrastructure: false },
    },
    {
      name: 'allowed with no policy key',
      rows: [row({ policyKey: '' })],
      overlays: { denied: false, deniedOnly: false, allowedNoPolicy: true, wouldDeny: false, infrastructure: false },
    },
    {
      name: 'allowed by a Calico profile',
      rows: [row({ policyKey: 'Profile||| kns.shop|allow|0' }), row({ policyKey: 'Profile|__PROFILE__||__PROFILE__.kns.shop|allow|0' })],
      overlays: { denied: false, deniedOnly: false, allowedNoPolicy: true, wouldDeny: false, infrastructure: false },
    },
    {
      name: 'staged policy would deny',
      rows: [row({ pendingVerdict: 'denied' })],
      overlays: { denied: false, deniedOnly: false, allowedNoPolicy: false, wouldDeny: true, infrastructure: false },
    },
    {
      name: 'DNS is infrastructure',
      rows: [row({ destination: { namespace: 'kube-system', name: 'coredns' }, port: 53, protocol: 'UDP' })],
      overlays: { denied: false, deniedOnly: false, allowedNoPolicy: false, wouldDeny: false, infrastructure: true },
    },
    {
      name: 'monitoring scrapes are infrastructure',
      rows: [row({ source: { namespace: 'monitoring', name: 'prometheus' }, port: 9090 })],
      overlays: { denied: false, deniedOnly: false, allowedNoPolicy: false, wouldDeny: false, infrastructure: true },
    },
  ] as const)('$name', ({ rows, overlays }) => {
    const graph = buildServiceGraph({ rows: rows.map((entry) => ({ ...entry })), level: 'workload' });
    expect(graph.edges).toHaveLength(1);
    expect(graph.edges[0]?.overlays).toEqual(overlays);
  });

  it('sums counters, splits ports and verdicts, lists policies by flows', () => {
    const graph = buildServiceGraph({
      level: 'workload',
      rows: [
        row({ flows: 5, connections: 4, bytesOut: 10, bytesIn: 20 }),
        row({ flows: 7, port: 9090, verdict: 'denied', policyKey: 'NetworkPolicy||shop|default-deny|deny|-1', lastSeenMs: 1_704_067_260_000 }),
      ],
    });
    const edge = graph.edges[0];
    expect(edge).toMatchObject({ flows: 12, allowedFlows: 5, deniedFlows: 7, connections: 14, bytesOut: 1010, lastSeenMs: 1_704_067_260_000 });
    expect(edge?.ports.map((port) => [port.id.split(':').pop(), port.allowedFlows, port.deniedFlows])).toEqual([
      ['9090/TCP', 0, 7],
      ['8080/TCP', 5, 0],
    ]);
    expect(edge?.policies.map((policy) => [policy.hit?.name, policy.verdict, policy.flows])).toEqual([
      ['default-deny', 'denied', 7],
      ['allow-frontend', 'allowed', 5],
    ]);
  });

  it('flags unprotected workloads and allowed traffic between ends no policy selects', () => {
    const graph = buildServiceGraph({
      level: 'workload',
      rows: [row(), row({ source: { name: 'checkout' }, destination: { name: 'cart' } })],
      coverageByCluster: coverage({ 'shop/frontend': [false, false], 'shop/checkout': [true, false], 'shop/cart': [false, false] }),
    });
    expect(graph.nodes.map((node) => [node.name, node.unprotected])).toEqual([
      ['cart', true],
      ['checkout', false],
      ['frontend', true],
    ]);
    // frontend → checkout: checkout's ingress is governed. checkout → cart: neither end is.
    expect(graph.edges.map((edge) => [edge.target.split('/').pop(), edge.overlays.allowedNoPolicy])).toEqual([
      ['cart', true],
      ['checkout', false],
    ]);
    const collapsed = buildServiceGraph({ level: 'namespace', rows: [row(), row({ destination: { namespace: 'data', name: 'db' } })], coverageByCluster: coverage({ 'shop/frontend': [false, false] }) });
    expect(collapsed.nodes.find((node) => node.name === 'shop')).toMatchObject({ unprotected: true, unprotectedCount: 1, workloadCount: 2 });
  });

  it('hides infrastructure-only nodes and edges', () => {
    const graph = buildServiceGraph({
      level: 'workload',
      rows: [row(), row({ destination: { namespace: 'kube-system', name: 'coredns' }, port: 53, protocol: 'UDP' })],
    });
    const hidden = hideInfrastructure(graph);
    expect(hidden.nodes.map((node) => node.name)).toEqual(['checkout', 'frontend']);
    expect(hidden.edges).toHaveLength(1);
    expect(hidden.groups.map((group) => group.id)).toEqual(['test-cluster/shop']);
  });
});

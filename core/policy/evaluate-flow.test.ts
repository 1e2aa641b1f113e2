import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory';
import { computeCoverage } from './compute-coverage';
import { evaluateFlow } from './evaluate-flow';

const { inventory } = buildInventory([
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres', ports: [{ name: 'sql', containerPort: 5432 }] }] } } },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-1', namespace: 'shop', labels: { app: 'db' }, ownerReferences: [{ kind: 'Deployment', name: 'db', controller: true }] }, spec: {}, status: { podIP: '10.0.0.7' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tool', namespace: 'lab' }, spec: { template: { metadata: { labels: { app: 'tool' } } } } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db-in', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'sql' }] }] },
  },
]);

describe('evaluateFlow', () => {
  it.each([
    ['workload to workload, allowed port', { namespace: 'shop', workload: 'web' }, { namespace: 'shop', workload: 'db' }, 'TCP', 5432, 'allowed'],
    ['workload to workload, other port', { namespace: 'shop', workload: 'web' }, { namespace: 'shop', workload: 'db' }, 'TCP', 80, 'denied'],
    ['labels only', { namespace: 'shop', labels: { app: 'web' } }, { ip: '10.0.0.7' }, 'tcp', 5432, 'allowed'],
    ['unknown IP is external', { ip: '203.0.113.9' }, { namespace: 'shop', workload: 'db' }, 'TCP', 5432, 'denied'],
    ['unselected pods default allow', { namespace: 'lab', workload: 'tool' }, { ip: '203.0.113.9' }, 'UDP', 53, 'allowed'],
  ] as const)('%s', (_name, source, destination, protocol, port, verdict) => {
    const result = evaluateFlow(inventory, { source, destination, protocol, port });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.verdict).toBe(verdict);
  });

  it('names the deciding policy and rule in words', () => {
    const result = evaluateFlow(inventory, { source: { namespace: 'shop', workload: 'web' }, destination: { namespace: 'shop', workload: 'db' }, protocol: 'TCP', port: 5432 });
    expect(result.ok && result.value.explanation).toContain("NetworkPolicy 'shop/db-in' Ingress rule #1");
    const denied = evaluateFlow(inventory, { source: { namespace: 'shop', workload: 'web' }, destination: { namespace: 'shop', workload: 'db' }, protocol: 'TCP', port: 80 });
    expect(denied.ok && denied.value.ingress.kind).toBe('default-deny');
  });

  it.each([
    [{ source: { namespace: 'shop', workload: 'nope' }, destination: { ip: '1.1.1.1' }, protocol: 'TCP', port: 1 }, 'unknown-workload'],
    [{ source: {}, destination: { ip: '1.1.1.1' }, protocol: 'TCP', port: 1 }, 'unresolvable-endpoint'],
    [{ source: { ip: '1.1.1.1' }, destination: { ip: '1.1.1.2' }, protocol: 'ICMP', port: 1 }, 'unsupported-protocol'],
    [{ source: { ip: '1.1.1.1' }, destination: { ip: '1.1.1.2' }, protocol: 'TCP', port: 0 }, 'invalid-port'],
  ])('returns a tagged error: %j → %s', (input, kind) => {
    const result = evaluateFlow(inventory, input);
    expect(result.ok ? undefined : result.error.kind).toBe(kind);
  });
});

describe('computeCoverage', () => {
  it('reports governed workloads and default-deny namespaces', () => {
    const coverage = computeCoverage(inventory);
    const byPeer = Object.fromEntries(coverage.workloads.map((workload) => [workload.peer, workload]));
    expect(byPeer['shop/db[Deployment]']?.ingress.networkPolicies.map((policy) => policy.name)).toEqual(['db-in', 'deny']);
    expect(byPeer['shop/db[Deployment]']?.egress.governed).toBe(false);
    expect(byPeer['lab/tool[Deployment]']?.ingress.governed).toBe(false);
    expect(coverage.namespaces.map((ns) => [ns.namespace, ns.hasDefaultDenyIngress, ns.hasDefaultDenyEgress])).toEqual([
      ['lab', false, false],
      ['shop', true, false],
    ]);
  });
});

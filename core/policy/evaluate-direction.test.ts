import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory';
import type { Inventory } from '../inventory/types';
import { formatConnectionSet } from './connection-set';
import { evaluateConnection } from './evaluate-connection';
import { computeExternalPeers } from './compute-connectivity';
import { collectPeers } from './collect-peers';
import type { PolicyPeer } from './policy-peer';

// Builders: a small cluster described as raw objects, loaded through the real inventory builder.
function deployment(namespace: string, name: string, labels: Record<string, string>, ports: object[] = []) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name, image: `example/${name}`, ports }] } } },
  };
}
function namespace(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
function networkPolicy(namespaceName: string, name: string, spec: object) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: namespaceName }, spec };
}
function adminPolicy(name: string, priority: number, spec: object) {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } };
}
function baselinePolicy(spec: object) {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec };
}

const cluster = [
  namespace('shop', { team: 'shop' }),
  namespace('ops', { team: 'ops' }),
  deployment('shop', 'web', { app: 'web' }),
  deployment('shop', 'db', { app: 'db' }, [
    { name: 'sql', containerPort: 5432 },
    { name: 'metrics', containerPort: 9187, protocol: 'UDP' },
  ]),
  deployment('ops', 'monitor', { app: 'monitor' }),
];

function load(...policies: object[]): Inventory {
  const { inventory, errors } = buildInventory([...cluster, ...policies]);
  expect(errors).toEqual([]);
  return inventory;
}

function peer(inventory: Inventory, name: string): PolicyPeer {
  if (name.endsWith('[External]')) {
    const found = computeExternalPeers(inventory).find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no external peer ${name}; have ${computeExternalPeers(inventory).map((p) => p.name).join(' ')}`);
    return found;
  }
  const found = collectPeers(inventory).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no peer ${name}`);
  return found;
}

function allowed(inventory: Inventory, source: string, destination: string): string {
  return formatConnectionSet(evaluateConnection(inventory, peer(inventory, source), peer(inventory, destination)).allowed);
}

const WEB = 'shop/web[Deployment]';
const DB = 'shop/db[Deployment]';
const MONITOR = 'ops/monitor[Deployment]';

describe('NetworkPolicy ports', () => {
  const ingressToDb = (ports: object[], from: object[] = [{ podSelector: { matchLabels: { app: 'web' } } }]) =>
    networkPolicy('shop', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from, ports }] });
  it.each([
    ['numeric port defaults to TCP', [{ port: 5432 }], 'TCP 5432'],
    ['UDP', [{ port: 53, protocol: 'UDP' }], 'UDP 53'],
    ['SCTP', [{ port: 7070, protocol: 'SCTP' }], 'SCTP 7070'],
    ['endPort range', [{ port: 8000, endPort: 8100 }], 'TCP 8000-8100'],
    ['protocol without port', [{ protocol: 'UDP' }], 'UDP 1-65535'],
    ['named port resolved on the destination', [{ port: 'sql' }], 'TCP 5432'],
    ['named port with its protocol', [{ port: 'metrics', protocol: 'UDP' }], 'UDP 9187'],
    ['named port with the wrong protocol matches nothing', [{ port: 'metrics', protocol: 'TCP' }], 'No Connections'],
    ['unknown named port matches nothing', [{ port: 'nope' }], 'No Connections'],
    ['no ports: everything', [], 'All Connections'],
    ['several ports', [{ port: 5432 }, { port: 53, protocol: 'UDP' }], 'TCP 5432,UDP 53'],
  ])('%s', (_name, ports, expected) => {
    expect(allowed(load(ingressToDb(ports)), WEB, DB)).toBe(expected);
  });
});

describe('NetworkPolicy peers and isolation', () => {
  it.each([
    ['podSelector only: same namespace', [{ podSelector: { matchLabels: { app: 'monitor' } } }], MONITOR, 'No Connections'],
    ['namespaceSelector', [{ namespaceSelector: { matchLabels: { team: 'ops' } } }], MONITOR, 'All Connections'],
    ['namespaceSelector AND podSelector', [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'web' } } }], MONITOR, 'No Connections'],
    ['two peers are ORed', [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: 'ops' } } }], MONITOR, 'All Connections'],
    ['automatic namespace name label', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], MONITOR, 'All Connections'],
    ['matchExpressions NotIn', [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['shop'] }] } }], MONITOR, 'All Connections'],
    ['empty from: everyone', [], MONITOR, 'All Connections'],
  ])('%s', (_name, from, source, expected) => {
    const policy = networkPolicy('shop', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from }] });
    expect(allowed(load(policy), source, DB)).toBe(expected);
  });

  it('denies by default once a policy selects the pod, and needs both egress and ingress', () => {
    const denyAll = networkPolicy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const webOut = networkPolicy('shop', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ ports: [{ port: 5432 }] }] });
    const dbIn = networkPolicy('shop', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }, { port: 6432 }] }] });
    expect(allowed(load(denyAll), WEB, DB)).toBe('No Connections');
    expect(allowed(load(denyAll, webOut), WEB, DB)).toBe('No Connections');
    expect(allowed(load(denyAll, webOut, dbIn), WEB, DB)).toBe('TCP 5432');
    // Unselected in the other direction: ingress-only policy leaves egress open.
    expect(allowed(load(dbIn), DB, MONITOR)).toBe('All Connections');
  });

  it('defaults policyTypes to Ingress, plus Egress when egress rules exist', () => {
    const { inventory } = buildInventory([
      networkPolicy('shop', 'a', { podSelector: {} }),
      networkPolicy('shop', 'b', { podSelector: {}, egress: [{}] }),
    ]);
    expect(inventory.networkPolicies.map((policy) => policy.policyTypes)).toEqual([['Ingress'], ['Ingress', 'Egress']]);
  });

  it('explains the deciding rule and the default deny', () => {
    const inventory = load(networkPolicy('shop', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }] }] }));
    const verdict = evaluateConnection(inventory, peer(inventory, WEB), peer(inventory, DB));
    const decisions = verdict.ingress.segments.map((segment) => ({ allowed: segment.allowed, kind: segment.decision.kind }));
    expect(decisions).toEqual([
      { allowed: true, kind: 'rule' },
      { allowed: false, kind: 'default-deny' },
    ]);
    const first = verdict.ingress.segments[0]?.decision;
    expect(first?.kind === 'rule' && first.rule).toMatchObject({ policy: { name: 'db-in', namespace: 'shop' }, ruleIndex: 0, direction: 'Ingress' });
  });
});

describe('ipBlock', () => {
  const block = networkPolicy('shop', 'from-net', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.10.0.0/16'] } }] }],
  });
  it.each([
    ['0.0.0.0-9.255.255.255[External]', 'No Connections'],
    ['10.0.0.0-10.9.255.255[External]', 'All Connections'],
    ['10.10.0.0-10.10.255.255[External]', 'No Connections'],
    ['10.11.0.0-10.255.255.255[External]', 'All Connections'],
    ['11.0.0.0-255.255.255.255[External]', 'No Connections'],
  ])('%s => db', (source, expected) => {
    expect(allowed(load(block), source, DB)).toBe(expected);
  });
  it('never matches pods in the cluster', () => {
    expect(allowed(load(block), WEB, DB)).toBe('No Connections');
  });
});

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy', () => {
  const toShop = { namespaces: { matchLabels: { team: 'shop' } } };
  const fromOps = [{ namespaces: { matchLabels: { team: 'ops' } } }];
  const dbIngress = (rules: object[]) => ({ subject: { pods: { namespaceSelector: toShop.namespaces, podSelector: { matchLabels: { app: 'db' } } } }, ingress: rules });
  const allowAllToDb = networkPolicy('shop', 'db-open', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] });
  const denyAllToDb = networkPolicy('shop', 'db-closed', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] });

  it.each([
    ['ANP Deny beats an NP allow', [adminPolicy('a', 10, dbIngress([{ action: 'Deny', from: fromOps }])), allowAllToDb], 'No Connections'],
    ['ANP Allow beats an NP deny', [adminPolicy('a', 10, dbIngress([{ action: 'Allow', from: fromOps }])), denyAllToDb], 'All Connections'],
    [
      'lower priority number wins',
      [adminPolicy('a', 20, dbIngress([{ action: 'Allow', from: fromOps }])), adminPolicy('b', 10, dbIngress([{ action: 'Deny', from: fromOps, ports: [{ portNumber: { protocol: 'TCP', port: 22 } }] }]))],
      'SCTP 1-65535,TCP 1-21,23-65535,UDP 1-65535',
    ],
    ['first rule wins within a policy', [adminPolicy('a', 10, dbIngress([{ action: 'Allow', from: fromOps }, { action: 'Deny', from: fromOps }])), denyAllToDb], 'All Connections'],
    ['Pass goes to NetworkPolicy', [adminPolicy('a', 10, dbIngress([{ action: 'Pass', from: fromOps }])), adminPolicy('b', 20, dbIngress([{ action: 'Deny', from: fromOps }])), allowAllToDb], 'All Connections'],
    ['Pass with no NP reaches BANP', [adminPolicy('a', 10, dbIngress([{ action: 'Pass', from: fromOps }])), baselinePolicy(dbIngress([{ action: 'Deny', from: fromOps }]))], 'No Connections'],
    ['BANP applies only when no NP selects', [baselinePolicy(dbIngress([{ action: 'Deny', from: fromOps }])), allowAllToDb], 'All Connections'],
    ['BANP deny on one port', [baselinePolicy(dbIngress([{ action: 'Deny', from: fromOps, ports: [{ portNumber: { protocol: 'UDP', port: 53 } }] }]))], 'SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535'],
    ['portRange', [adminPolicy('a', 10, dbIngress([{ action: 'Allow', from: fromOps, ports: [{ portRange: { protocol: 'TCP', start: 80, end: 90 } }] }])), denyAllToDb], 'TCP 80-90'],
    ['namedPort resolved on the destination', [adminPolicy('a', 10, dbIngress([{ action: 'Allow', from: fromOps, ports: [{ namedPort: 'metrics' }] }])), denyAllToDb], 'UDP 9187'],
    ['subject not matched: no effect', [adminPolicy('a', 10, { subject: { namespaces: { matchLabels: { team: 'other' } } }, ingress: [{ action: 'Deny', from: fromOps }] })], 'All Connections'],
  ])('%s', (_name, policies, expected) => {
    expect(allowed(load(...policies), MONITOR, DB)).toBe(expected);
  });

  it('matches egress networks against external ranges only', () => {
    const inventory = load(
      adminPolicy('egress', 10, {
        subject: { namespaces: {} },
        egress: [
          { action: 'Allow', to: [{ networks: ['192.168.0.0/16'] }] },
          { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] },
        ],
      }),
    );
    expect(allowed(inventory, WEB, '192.168.0.0-192.168.255.255[External]')).toBe('All Connections');
    expect(allowed(inventory, WEB, '192.169.0.0-255.255.255.255[External]')).toBe('No Connections');
    expect(allowed(inventory, WEB, DB)).toBe('All Connections');
  });
});

import { describe, expect, it } from 'vitest';
import { loadManifestDocuments } from './load-manifest-documents';

const np = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
${spec}`;

describe('loadManifestDocuments errors', () => {
  it.each([
    ['YAML syntax', 'kind: [unclosed', 'yaml-syntax', undefined],
    ['unknown policy apiVersion', np('a', '  podSelector: {}').replace('networking.k8s.io/v1', 'networking.k8s.io/v2'), 'unsupported-api-version', 'apiVersion'],
    [
      'invalid selector operator',
      np('a', '  podSelector:\n    matchExpressions:\n    - {key: app, operator: Equals, values: [x]}'),
      'invalid-field',
      'spec.podSelector.matchExpressions[0].operator',
    ],
    ['bad CIDR', np('a', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/40}'), 'invalid-field', 'spec.ingress[0].from[0].ipBlock.cidr'],
    [
      'except outside cidr',
      np('a', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}'),
      'invalid-field',
      'spec.ingress[0].from[0].ipBlock.except[0]',
    ],
    ['bad port', np('a', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 70000'), 'invalid-field', 'spec.ingress[0].ports[0].port'],
    ['bad protocol', np('a', '  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, protocol: ICMP}'), 'invalid-field', 'spec.ingress[0].ports[0].protocol'],
    ['endPort below port', np('a', '  podSelector: {}\n  egress:\n  - ports:\n    - {port: 80, endPort: 70}'), 'invalid-field', 'spec.egress[0].ports[0].endPort'],
    [
      'ANP bad action',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: x}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Maybe, from: [{namespaces: {}}]}',
      'invalid-field',
      'spec.ingress[0].action',
    ],
    [
      'BANP does not Pass',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  egress:\n  - {action: Pass, to: [{namespaces: {}}]}',
      'invalid-field',
      'spec.egress[0].action',
    ],
  ])('%s is reported with file, document and field, and the rest loads', (_name, bad, kind, field) => {
    const good = np('good', '  podSelector: {}');
    const { inventory, errors } = loadManifestDocuments([{ path: 'dir/policies.yaml', text: `${good}\n---\n${bad}\n` }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind, file: 'dir/policies.yaml', document: 2, ...(field ? { field } : {}) });
    expect(inventory.networkPolicies.map((policy) => policy.name)).toEqual(['good']);
  });

  it('names the list item inside a List', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'ok' }, spec: { podSelector: {} } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] } },
      ],
    });
    const { inventory, errors } = loadManifestDocuments([{ path: 'dump.json', text: list }]);
    expect(errors).toEqual([expect.objectContaining({ file: 'dump.json', document: 1, field: 'items[1].spec.ingress[0].ports[0].port' })]);
    expect(inventory.networkPolicies).toEqual([expect.objectContaining({ name: 'ok', namespace: 'default' })]);
  });

  it('ignores empty documents and unrelated kinds', () => {
    const { inventory, errors, documentCount } = loadManifestDocuments([
      { path: 'a.yaml', text: '---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' },
      { path: 'empty.yaml', text: '' },
    ]);
    expect(errors).toEqual([]);
    expect(documentCount).toBe(1);
    expect(inventory.workloads).toEqual([]);
  });
});

describe('loadManifestDocuments inventory', () => {
  const liveDump = JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { team: 'a' } }, spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [{ name: 'http', containerPort: 80 }] }] } } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: { template: {} } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-abc-1', namespace: 'shop', labels: { app: 'web' }, annotations: { note: 'x' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }] },
        spec: { containers: [{ name: 'web', image: 'nginx:1', args: ['-p', '80'], env: [{ name: 'API_KEY', value: 'secret' }], ports: [{ name: 'http', containerPort: 80 }] }] },
        status: { podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }] },
      },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan-rs-pod', namespace: 'shop', ownerReferences: [{ kind: 'ReplicaSet', name: 'gone-123', controller: true }] }, spec: {} },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } },
    ],
  });

  it('follows pod → ReplicaSet → Deployment and keeps pod details without env values', () => {
    const { inventory, errors } = loadManifestDocuments([{ path: 'dump.json', text: liveDump }]);
    expect(errors).toEqual([]);
    expect(inventory.workloads.map((workload) => workload.id)).toEqual(['default/Pod/debug', 'shop/Deployment/web', 'shop/ReplicaSet/gone-123']);
    const pod = inventory.pods.find((candidate) => candidate.name === 'web-abc-1');
    expect(pod?.owner).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(pod?.ips).toEqual(['10.1.0.5']);
    expect(pod?.containers[0]).toMatchObject({ image: 'nginx:1', args: ['-p', '80'], envNames: ['API_KEY'], ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] });
    expect(JSON.stringify(inventory)).not.toContain('secret');
    const web = inventory.workloads.find((workload) => workload.name === 'web');
    expect(web).toMatchObject({ labels: { team: 'a' }, replicas: 2, podNames: ['web-abc-1'], origin: 'manifest' });
    expect(inventory.namespaces.map((ns) => [ns.name, ns.labels['kubernetes.io/metadata.name'], ns.declared])).toEqual([
      ['default', 'default', false],
      ['shop', 'shop', false],
    ]);
  });
});

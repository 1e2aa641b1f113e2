import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFlowBatch } from './parse-flow-batch';
import { policyHitFromCalico } from './policy-hit-from-calico';
import type { Flow } from './types';

// The public samples are read in place from `<repo>/../shared` (never copied); tests on them skip when it is absent.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const flowSamplesDir = path.join(path.resolve(repoRoot, '../shared'), 'samples', 'flows');
const hasSharedSamples = existsSync(flowSamplesDir);
if (!hasSharedSamples) console.warn(`[flowlens tests] ${flowSamplesDir} is absent: tests on the real public samples are skipped.`);
const flowSamplePath = (relativePath: string): string => path.join(flowSamplesDir, relativePath);
const readFlowSample = (relativePath: string): string => readFileSync(flowSamplePath(relativePath), 'utf8');

const options = { clusterId: 'prod', format: 'calico' as const };

function calicoLine(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    start_time: 1700000000,
    end_time: 1700000300,
    source_ip: '10.0.0.1',
    source_name: 'frontend-6d4cf56db6-abcde',
    source_name_aggr: 'frontend-6d4cf56db6-*',
    source_namespace: 'shop',
    source_port: null,
    source_type: 'wep',
    source_labels: { labels: ['app=frontend'] },
    dest_ip: '10.0.0.2',
    dest_name: 'redis-0',
    dest_name_aggr: 'redis-*',
    dest_namespace: 'shop',
    dest_port: 6379,
    dest_type: 'wep',
    dest_labels: { app: 'redis' },
    dest_service_namespace: 'shop',
    dest_service_name: 'redis',
    proto: 'tcp',
    action: 'allow',
    reporter: 'src',
    policies: { all_policies: ['0|default|shop/default.allow-redis|allow|1'] },
    bytes_in: 10,
    bytes_out: 20,
    packets_in: 1,
    packets_out: 2,
    num_flows_started: 3,
    ...overrides,
  });
}

function only(text: string | string[]): Flow {
  const result = parseFlowBatch(text, options);
  expect(result.errors).toEqual([]);
  expect(result.flows).toHaveLength(1);
  return result.flows[0]!.flow;
}

describe.skipIf(!hasSharedSamples)('calico: real samples', () => {
  it('parses the Tigera flows.log deny record with its two-tier policy trace', () => {
    const result = parseFlowBatch(readFlowSample('calico/tigera-observability-clinic-flows.log'), { clusterId: 'prod' });
    expect(result.format).toBe('calico');
    expect(result.errors).toEqual([]);
    expect(result.flows).toHaveLength(1);
    const { flow, line } = result.flows[0]!;
    expect(line).toBe(1);
    expect(flow).toMatchObject({
      clusterId: 'prod',
      startMs: 1659621542000,
      endMs: 1659621842000,
      protocol: 'TCP',
      destinationPort: 5050,
      sourcePort: null,
      verdict: 'denied',
      reporter: 'destination',
      bytesIn: 300,
      bytesOut: 0,
      packetsIn: 5,
      packetsOut: 0,
      connections: 1,
      format: 'calico',
    });
    expect(flow.source).toEqual({
      kind: 'pod', namespace: 'default', name: 'multitool', workloadKind: 'Pod', pod: 'multitool', ip: '10.48.116.157', labels: { run: 'multitool' },
    });
    expect(flow.destination).toEqual({
      kind: 'workload', namespace: 'hipstershop', name: 'checkoutservice', workloadKind: 'Deployment', pod: 'checkoutservice-598d5b586d-wsvmz',
      ip: '10.48.127.224', labels: { app: 'checkoutservice', 'pod-template-hash': '598d5b586d', tenant: 'hipstershop' },
    });
    expect(flow.destination.serviceName).toBeUndefined();
    // Sorted by index: the security tier passes first, then the app tier denies at its end (rule -1).
    expect(flow.policyTrace).toEqual([
      { kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.tenant-histershop', action: 'pass', ruleIndex: 0, staged: false },
      { kind: 'CalicoNetworkPolicy', tier: 'app-hipstershop', namespace: 'hipstershop', name: 'app-hipstershop.checkoutservice', action: 'deny', ruleIndex: -1, staged: false },
    ]);
    expect(flow.pendingTrace).toBeUndefined();
  });

  it('parses the legacy space-delimited example', () => {
    const result = parseFlowBatch(readFlowSample('calico/tigera-docs-legacy-space-delimited-flowlog.txt'), { clusterId: 'prod' });
    expect(result.format).toBe('calico');
    expect(result.errors).toEqual([]);
    const flow = result.flows[0]!.flow;
    expect(flow.source).toEqual({ kind: 'workload', namespace: 'dev', name: 'rails-81531*', labels: {} });
    expect(flow.destination).toEqual({ kind: 'workload', namespace: 'dev', name: 'memcached-38456*', labels: {} });
    expect(flow).toMatchObject({
      startMs: 1528842551000, endMs: 1528842851000, protocol: 'TCP', destinationPort: 3000, verdict: 'allowed', reporter: 'source',
      packetsIn: 154, packetsOut: 61, bytesIn: 70111, bytesOut: 49404, connections: 3,
    });
  });
});

describe('calico: records', () => {
  it('maps names, labels (both forms), services and counters', () => {
    const flow = only(calicoLine());
    expect(flow.source).toEqual({ kind: 'workload', namespace: 'shop', name: 'frontend', workloadKind: 'Deployment', pod: 'frontend-6d4cf56db6-abcde', ip: '10.0.0.1', labels: { app: 'frontend' } });
    // `redis-*` is not a ReplicaSet aggregate: kept raw.
    expect(flow.destination).toEqual({ kind: 'workload', namespace: 'shop', name: 'redis', workloadKind: 'StatefulSet', pod: 'redis-0', ip: '10.0.0.2', labels: { app: 'redis' }, serviceName: 'shop/redis' });
    expect(flow).toMatchObject({ reporter: 'source', verdict: 'allowed', bytesIn: 10, bytesOut: 20, packetsIn: 1, packetsOut: 2, connections: 3 });
  });

  it.each([
    ['net pub with domains', { dest_type: 'net', dest_name_aggr: 'pub', dest_name: '-', dest_namespace: '-', dest_domains: ['api.openai.com'] }, { kind: 'external', name: 'pub', ip: '10.0.0.2', labels: { app: 'redis' }, domain: 'api.openai.com', serviceName: 'shop/redis' }],
    ['hep', { dest_type: 'hep', dest_name_aggr: 'node-1', dest_namespace: '-', dest_labels: null, dest_service_name: '-' }, { kind: 'host', name: 'node-1', ip: '10.0.0.2', labels: {} }],
    ['global network set', { dest_type: 'ns', dest_name_aggr: 'threat-feed', dest_namespace: '-', dest_service_name: '-' }, { kind: 'networkset', name: 'threat-feed', ip: '10.0.0.2', labels: { app: 'redis' } }],
    ['namespaced network set', { dest_type: 'ns', dest_name_aggr: 'partners', dest_namespace: 'shop', dest_service_name: '-' }, { kind: 'networkset', namespace: 'shop', name: 'partners', ip: '10.0.0.2', labels: { app: 'redis' } }],
  ])('endpoint type: %s', (_name, overrides, expected) => {
    expect(only(calicoLine(overrides)).destination).toEqual(expected);
  });

  it('reads Elasticsearch hits (`_source`)', () => {
    const flow = only(JSON.stringify({ _index: 'tigera_secure_ee_flows', _source: JSON.parse(calicoLine({ reporter: 'dst', action: 'deny' })) }));
    expect(flow).toMatchObject({ reporter: 'destination', verdict: 'denied' });
  });

  it('splits staged policies into the pending trace and reads explicit enforced/pending lists', () => {
    const mixed = only(calicoLine({ policies: { all_policies: ['1|default|shop/staged:default.lockdown|deny|-1', '0|default|shop/knp.default.allow-web|allow|0'] } }));
    expect(mixed.policyTrace).toEqual([{ kind: 'NetworkPolicy', tier: 'default', namespace: 'shop', name: 'allow-web', action: 'allow', ruleIndex: 0, staged: false }]);
    expect(mixed.pendingTrace?.map((hit) => [hit.kind, hit.name, hit.staged])).toEqual([
      ['NetworkPolicy', 'allow-web', false],
      ['StagedNetworkPolicy', 'default.lockdown', true],
    ]);
    const explicit = only(calicoLine({ policies: { enforced_policies: ['0|__PROFILE__|__PROFILE__.kns.shop|allow|0'], pending_policies: ['0|security|staged:security.block|deny|2'] } }));
    expect(explicit.policyTrace).toEqual([{ kind: 'Profile', name: 'kns.shop', action: 'allow', ruleIndex: 0, staged: false }]);
    expect(explicit.pendingTrace).toEqual([{ kind: 'StagedGlobalNetworkPolicy', tier: 'security', name: 'security.block', action: 'deny', ruleIndex: 2, staged: true }]);
  });

  it.each([
    ['0|security|security.tenant|pass|0', { kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.tenant', action: 'pass' }],
    ['0|app|ns1/app.web|allow|3', { kind: 'CalicoNetworkPolicy', namespace: 'ns1', name: 'app.web', ruleIndex: 3 }],
    ['0|default|ns1/knp.default.deny-all|deny|-1', { kind: 'NetworkPolicy', namespace: 'ns1', name: 'deny-all', ruleIndex: -1 }],
    ['0|default|ns1/staged:knp.default.np|deny|-1', { kind: 'StagedKubernetesNetworkPolicy', name: 'np', staged: true }],
    ['0|default|ns1/staged:default.np|allow|0', { kind: 'StagedNetworkPolicy', name: 'default.np', staged: true }],
    ['0|adminnetworkpolicy|kanp.adminnetworkpolicy.baseline-dns|allow|0', { kind: 'AdminNetworkPolicy', name: 'baseline-dns' }],
    ['0|__PROFILE__|__PROFILE__.ksa.ns1.default|allow|0', { kind: 'Profile', name: 'ksa.ns1.default', action: 'allow' }],
  ])('policy entry %s', (entry, expected) => {
    expect(policyHitFromCalico(entry, 'policies.all_policies[0]').hit).toMatchObject(expected);
  });

  it('reports bad lines by line number and keeps parsing the good ones', () => {
    const lines = [
      calicoLine(),
      calicoLine({ dest_port: 'abc' }),
      '{"start_time": 1700000000, "source_name_aggr": ',
      calicoLine({ action: 'maybe' }),
      '',
      calicoLine({ policies: { all_policies: ['0|t|n|allow'] } }),
      calicoLine({ source_type: 'vm' }),
      calicoLine({ bytes_in: -1 }),
      calicoLine({ reporter: 'dst' }),
    ];
    const result = parseFlowBatch(lines, options);
    expect(result.flows.map((entry) => entry.line)).toEqual([1, 9]);
    expect(result.errors).toEqual([
      { line: 2, kind: 'invalid-field', message: 'field "dest_port": expected a number 0-65535, got "abc"' },
      { line: 3, kind: 'invalid-json', message: expect.stringContaining('invalid JSON') },
      { line: 4, kind: 'invalid-field', message: 'field "action": expected "allow" or "deny", got "maybe"' },
      { line: 6, kind: 'invalid-field', message: 'field "policies.all_policies[0]": expected a "index|tier|name|action|rule" string, got "0|t|n|allow"' },
      { line: 7, kind: 'invalid-field', message: 'field "source_type": expected one of wep|hep|ns|net, got "vm"' },
      { line: 8, kind: 'invalid-field', message: 'field "bytes_in": expected a non-negative integer, got -1' },
    ]);
  });
});

describe('calico: endpoints within a batch', () => {
  it('shares one Endpoint object per distinct wire form, and still reports a bad value that prints like a good one', () => {
    const result = parseFlowBatch(
      [calicoLine(), calicoLine({ source_port: 1 }), calicoLine({ source_name: ['frontend-6d4cf56db6-abcde'] }), calicoLine({ source_labels: { labels: ['app=other'] } })],
      options,
    );
    const [first, second, relabelled] = result.flows.map((entry) => entry.flow);
    expect(second?.source).toBe(first?.source);
    expect(relabelled?.source).not.toBe(first?.source);
    expect(relabelled?.source.labels).toEqual({ app: 'other' });
    expect(result.errors).toEqual([{ line: 3, kind: 'invalid-field', message: expect.stringContaining('source_name') }]);
  });
});

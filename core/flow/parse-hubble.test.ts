import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EndpointResolver } from './endpoint-resolver';
import { parseFlowBatch } from './parse-flow-batch';
import type { Flow } from './types';

// The public samples are read in place from `<repo>/../shared` (never copied); tests on them skip when it is absent.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const flowSamplesDir = path.join(path.resolve(repoRoot, '../shared'), 'samples', 'flows');
const hasSharedSamples = existsSync(flowSamplesDir);
if (!hasSharedSamples) console.warn(`[flowlens tests] ${flowSamplesDir} is absent: tests on the real public samples are skipped.`);
const flowSamplePath = (relativePath: string): string => path.join(flowSamplesDir, relativePath);
const readFlowSample = (relativePath: string): string => readFileSync(flowSamplePath(relativePath), 'utf8');

const SAMPLES = [
  'hubble/basic-sample-10-flows.json',
  'hubble/basic-sample-330-dns-flows.json',
  'hubble/basic-sample-348-http-flows.json',
  'hubble/basic-sample-400-tcp-flows.json',
  'hubble/cilium-docs-export-dropped-fieldmask.jsonl',
];

function parseSample(file: string, windowMs?: number): Flow[] {
  const result = parseFlowBatch(readFlowSample(file), { clusterId: 'gke', hubbleWindowMs: windowMs });
  expect(result.format).toBe('hubble');
  expect(result.errors).toEqual([]);
  return result.flows.map((entry) => entry.flow);
}

function sum(flows: Flow[], pick: (flow: Flow) => number): number {
  return flows.reduce((total, flow) => total + pick(flow), 0);
}

describe.skipIf(!hasSharedSamples)('hubble: real samples', () => {
  it.each(SAMPLES)('%s parses with zero errors and keeps every event', (file) => {
    const text = readFlowSample(file);
    const events = text.split('\n').filter((line) => line.trim() !== '').length;
    const flows = parseSample(file);
    // Every event is one packet in one direction.
    expect(sum(flows, (flow) => flow.packetsIn + flow.packetsOut)).toBe(events);
    expect(sum(flows, (flow) => flow.bytesIn + flow.bytesOut)).toBe(0);
    for (const flow of flows) expect(flow).toMatchObject({ clusterId: 'gke', reporter: 'observer', format: 'hubble' });
  });

  it('orients replies client → server and names workloads from pod names', () => {
    const flows = parseSample('hubble/basic-sample-10-flows.json');
    // Line 1 is a reply (reviews → host) and line 2 the request (host → reviews:15020): one flow.
    const kubelet = flows.find((flow) => flow.destination.name === 'reviews-v1' && flow.destinationPort === 15020);
    expect(kubelet).toMatchObject({
      source: { kind: 'host', name: 'gke-ilya-otel-demo-1-ilya-otel-demo-1-6114bb84-zr1l', ip: '10.0.2.1' },
      destination: { kind: 'workload', namespace: 'bookinfo', name: 'reviews-v1', workloadKind: 'Deployment', pod: 'reviews-v1-545db77b95-s6jb8', ip: '10.0.2.16' },
      protocol: 'TCP', verdict: 'allowed', packetsOut: 1, packetsIn: 1, connections: 0, sourcePort: 42044,
    });
    expect(kubelet?.destination.labels).toEqual({ app: 'reviews', 'security.istio.io/tlsMode': 'istio', version: 'v1' });
    const prometheus = flows.find((flow) => flow.source.name === 'prometheus');
    expect(prometheus).toMatchObject({ source: { namespace: 'istio-system', workloadKind: 'Deployment' }, destination: { name: 'reviews-v1' }, destinationPort: 15090 });
  });

  it('keeps DNS queries, answers and rcodes', () => {
    const flows = parseSample('hubble/basic-sample-330-dns-flows.json');
    const nxdomain = flows.filter((flow) => flow.l7?.dns?.rcode === 3);
    expect(nxdomain.length).toBeGreaterThan(0);
    const first = flows[0]!;
    expect(first).toMatchObject({
      source: { kind: 'workload', namespace: 'kube-system', name: 'node-local-dns', pod: 'node-local-dns-88zrp' },
      destination: { kind: 'workload', namespace: 'kube-system', name: 'kube-dns', workloadKind: 'Deployment' },
      protocol: 'TCP', destinationPort: 53,
      l7: { dns: { query: 'istiod-istio-1611.istio-system.svc.istio-system.svc.cluster.local.', rcode: 3, qtypes: ['A'] } },
    });
    expect(first.source.workloadKind).toBeUndefined();
    expect(flows.some((flow) => (flow.l7?.dns?.ips?.length ?? 0) > 0)).toBe(true);
  });

  it('keeps HTTP methods, URLs and status codes; REDIRECTED is allowed', () => {
    const flows = parseSample('hubble/basic-sample-348-http-flows.json');
    const codes = new Set(flows.map((flow) => flow.l7?.http?.code).filter((code) => code !== undefined));
    expect(codes).toEqual(new Set([200, 503]));
    const productpage = flows.find((flow) => flow.source.name === 'ratings-v1' && flow.destination.name === 'productpage-v1');
    expect(productpage).toMatchObject({
      source: { namespace: 'bookinfo', workloadKind: 'Deployment' },
      destinationPort: 9080, verdict: 'allowed',
      l7: { http: { method: 'GET', url: 'http://productpage:9080/productpage', protocol: 'HTTP/1.1', code: 503 } },
    });
    const scrape = flows.find((flow) => flow.destination.name === 'kube-dns' && flow.l7?.http?.code === 200);
    expect(scrape).toMatchObject({ source: { namespace: 'istio-system', name: 'prometheus' }, destination: { namespace: 'kube-system' }, destinationPort: 10054 });
    const world = flows.find((flow) => flow.destination.ip === '10.128.0.4');
    expect(world?.destination).toMatchObject({ kind: 'external', name: '10.128.0.4' });
    expect(flows.every((flow) => flow.verdict === 'allowed')).toBe(true);
  });

  it('counts TCP connections from SYN-without-ACK requests only', () => {
    const text = readFlowSample('hubble/basic-sample-400-tcp-flows.json');
    const synRequests = text.split('\n').filter((line) => {
      if (line.trim() === '') return false;
      const flow = JSON.parse(line).flow;
      const flags = flow.l4?.TCP?.flags ?? {};
      return flags.SYN === true && flags.ACK !== true && flow.is_reply !== true && flow.reply !== true;
    }).length;
    const flows = parseSample('hubble/basic-sample-400-tcp-flows.json');
    expect(synRequests).toBeGreaterThan(0);
    expect(sum(flows, (flow) => flow.connections)).toBe(synRequests);
  });

  it('keeps drop reasons of DROPPED events (field-masked export)', () => {
    const flows = parseSample('hubble/cilium-docs-export-dropped-fieldmask.jsonl');
    expect(flows.map((flow) => [flow.verdict, flow.dropReason, flow.protocol])).toEqual([
      ['denied', 'INVALID_SOURCE_IP', 'ICMPv6'],
      ['denied', 'POLICY_DENIED', 'TCP'],
    ]);
    expect(flows[1]).toMatchObject({
      source: { kind: 'pod', namespace: 'default', name: 'xwing', workloadKind: 'Pod', ip: '10.244.1.60' },
      destination: { kind: 'workload', namespace: 'default', name: 'deathstar', workloadKind: 'Deployment', ip: '10.244.1.5' },
      destinationPort: 80, sourcePort: 44916, tcpFlags: ['SYN'], connections: 1,
    });
    expect(flows[0]!.destinationPort).toBeNull();
  });
});

function event(overrides: Record<string, unknown> = {}, time = '2024-01-01T00:00:01Z'): string {
  return JSON.stringify({
    flow: {
      time,
      verdict: 'FORWARDED',
      IP: { source: '10.0.0.1', destination: '10.0.0.2' },
      l4: { UDP: { source_port: 40000, destination_port: 53 } },
      source: { namespace: 'shop', pod_name: 'web-7d9f8b6c5d-x2x4z', labels: ['k8s:app=web'] },
      destination: { namespace: 'kube-system', pod_name: 'coredns-5d78c9869d-x7k2p', labels: ['k8s:k8s-app=kube-dns'] },
      ...overrides,
    },
    node_name: 'node-1',
    time,
  });
}

describe('hubble: events and windows', () => {
  it('aggregates by window; UDP counts one connection per key; replies are packetsIn', () => {
    const lines = [
      event(),
      event({ IP: { source: '10.0.0.2', destination: '10.0.0.1' }, l4: { UDP: { source_port: 53, destination_port: 40000 } }, source: { namespace: 'kube-system', pod_name: 'coredns-5d78c9869d-x7k2p' }, destination: { namespace: 'shop', pod_name: 'web-7d9f8b6c5d-x2x4z' }, is_reply: true }),
      event({}, '2024-01-01T00:00:04Z'),
      event({}, '2024-01-01T00:00:12Z'),
    ];
    const result = parseFlowBatch(lines, { clusterId: 'c' });
    expect(result.errors).toEqual([]);
    expect(result.flows.map(({ flow, line }) => [line, flow.startMs, flow.endMs, flow.packetsOut, flow.packetsIn, flow.connections])).toEqual([
      [1, Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 0, 10), 2, 1, 1],
      [4, Date.UTC(2024, 0, 1, 0, 0, 10), Date.UTC(2024, 0, 1, 0, 0, 20), 1, 0, 1],
    ]);
    expect(result.flows[0]!.flow).toMatchObject({ source: { name: 'web' }, destination: { name: 'coredns', namespace: 'kube-system' }, destinationPort: 53, sourcePort: 40000 });
    // A 60 s window folds all four.
    expect(parseFlowBatch(lines, { clusterId: 'c', hubbleWindowMs: 60_000 }).flows).toHaveLength(1);
  });

  it('maps policies, reserved identities, DNS names, workloads and the resolver', () => {
    const resolver: EndpointResolver = {
      resolveIp: (ip) => (ip === '52.1.2.3' ? { kind: 'external', name: 'openai', labels: {}, domain: 'api.openai.com' } : undefined),
      resolvePod: (namespace, pod) => (pod === 'db-xyz' ? { name: 'db', workloadKind: 'StatefulSet', labels: { app: 'db' } } : undefined),
    };
    const lines = [
      event({
        verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED',
        l4: { TCP: { source_port: 1234, destination_port: 443, flags: { SYN: true } } },
        destination: { labels: ['reserved:world'] }, IP: { source: '10.0.0.1', destination: '8.8.8.8' }, destination_names: ['dns.google'],
        egress_denied_by: [{ name: 'no-egress', namespace: 'shop', labels: ['k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy'] }],
      }),
      event({ destination: { labels: ['reserved:world'] }, IP: { source: '10.0.0.1', destination: '52.1.2.3' }, egress_allowed_by: [{ name: 'allow-llm' }] }),
      event({ destination: { namespace: 'data', pod_name: 'db-xyz' }, source: { namespace: 'shop', pod_name: 'web-1', workloads: [{ name: 'web', kind: 'StatefulSet' }] } }),
      event({ destination: { labels: ['reserved:host', 'reserved:kube-apiserver'] }, verdict: 'AUDIT' }),
    ];
    const flows = parseFlowBatch(lines, { clusterId: 'c', resolver }).flows.map((entry) => entry.flow);
    expect(flows[0]).toMatchObject({
      verdict: 'denied', dropReason: 'POLICY_DENIED', connections: 1,
      destination: { kind: 'external', name: 'dns.google', domain: 'dns.google', ip: '8.8.8.8' },
      policyTrace: [{ kind: 'CiliumNetworkPolicy', namespace: 'shop', name: 'no-egress', action: 'deny', ruleIndex: 0, staged: false }],
    });
    expect(flows[1]).toMatchObject({ destination: { kind: 'external', name: 'openai', domain: 'api.openai.com', ip: '52.1.2.3' }, policyTrace: [{ kind: 'CiliumClusterwideNetworkPolicy', name: 'allow-llm', action: 'allow' }] });
    expect(flows[2]).toMatchObject({ source: { kind: 'workload', name: 'web', workloadKind: 'StatefulSet', pod: 'web-1' }, destination: { kind: 'workload', namespace: 'data', name: 'db', workloadKind: 'StatefulSet', labels: { app: 'db' } } });
    expect(flows[3]).toMatchObject({ verdict: 'allowed', destination: { kind: 'host', name: 'kube-apiserver' } });
  });

  it('reports bad events by line and keeps the good ones', () => {
    const lines = [
      event(),
      '{"flow":{"time":"2024-01-01T00:00:01Z","verdict":"FORWARDED"',
      event({ verdict: 'MAYBE' }),
      event({ l4: { TCP: { source_port: 1, destination_port: 'http' } } }),
      JSON.stringify({ flow: { verdict: 'FORWARDED' } }),
      event({ source: { labels: 'k8s:app=x' } }),
    ];
    const result = parseFlowBatch(lines, { clusterId: 'c', format: 'hubble' });
    expect(result.flows.map((entry) => entry.line)).toEqual([1]);
    expect(result.errors).toEqual([
      { line: 2, kind: 'invalid-json', message: expect.stringContaining('invalid JSON') },
      { line: 3, kind: 'invalid-field', message: 'field "flow.verdict": expected FORWARDED|DROPPED|AUDIT|REDIRECTED|ERROR|TRACED|TRANSLATED, got "MAYBE"' },
      { line: 4, kind: 'invalid-field', message: 'field "flow.l4.TCP.destination_port": expected a number 0-65535, got "http"' },
      { line: 5, kind: 'missing-field', message: 'field "flow.time": expected an RFC 3339 time, got nothing' },
      { line: 6, kind: 'invalid-field', message: 'field "flow.source.labels": expected a list of "source:key=value" labels, got "k8s:app=x"' },
    ]);
  });
});

describe('Hubble policy names', () => {
  it('reads a Kubernetes NetworkPolicy that denies as its default deny (rule -1), an allow as a rule of it', () => {
    const line = JSON.stringify({
      flow: {
        time: '2026-11-27T10:00:00.000000000Z', verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED',
        IP: { source: '10.0.0.1', destination: '10.0.0.2', ipVersion: 'IPv4' },
        l4: { TCP: { source_port: 40000, destination_port: 5432, flags: { SYN: true } } },
        source: { namespace: 'chat', pod_name: 'chat-ui-7d9f8c6b5-x2k4q', labels: ['k8s:app=chat-ui'] },
        destination: { namespace: 'payments', pod_name: 'payments-db-0', labels: ['k8s:app=payments-db'] },
        ingress_denied_by: [{ name: 'default-deny', namespace: 'payments', labels: ['k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy'] }],
        egress_allowed_by: [{ name: 'allow-egress', namespace: 'chat', labels: ['k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy'] }],
      },
    });
    const result = parseFlowBatch([line], { clusterId: 'c', format: 'hubble' });
    expect(result.errors).toEqual([]);
    expect(result.flows[0]?.flow.policyTrace.map((hit) => [hit.kind, hit.name, hit.action, hit.ruleIndex])).toEqual([
      ['NetworkPolicy', 'allow-egress', 'allow', 0],
      ['NetworkPolicy', 'default-deny', 'deny', -1],
    ]);
  });
});

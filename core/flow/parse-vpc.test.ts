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

function parseSample(name: string): { flows: Flow[]; skipped: Array<{ line: number; reason: string }> } {
  const fields = readFlowSample(`aws-vpc/${name}.format`).trim().split(/\s+/);
  const result = parseFlowBatch(readFlowSample(`aws-vpc/${name}.log`), { clusterId: 'aws', vpcFields: fields });
  expect(result.format).toBe('vpc');
  expect(result.errors).toEqual([]);
  return { flows: result.flows.map((entry) => entry.flow), skipped: result.skipped };
}

describe.skipIf(!hasSharedSamples)('vpc: real samples', () => {
  it('01 default v2: ACCEPT and REJECT', () => {
    const { flows } = parseSample('01-default-v2-accept-reject');
    expect(flows.map((flow) => [flow.source.ip, flow.destination.ip, flow.destinationPort, flow.verdict, flow.bytesOut, flow.packetsOut])).toEqual([
      ['172.31.16.139', '172.31.16.21', 22, 'allowed', 4249, 20],
      ['172.31.9.69', '172.31.9.12', 3389, 'denied', 4249, 20],
    ]);
    expect(flows[0]).toMatchObject({ startMs: 1418530010000, endMs: 1418530070000, protocol: 'TCP', sourcePort: 20641, reporter: 'observer', format: 'vpc', source: { kind: 'unknown', name: '172.31.16.139' } });
    expect(flows[1]!.dropReason).toBe('REJECT');
  });

  it('02 NODATA and SKIPDATA are skipped, not flows or errors', () => {
    const { flows, skipped } = parseSample('02-default-v2-nodata-skipdata');
    expect(flows).toEqual([]);
    expect(skipped).toEqual([{ line: 1, reason: 'NODATA' }, { line: 2, reason: 'SKIPDATA' }]);
  });

  it('04 IPv6', () => {
    const { flows } = parseSample('04-default-v2-ipv6-ssh');
    expect(flows[0]).toMatchObject({
      source: { kind: 'external', ip: '2001:db8:1234:a100:8d6e:3477:df66:f105' },
      destination: { kind: 'external', ip: '2001:db8:1234:a102:3304:8879:34cf:4071' },
      destinationPort: 22, sourcePort: 34892, protocol: 'TCP', packetsOut: 54, bytesOut: 8855, verdict: 'allowed',
    });
  });

  it('05 v3 TCP flags (including a double-spaced line)', () => {
    const { flows } = parseSample('05-custom-v3-tcp-flags');
    expect(flows).toHaveLength(readFlowSample('aws-vpc/05-custom-v3-tcp-flags.log').trim().split('\n').length);
    expect(flows.slice(0, 2).map((flow) => [flow.source.ip, flow.destinationPort, flow.tcpFlags, flow.connections, flow.bytesOut, flow.packetsOut])).toEqual([
      ['52.213.180.42', 5001, ['SYN'], 1, 568, 8],
      ['10.0.0.62', 43416, ['SYN', 'ACK'], 0, 376, 7],
    ]);
    expect(flows[0]!.source.kind).toBe('external');
    expect(flows[0]!.destination.kind).toBe('unknown');
  });

  it('06 NAT gateway: pkt-srcaddr/pkt-dstaddr are the true peers', () => {
    const { flows } = parseSample('06-custom-nat-gateway-eni');
    expect(flows.map((flow) => [flow.source.ip, flow.destination.ip])).toEqual([
      ['10.0.1.5', '203.0.113.5'],
      ['10.0.0.220', '203.0.113.5'],
      ['203.0.113.5', '10.0.0.220'],
      ['203.0.113.5', '10.0.1.5'],
    ]);
    // No action, protocol, ports or times in this format.
    expect(flows[0]).toMatchObject({ verdict: 'allowed', protocol: 'other', destinationPort: null, startMs: 0 });
  });

  it('09 v5 AWS service peers', () => {
    const { flows } = parseSample('09-custom-v5-traffic-path-flow-direction');
    expect(flows[0]).toMatchObject({ source: { kind: 'external', ip: '52.95.128.179', labels: { 'aws-service': 'S3' } }, destination: { ip: '10.0.0.71' }, sourcePort: 80, destinationPort: 34210, bytesOut: 15044, packetsOut: 14, tcpFlags: ['FIN', 'SYN', 'ACK'] });
    expect(flows[1]).toMatchObject({ destination: { labels: { 'aws-service': 'S3' } }, destinationPort: 80, connections: 1 });
  });
});

describe('vpc: records', () => {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  it('reads a header line, resolves IPs through the inventory, and strips #comments', () => {
    const resolver: EndpointResolver = {
      resolveIp: (ip) => (ip === '10.0.0.5' ? { kind: 'workload', namespace: 'shop', name: 'api', workloadKind: 'Deployment', labels: { app: 'api' } } : undefined),
      resolvePod: () => undefined,
    };
    const result = parseFlowBatch(
      [header, '2 1 eni-1 10.0.0.9 10.0.0.5 50000 8080 17 3 300 1700000000 1700000060 ACCEPT OK # a comment'],
      { clusterId: 'aws', resolver },
    );
    expect(result.skipped).toEqual([{ line: 1, reason: 'header' }]);
    expect(result.errors).toEqual([]);
    expect(result.flows[0]!.flow).toMatchObject({ protocol: 'UDP', destination: { kind: 'workload', namespace: 'shop', name: 'api', ip: '10.0.0.5' }, source: { kind: 'unknown' } });
  });

  it('reports bad records by line', () => {
    const result = parseFlowBatch(
      [
        '2 1 eni-1 10.0.0.9 10.0.0.5 50000 8080 6 3 300 1700000000 1700000060 ACCEPT OK',
        '2 1 eni-1 10.0.0.9 10.0.0.5 50000 abc 6 3 300 1700000000 1700000060 ACCEPT OK',
        '2 1 eni-1 10.0.0.9 10.0.0.5 50000 80 6 3 300 1700000000 1700000060 ACCEPT',
        '2 1 eni-1 10.0.0.9 10.0.0.5 50000 80 6 3 300 1700000000 1700000060 DROP OK',
        '2 1 eni-1 10.0.0.9 10.0.0.5 50000 80 6 x 300 1700000000 1700000060 ACCEPT OK',
      ],
      { clusterId: 'aws', format: 'vpc' },
    );
    expect(result.flows.map((entry) => entry.line)).toEqual([1]);
    expect(result.errors).toEqual([
      { line: 2, kind: 'invalid-field', message: 'field "dstport": expected a number 0-65535, got "abc"' },
      { line: 3, kind: 'invalid-line', message: expect.stringContaining('expected 14 space-separated fields') },
      { line: 4, kind: 'invalid-field', message: 'field "action": expected "ACCEPT" or "REJECT", got "DROP"' },
      { line: 5, kind: 'invalid-field', message: 'field "packets": expected a non-negative integer, got "x"' },
    ]);
  });
});

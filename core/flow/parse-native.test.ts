import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeFlow } from '../testing';
import { parseFlowBatch } from './parse-flow-batch';
import { serializeNativeFlow } from './serialize-native-flow';

// The public samples are read in place from `<repo>/../shared` (never copied); tests on them skip when it is absent.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const flowSamplesDir = path.join(path.resolve(repoRoot, '../shared'), 'samples', 'flows');
const hasSharedSamples = existsSync(flowSamplesDir);
if (!hasSharedSamples) console.warn(`[flowlens tests] ${flowSamplesDir} is absent: tests on the real public samples are skipped.`);
const flowSamplePath = (relativePath: string): string => path.join(flowSamplesDir, relativePath);
const readFlowSample = (relativePath: string): string => readFileSync(flowSamplePath(relativePath), 'utf8');

describe('native', () => {
  it('round-trips a flow with every optional field', () => {
    const flow = makeFlow({
      sourcePort: 40000,
      verdict: 'denied',
      dropReason: 'POLICY_DENIED',
      policyTrace: [{ kind: 'NetworkPolicy', namespace: 'shop', name: 'deny-all', action: 'deny', ruleIndex: -1, staged: false }],
      pendingTrace: [{ kind: 'StagedNetworkPolicy', tier: 'default', namespace: 'shop', name: 'default.x', action: 'allow', ruleIndex: 0, staged: true }],
      l7: { http: { method: 'GET', url: '/x', code: 503, protocol: 'HTTP/1.1' }, dns: { query: 'a.b.', rcode: 0, ips: ['1.2.3.4'], qtypes: ['A'] } },
      tcpFlags: ['SYN'],
      destination: { domain: 'api.example.com', serviceName: 'shop/checkout', pod: 'checkout-1', ip: '10.0.0.9', labels: { app: 'checkout' } },
    });
    const line = serializeNativeFlow(flow);
    expect(line.startsWith('{"v":1,')).toBe(true);
    const result = parseFlowBatch(line, { clusterId: 'ignored' });
    expect(result.format).toBe('native');
    expect(result.errors).toEqual([]);
    expect(result.flows[0]!.flow).toEqual(flow);
  });

  it.skipIf(!hasSharedSamples)('round-trips every flow parsed from the real samples', () => {
    const files: Array<[string, string[] | undefined]> = [
      ['calico/tigera-observability-clinic-flows.log', undefined],
      ['hubble/basic-sample-348-http-flows.json', undefined],
      ['hubble/cilium-docs-export-dropped-fieldmask.jsonl', undefined],
      ['aws-vpc/05-custom-v3-tcp-flags.log', readFlowSample('aws-vpc/05-custom-v3-tcp-flags.format').trim().split(/\s+/)],
    ];
    for (const [file, vpcFields] of files) {
      const flows = parseFlowBatch(readFlowSample(file), { clusterId: 'c', vpcFields }).flows.map((entry) => entry.flow);
      expect(flows.length).toBeGreaterThan(0);
      const back = parseFlowBatch(flows.map(serializeNativeFlow).join('\n'), { clusterId: 'c' });
      expect(back.errors).toEqual([]);
      expect(back.flows.map((entry) => entry.flow)).toEqual(flows);
    }
  });

  it('fills clusterId from the batch and defaults counters', () => {
    const minimal = { v: 1, startMs: 1, endMs: 2, source: { kind: 'external', name: 'pub' }, destination: { kind: 'pod', name: 'x' }, protocol: 'UDP', destinationPort: 53, verdict: 'allowed', reporter: 'observer' };
    const flow = parseFlowBatch(JSON.stringify(minimal), { clusterId: 'east' }).flows[0]!.flow;
    expect(flow).toMatchObject({ clusterId: 'east', format: 'native', bytesIn: 0, connections: 0, policyTrace: [], source: { labels: {} } });
  });

  it.each([
    [{ destinationPort: 'abc' }, 'invalid-field', 'field "destinationPort": expected a number 0-65535 or null, got "abc"'],
    [{ destinationPort: 70000 }, 'invalid-field', 'field "destinationPort": expected a number 0-65535, got 70000'],
    [{ source: { kind: 'robot', name: 'x' } }, 'invalid-field', 'field "source.kind": expected one of workload|pod|host|networkset|external|unknown, got "robot"'],
    [{ verdict: undefined }, 'missing-field', 'field "verdict": expected "allowed" or "denied", got nothing'],
    [{ policyTrace: [{ kind: 'NetworkPolicy', name: 'x', action: 'drop', ruleIndex: 0 }] }, 'invalid-field', 'field "policyTrace[0].action": expected one of allow|deny|pass|log, got "drop"'],
    [{ v: 2 }, 'invalid-field', 'field "v": expected 1, got 2'],
  ])('rejects %j', (patch, kind, message) => {
    const line = JSON.stringify({ ...JSON.parse(serializeNativeFlow(makeFlow())), ...patch });
    const result = parseFlowBatch(['', line], { clusterId: 'c', format: 'native' });
    expect(result.flows).toEqual([]);
    expect(result.errors).toEqual([{ line: 2, kind, message }]);
  });
});

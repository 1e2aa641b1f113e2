import { describe, expect, it } from 'vitest';
import { parseFlowBatch } from './parse-flow-batch';

/** whisker-backend's REST shape (FlowResponse). */
const whisker = {
  start_time: '2025-05-01T10:00:00Z',
  end_time: '2025-05-01T10:00:15Z',
  action: 'Deny',
  source_name: 'frontend-6d4cf56db6-*',
  source_namespace: 'shop',
  source_labels: 'app=frontend | tier=web',
  dest_name: 'pub',
  dest_namespace: '',
  dest_labels: '',
  protocol: 'tcp',
  dest_port: 443,
  reporter: 'Src',
  policies: {
    enforced: [
      { kind: 'EndOfTier', name: '', namespace: '', tier: 'default', action: 'Deny', policy_index: 1, rule_index: -1, trigger: { kind: 'CalicoNetworkPolicy', name: 'default.egress', namespace: 'shop', tier: 'default', action: 'ActionUnspecified', policy_index: 1, rule_index: 0, trigger: null } },
      { kind: 'GlobalNetworkPolicy', name: 'security.allow-dns', namespace: '', tier: 'security', action: 'Pass', policy_index: 0, rule_index: 2, trigger: null },
    ],
    pending: [{ kind: 'StagedNetworkPolicy', name: 'default.allow-egress', namespace: 'shop', tier: 'default', action: 'Allow', policy_index: 0, rule_index: 0, trigger: null }],
  },
  packets_in: 0,
  packets_out: 3,
  bytes_in: 0,
  bytes_out: 180,
};

/** The emitter's Go encoding of goldmane `Flow`: nested Key, PascalCase, numeric enums. */
const emitter = {
  Key: {
    SourceName: 'api-0', SourceNamespace: 'shop', SourceType: 1, DestName: 'db-7c9d8f6b5c-*', DestNamespace: 'data', DestType: 1,
    DestPort: 5432, DestServiceName: 'db', DestServiceNamespace: 'data', Proto: 'tcp', Reporter: 2, Action: 1,
    Policies: { EnforcedPolicies: [{ Kind: 6, Namespace: 'data', Name: 'allow-api', Tier: 'default', Action: 1, PolicyIndex: 0, RuleIndex: 0 }], PendingPolicies: [] },
  },
  StartTime: 1746093600,
  EndTime: 1746093615,
  SourceLabels: ['app=api'],
  DestLabels: ['app=db'],
  PacketsIn: 10, PacketsOut: 12, BytesIn: 1000, BytesOut: 2000, NumConnectionsStarted: 2,
};

/** protojson: lowerCamelCase, enum names, int64 as strings. */
const protojson = {
  key: { sourceName: 'pvt', sourceType: 'Network', destName: 'web-5f7b9c8d6d-*', destNamespace: 'shop', destType: 'WorkloadEndpoint', destPort: '8080', proto: 'udp', reporter: 'Dst', action: 'Allow' },
  startTime: '1746093600', endTime: '1746093615', packetsIn: '4', bytesIn: '400', numConnectionsStarted: '1',
};

describe('goldmane', () => {
  it('reads the whisker REST shape', () => {
    const result = parseFlowBatch([JSON.stringify(whisker)], { clusterId: 'oss' });
    expect(result.format).toBe('goldmane');
    expect(result.errors).toEqual([]);
    const flow = result.flows[0]!.flow;
    expect(flow).toMatchObject({
      startMs: Date.UTC(2025, 4, 1, 10), endMs: Date.UTC(2025, 4, 1, 10, 0, 15), verdict: 'denied', reporter: 'source', protocol: 'TCP', destinationPort: 443,
      packetsOut: 3, bytesOut: 180, connections: 0, format: 'goldmane',
      source: { kind: 'workload', namespace: 'shop', name: 'frontend', workloadKind: 'Deployment', labels: { app: 'frontend', tier: 'web' } },
      destination: { kind: 'external', name: 'pub', labels: {} },
    });
    expect(flow.policyTrace).toEqual([
      { kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.allow-dns', action: 'pass', ruleIndex: 2, staged: false },
      { kind: 'EndOfTier', tier: 'default', namespace: 'shop', name: 'default.egress', action: 'deny', ruleIndex: -1, staged: false },
    ]);
    expect(flow.pendingTrace).toEqual([{ kind: 'StagedNetworkPolicy', tier: 'default', namespace: 'shop', name: 'default.allow-egress', action: 'allow', ruleIndex: 0, staged: true }]);
  });

  it('reads the emitter shape (nested Key, numeric enums) and FlowResult wrapping', () => {
    for (const doc of [emitter, { id: 7, flow: emitter }]) {
      const result = parseFlowBatch([JSON.stringify(doc)], { clusterId: 'oss', format: 'goldmane' });
      expect(result.errors).toEqual([]);
      expect(result.flows[0]!.flow).toMatchObject({
        startMs: 1746093600000, verdict: 'allowed', reporter: 'destination', connections: 2, bytesIn: 1000, bytesOut: 2000, packetsIn: 10, packetsOut: 12,
        source: { kind: 'pod', name: 'api-0', workloadKind: 'Pod', pod: 'api-0', namespace: 'shop', labels: { app: 'api' } },
        destination: { kind: 'workload', namespace: 'data', name: 'db', workloadKind: 'Deployment', serviceName: 'data/db', labels: { app: 'db' } },
        policyTrace: [{ kind: 'NetworkPolicy', namespace: 'data', name: 'allow-api', tier: 'default', action: 'allow', ruleIndex: 0, staged: false }],
      });
    }
    const detected = parseFlowBatch([JSON.stringify(emitter)], { clusterId: 'oss' });
    expect(detected.format).toBe('goldmane');
  });

  it('reads protojson (camelCase, int64 strings)', () => {
    const result = parseFlowBatch([JSON.stringify(protojson)], { clusterId: 'oss' });
    expect(result.format).toBe('goldmane');
    expect(result.errors).toEqual([]);
    expect(result.flows[0]!.flow).toMatchObject({
      protocol: 'UDP', destinationPort: 8080, reporter: 'destination', packetsIn: 4, bytesIn: 400, connections: 1,
      source: { kind: 'external', name: 'pvt' }, destination: { kind: 'workload', name: 'web', namespace: 'shop' },
    });
  });

  it('reports bad lines with the field as written', () => {
    const lines = [
      JSON.stringify(whisker),
      JSON.stringify({ ...whisker, dest_port: 'abc' }),
      JSON.stringify({ ...emitter, Key: { ...emitter.Key, Reporter: 9 } }),
      JSON.stringify({ ...whisker, start_time: undefined }),
      JSON.stringify({ ...whisker, policies: { enforced: [{ kind: 'GlobalNetworkPolicy', name: 'x', action: 'Maybe' }] } }),
      '{"start_time":',
    ];
    const result = parseFlowBatch(lines, { clusterId: 'oss', format: 'goldmane' });
    expect(result.flows.map((entry) => entry.line)).toEqual([1]);
    expect(result.errors).toEqual([
      { line: 2, kind: 'invalid-field', message: 'field "dest_port": expected a number 0-65535, got "abc"' },
      { line: 3, kind: 'invalid-field', message: 'field "Key.Reporter": expected "Src" or "Dst", got 9' },
      { line: 4, kind: 'missing-field', message: 'field "start_time": expected epoch seconds or an RFC 3339 time, got nothing' },
      { line: 5, kind: 'invalid-field', message: 'field "policies.enforced[0].action": expected "Allow", "Deny" or "Pass", got "Maybe"' },
      { line: 6, kind: 'invalid-json', message: expect.stringContaining('invalid JSON') },
    ]);
  });
});

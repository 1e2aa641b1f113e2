import { describe, expect, it } from 'vitest';
import { makeFlow } from '../testing';
import { aggregateHubbleFlows } from './aggregate-hubble-flows';

const event = (overrides: Parameters<typeof makeFlow>[0] = {}) =>
  makeFlow({ format: 'hubble', reporter: 'observer', bytesIn: 0, bytesOut: 0, packetsOut: 1, packetsIn: 0, connections: 0, startMs: 1_000, endMs: 1_000, ...overrides });

describe('aggregateHubbleFlows', () => {
  it('keys windows by verdict, drop reason and policy, and never mutates its input', () => {
    const events = [
      { flow: event({ tcpFlags: ['SYN'], connections: 1 }), line: 3 },
      { flow: event({ packetsOut: 0, packetsIn: 1, tcpFlags: ['SYN', 'ACK'], startMs: 2_000 }), line: 4 },
      { flow: event({ verdict: 'denied', dropReason: 'POLICY_DENIED' }), line: 5 },
      { flow: event({ policyTrace: [{ kind: 'CiliumNetworkPolicy', namespace: 'shop', name: 'p', action: 'allow', ruleIndex: 0, staged: false }] }), line: 6 },
      { flow: event({ startMs: 11_000 }), line: 7 },
    ];
    const before = structuredClone(events);
    const flows = aggregateHubbleFlows(events, 10_000);
    expect(events).toEqual(before);
    expect(flows.map(({ flow, line }) => [line, flow.startMs, flow.endMs, flow.verdict, flow.packetsOut, flow.packetsIn, flow.connections, flow.tcpFlags])).toEqual([
      [3, 0, 10_000, 'allowed', 1, 1, 1, ['SYN', 'ACK']],
      [5, 0, 10_000, 'denied', 1, 0, 0, undefined],
      [6, 0, 10_000, 'allowed', 1, 0, 0, undefined],
      [7, 10_000, 20_000, 'allowed', 1, 0, 0, undefined],
    ]);
  });

  it('drops endpoint details that differ within a window', () => {
    const flows = aggregateHubbleFlows([
      { flow: event({ source: { pod: 'web-a', ip: '10.0.0.1' }, sourcePort: 1 }), line: 1 },
      { flow: event({ source: { pod: 'web-b', ip: '10.0.0.1' }, sourcePort: 2 }), line: 2 },
    ]);
    expect(flows).toHaveLength(1);
    expect(flows[0]!.flow.source.pod).toBeUndefined();
    expect(flows[0]!.flow.source.ip).toBe('10.0.0.1');
    expect(flows[0]!.flow.sourcePort).toBeNull();
  });

  it('rejects a non-positive window (programmer error)', () => {
    expect(() => aggregateHubbleFlows([], 0)).toThrow(RangeError);
  });
});

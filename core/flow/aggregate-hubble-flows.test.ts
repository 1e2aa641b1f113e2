import { describe, expect, it } from 'vitest';
import { makeFlow } from '../testing';
import { aggregateHubbleFlows } from './aggregate-hubble-flows';

const event = (overrides: Parameters<typeof makeFlow>[0] = {}) =>
  makeFlow({ format: 'hubble', reporter: 'observer', bytesIn: 0, bytesOut: 0, packetsOut: 1, packetsIn: 0, connections: 0, startMs: 1_000, endMs: 1_000, ...overrides });

const allowedBy = (name: string) => ({ kind: 'CiliumNetworkPolicy' as const, namespace: 'shop', name, action: 'allow' as const, ruleIndex: 0, staged: false });

describe('aggregateHubbleFlows', () => {
  it('keys windows by verdict, drop reason and policy, and never mutates its input', () => {
    const events = [
      { flow: event({ tcpFlags: ['SYN'], connections: 1, policyTrace: [allowedBy('p')] }), line: 3 },
      { flow: event({ packetsOut: 0, packetsIn: 1, tcpFlags: ['SYN', 'ACK'], startMs: 2_000 }), line: 4 },
      { flow: event({ verdict: 'denied', dropReason: 'POLICY_DENIED' }), line: 5 },
      { flow: event({ policyTrace: [allowedBy('q')] }), line: 6 },
      { flow: event({ startMs: 11_000 }), line: 7 },
    ];
    const before = structuredClone(events);
    const flows = aggregateHubbleFlows(events, 10_000);
    expect(events).toEqual(before);
    expect(flows.map(({ flow, line }) => [line, flow.startMs, flow.endMs, flow.verdict, flow.policyTrace.map((hit) => hit.name), flow.packetsOut, flow.packetsIn, flow.connections, flow.tcpFlags])).toEqual([
      [3, 0, 10_000, 'allowed', ['p'], 1, 1, 1, ['SYN', 'ACK']],
      [5, 0, 10_000, 'denied', [], 1, 0, 0, undefined],
      [6, 0, 10_000, 'allowed', ['q'], 1, 0, 0, undefined],
      [7, 10_000, 20_000, 'allowed', [], 1, 0, 0, undefined],
    ]);
  });

  it("folds a connection's trace events (no policy named) into its policy-verdict event, in either order", () => {
    const connection = (verdictFirst: boolean) => {
      const verdict = { flow: event({ tcpFlags: ['SYN'], connections: 1, policyTrace: [allowedBy('allow-rag-api')] }), line: 1 };
      const traces = [
        { flow: event({ packetsOut: 0, packetsIn: 1, tcpFlags: ['SYN', 'ACK'] }), line: 2 },
        { flow: event({ tcpFlags: ['ACK'] }), line: 3 },
        { flow: event({ tcpFlags: ['ACK', 'FIN'] }), line: 4 },
      ];
      return aggregateHubbleFlows(verdictFirst ? [verdict, ...traces] : [...traces, verdict]);
    };
    for (const flows of [connection(true), connection(false)]) {
      expect(flows).toHaveLength(1);
      expect(flows[0]?.flow).toMatchObject({ connections: 1, packetsOut: 3, packetsIn: 1, policyTrace: [{ name: 'allow-rag-api' }] });
    }
  });

  it('without any policy-verdict event in the window, no policy was named', () => {
    const flows = aggregateHubbleFlows([
      { flow: event({ tcpFlags: ['SYN'], connections: 1 }), line: 1 },
      { flow: event({ tcpFlags: ['ACK'] }), line: 2 },
    ]);
    expect(flows.map(({ flow }) => [flow.connections, flow.policyTrace])).toEqual([[1, []]]);
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

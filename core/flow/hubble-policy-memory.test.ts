import { describe, expect, it } from 'vitest';
import { makeFlow } from '../testing';
import { HubbleWindowAggregator } from './aggregate-hubble-flows';
import { HubblePolicyMemory } from './hubble-policy-memory';
import type { Flow, PolicyHit } from './types';

const allow: PolicyHit = { kind: 'CiliumNetworkPolicy', namespace: 'data', name: 'allow-rag-api', action: 'allow', ruleIndex: 0, staged: false };
const event = (overrides: Partial<Flow> = {}): Flow =>
  makeFlow({ format: 'hubble', reporter: 'observer', bytesIn: 0, bytesOut: 0, packetsOut: 1, packetsIn: 0, connections: 0, startMs: 1_000, endMs: 1_000, ...overrides });

/** One batch through an aggregator sharing `memory`, as the collector parses them. */
function batch(memory: HubblePolicyMemory, events: Flow[]): Flow[] {
  const aggregator = new HubbleWindowAggregator(10_000, memory);
  events.forEach((flow, index) => aggregator.add(flow, index + 1, false));
  return aggregator.flows().map(({ flow }) => flow);
}

describe('HubblePolicyMemory across batches', () => {
  it("a long-lived connection's later windows keep the policy its verdict event named", () => {
    const memory = new HubblePolicyMemory();
    const [opened] = batch(memory, [event({ tcpFlags: ['SYN'], connections: 1, policyTrace: [allow] })]);
    expect(opened?.policyTrace).toEqual([allow]);
    // Minutes later, another batch: only trace events of the same conversation, no new connection.
    const [continued] = batch(memory, [event({ startMs: 300_000, tcpFlags: ['ACK'] }), event({ startMs: 301_000, packetsOut: 0, packetsIn: 1 })]);
    expect(continued?.policyTrace).toEqual([allow]);
    expect(continued?.connections).toBe(0);
  });

  it('a new connection that names no policy, another conversation, or one silent past the limit stays without', () => {
    const memory = new HubblePolicyMemory({ maxEntries: 10, ttlMs: 60_000 });
    batch(memory, [event({ tcpFlags: ['SYN'], connections: 1, policyTrace: [allow] })]);
    expect(batch(memory, [event({ startMs: 20_000, tcpFlags: ['SYN'], connections: 1 })])[0]?.policyTrace).toEqual([]);
    expect(batch(memory, [event({ startMs: 20_000, destinationPort: 6379 })])[0]?.policyTrace).toEqual([]);
    expect(batch(memory, [event({ startMs: 200_000 })])[0]?.policyTrace).toEqual([]);
  });

  it('stays within its bound, forgetting the least recently seen', () => {
    const memory = new HubblePolicyMemory({ maxEntries: 2, ttlMs: 60_000 });
    memory.remember('a', [allow], 1);
    memory.remember('b', [allow], 2);
    expect(memory.recall('a', 3)).toEqual([allow]); // a is now the most recent
    memory.remember('c', [allow], 4);
    expect(memory.size).toBe(2);
    expect(memory.recall('b', 5)).toBeUndefined();
    expect(memory.recall('a', 5)).toEqual([allow]);
  });
});

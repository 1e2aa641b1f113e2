import { describe, expect, it } from 'vitest';
import { addEdgeCounters } from './add-edge-counters';

describe('addEdgeCounters', () => {
  it('sums every counter and keeps the later last-seen time', () => {
    const into = { flows: 1, connections: 2, bytesOut: 3, bytesIn: 4, packetsOut: 5, packetsIn: 6, lastSeenMs: 2_000, port: 443 };
    addEdgeCounters(into, { flows: 10, connections: 20, bytesOut: 30, bytesIn: 40, packetsOut: 50, packetsIn: 60, lastSeenMs: 1_000 });
    expect(into).toEqual({ flows: 11, connections: 22, bytesOut: 33, bytesIn: 44, packetsOut: 55, packetsIn: 66, lastSeenMs: 2_000, port: 443 });
    addEdgeCounters(into, { flows: 0, connections: 0, bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0, lastSeenMs: 3_000 });
    expect(into.lastSeenMs).toBe(3_000);
  });
});

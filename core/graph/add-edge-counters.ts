import type { GraphEdgeRow } from './types';

/** The additive counters of an edge row, and of everything aggregated from rows. */
export type EdgeCounters = Pick<GraphEdgeRow, 'flows' | 'connections' | 'bytesOut' | 'bytesIn' | 'packetsOut' | 'packetsIn' | 'lastSeenMs'>;

/** Adds `from`'s counters into `into` (last seen: the later of the two). */
export function addEdgeCounters(into: EdgeCounters, from: Readonly<EdgeCounters>): void {
  into.flows += from.flows;
  into.connections += from.connections;
  into.bytesOut += from.bytesOut;
  into.bytesIn += from.bytesIn;
  into.packetsOut += from.packetsOut;
  into.packetsIn += from.packetsIn;
  into.lastSeenMs = Math.max(into.lastSeenMs, from.lastSeenMs);
}

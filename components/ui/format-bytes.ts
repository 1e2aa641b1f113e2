/** 1536 → "1.5 KiB": binary units, one decimal below 10. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Byte and packet counters of a flow, an edge or a group. */
interface TrafficCounters {
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
}

/**
 * Packets with no bytes: the flow source logs no byte counts (Hubble), so "0 B" would be false.
 * No packet is ever empty, so this needs no knowledge of the format.
 */
export function bytesNotReported(counters: TrafficCounters): boolean {
  return counters.bytesOut === 0 && counters.bytesIn === 0 && counters.packetsOut + counters.packetsIn > 0;
}

export const BYTES_NOT_REPORTED = 'not reported by the flow source (Hubble logs no byte counts)';

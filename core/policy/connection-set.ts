import { PROTOCOLS, type Protocol } from '../inventory/types';

/** Inclusive port interval `[start, end]` within 1–65535. */
export type PortInterval = readonly [number, number];

/**
 * A set of connections: for each protocol, sorted, disjoint, non-adjacent port intervals.
 * `{ TCP: [[8080, 8080]], UDP: [], SCTP: [] }` is "TCP 8080". ICMP is not modelled (as in Kubernetes).
 */
export type ConnectionSet = Readonly<Record<Protocol, readonly PortInterval[]>>;

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** The empty set. */
export function noConnections(): ConnectionSet {
  return { TCP: [], UDP: [], SCTP: [] };
}

/** Every port of every protocol ("All Connections"). */
export function allConnections(): ConnectionSet {
  return { TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]], SCTP: [[MIN_PORT, MAX_PORT]] };
}

/** One protocol, ports `start`–`end` (defaults: the whole protocol). */
export function connectionsOf(protocol: Protocol, start?: number, end?: number): ConnectionSet {
  const set = { TCP: [] as PortInterval[], UDP: [] as PortInterval[], SCTP: [] as PortInterval[] };
  const low = Math.max(MIN_PORT, start ?? MIN_PORT);
  const high = Math.min(MAX_PORT, end ?? start ?? MAX_PORT);
  if (low <= high) set[protocol] = [[low, high]];
  return set;
}

function normalize(intervals: readonly PortInterval[]): PortInterval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

function intersectIntervals(a: readonly PortInterval[], b: readonly PortInterval[]): PortInterval[] {
  const out: PortInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a[i] as PortInterval;
    const right = b[j] as PortInterval;
    const start = Math.max(left[0], right[0]);
    const end = Math.min(left[1], right[1]);
    if (start <= end) out.push([start, end]);
    if (left[1] < right[1]) i++;
    else j++;
  }
  return out;
}

function subtractIntervals(a: readonly PortInterval[], b: readonly PortInterval[]): PortInterval[] {
  const out: PortInterval[] = [];
  for (const [start, end] of a) {
    let cursor = start;
    for (const [cutStart, cutEnd] of b) {
      if (cutEnd < cursor || cutStart > end) continue;
      if (cutStart > cursor) out.push([cursor, cutStart - 1]);
      cursor = Math.max(cursor, cutEnd + 1);
      if (cursor > end) break;
    }
    if (cursor <= end) out.push([cursor, end]);
  }
  return out;
}

function map3(fn: (protocol: Protocol) => readonly PortInterval[]): ConnectionSet {
  return { TCP: fn('TCP'), UDP: fn('UDP'), SCTP: fn('SCTP') };
}

export function unionConnections(...sets: readonly ConnectionSet[]): ConnectionSet {
  return map3((protocol) => normalize(sets.flatMap((set) => set[protocol])));
}

export function intersectConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  return map3((protocol) => intersectIntervals(a[protocol], b[protocol]));
}

/** `a` minus `b`. */
export function subtractConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  return map3((protocol) => subtractIntervals(a[protocol], b[protocol]));
}

export function isEmptyConnections(set: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => set[protocol].length === 0);
}

function isWholeProtocol(intervals: readonly PortInterval[]): boolean {
  const only = intervals[0];
  return intervals.length === 1 && only !== undefined && only[0] === MIN_PORT && only[1] === MAX_PORT;
}

export function isAllConnections(set: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => isWholeProtocol(set[protocol]));
}

export function equalConnections(a: ConnectionSet, b: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => {
    const left = normalize(a[protocol]);
    const right = normalize(b[protocol]);
    return left.length === right.length && left.every((interval, index) => interval[0] === right[index]?.[0] && interval[1] === right[index]?.[1]);
  });
}

/** True when the protocol/port is in the set. */
export function containsConnection(set: ConnectionSet, protocol: Protocol, port: number): boolean {
  return set[protocol].some(([start, end]) => port >= start && port <= end);
}

/**
 * Formats as netpol-analyzer's connlist does: `All Connections`, `No Connections`, or protocol groups
 * sorted by protocol name, e.g. `SCTP 1-65535,TCP 8080,9090,UDP 1-52,54-65535`.
 */
export function formatConnectionSet(set: ConnectionSet): string {
  if (isAllConnections(set)) return 'All Connections';
  if (isEmptyConnections(set)) return 'No Connections';
  const groups: string[] = [];
  for (const protocol of [...PROTOCOLS].sort()) {
    const intervals = normalize(set[protocol]);
    if (intervals.length === 0) continue;
    const ports = intervals.map(([start, end]) => (start === end ? `${start}` : `${start}-${end}`)).join(',');
    groups.push(`${protocol} ${ports}`);
  }
  return groups.join(',');
}

export type ParseConnectionSetResult =
  | { readonly ok: true; readonly value: ConnectionSet }
  | { readonly ok: false; readonly error: { readonly kind: 'invalid-connection-set'; readonly message: string } };

/**
 * Parses the connlist CONN column: a token starting with `TCP `, `UDP ` or `SCTP ` opens a group,
 * other tokens add a port or inclusive range to the current group. A bare protocol name means every port.
 */
export function parseConnectionSet(text: string): ParseConnectionSetResult {
  const trimmed = text.trim();
  if (trimmed === 'All Connections') return { ok: true, value: allConnections() };
  if (trimmed === 'No Connections' || trimmed === '') return { ok: true, value: noConnections() };
  const parts: Record<Protocol, PortInterval[]> = { TCP: [], UDP: [], SCTP: [] };
  let current: Protocol | undefined;
  for (const rawToken of trimmed.split(',')) {
    let token = rawToken.trim();
    const opener = /^(TCP|UDP|SCTP)(?:\s+(.*))?$/.exec(token);
    if (opener) {
      current = opener[1] as Protocol;
      token = (opener[2] ?? '').trim();
      if (token === '') {
        parts[current].push([MIN_PORT, MAX_PORT]);
        continue;
      }
    }
    if (current === undefined) return { ok: false, error: { kind: 'invalid-connection-set', message: `"${text}": port before any protocol` } };
    const range = /^(\d+)(?:-(\d+))?$/.exec(token);
    if (!range) return { ok: false, error: { kind: 'invalid-connection-set', message: `"${text}": bad port token "${token}"` } };
    const start = Number(range[1]);
    const end = range[2] !== undefined ? Number(range[2]) : start;
    if (start < MIN_PORT || end > MAX_PORT || end < start) {
      return { ok: false, error: { kind: 'invalid-connection-set', message: `"${text}": port range ${token} out of bounds` } };
    }
    parts[current].push([start, end]);
  }
  return { ok: true, value: unionConnections(parts) };
}

/**
 * Hand-written field readers for the hot parsing path. zod would be clearer, but at ≥150k lines/s per core
 * its per-field allocations dominate, so wire formats are checked with these and the canonical native
 * format (low volume) uses zod. Each reader throws a {@link FieldError} that the line wrapper turns into a
 * tagged error; nothing escapes a parser.
 */
import { FieldError } from './line-result';
import type { Protocol } from './types';

export type WireObject = Record<string, unknown>;

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calico and VPC write `-` (and sometimes null) for "no value". */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === '-';
}

/** A string, or undefined when absent (`-`, '', null). Any other type is an error. */
export function optionalString(value: unknown, field: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string') return value;
  throw new FieldError(field, 'a string', value);
}

export function requiredString(value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new FieldError(field, 'a non-empty string', value);
}

/** A non-negative integer counter; absent counts as 0. Accepts numeric strings (protobuf JSON renders int64 as strings). */
export function counter(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value;
  } else if (typeof value === 'string' && /^\d{1,16}$/.test(value)) {
    return Number(value);
  }
  throw new FieldError(field, 'a non-negative integer', value);
}

/** A port 0-65535, or null when absent. Numeric strings are accepted. */
export function port(value: unknown, field: string): number | null {
  if (isAbsent(value)) return null;
  let n: number = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d{1,5}$/.test(value)) n = Number(value);
  if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  throw new FieldError(field, 'a number 0-65535', value);
}

const PROTOCOL_NUMBERS: Record<number, Protocol> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP' };
const PROTOCOL_NAMES: Record<string, Protocol> = {
  tcp: 'TCP',
  udp: 'UDP',
  sctp: 'SCTP',
  icmp: 'ICMP',
  icmpv4: 'ICMP',
  icmp6: 'ICMPv6',
  icmpv6: 'ICMPv6',
  'ipv6-icmp': 'ICMPv6',
};

/** Protocol from a name (`tcp`, `TCP`, `icmp6`) or an IANA number (`6`, "17"); unknown ones are `other`. */
export function protocolFromWire(value: unknown, field: string): Protocol {
  if (isAbsent(value)) return 'other';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 255) return PROTOCOL_NUMBERS[value] ?? 'other';
  } else if (typeof value === 'string') {
    const byName = PROTOCOL_NAMES[value.toLowerCase()];
    if (byName) return byName;
    if (/^\d{1,3}$/.test(value)) {
      const n = Number(value);
      if (n <= 255) return PROTOCOL_NUMBERS[n] ?? 'other';
    } else {
      return 'other';
    }
  }
  throw new FieldError(field, 'a protocol name or number 0-255', value);
}

/**
 * A time as epoch ms from epoch seconds (number or numeric string, fractions allowed) or an RFC 3339 string.
 * Epoch values above 1e11 are taken to be milliseconds already (1e11 s is the year 5138).
 */
export function timeMs(value: unknown, field: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value > 1e11 ? Math.floor(value) : Math.floor(value * 1000);
  } else if (typeof value === 'string') {
    const fast = rfc3339UtcMs(value);
    if (fast !== undefined) return fast;
    if (/^\d{1,16}(\.\d+)?$/.test(value)) return timeMs(Number(value), field);
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new FieldError(field, 'epoch seconds or an RFC 3339 time', value);
}

// Two-entry memo of the last whole seconds seen: event streams (Hubble) carry many timestamps within the same
// second and aggregated records alternate start/end, and Date.parse is a measurable share of the per-line cost.
// Deterministic, so still pure.
let memoSecond = '';
let memoSecondMs = 0;
let memoOtherSecond = '';
let memoOtherSecondMs = 0;

/** `2021-06-16T16:52:13.136834446Z` → epoch ms (fraction truncated), or undefined for any other shape. */
function rfc3339UtcMs(value: string): number | undefined {
  const length = value.length;
  if (length < 20 || value.charCodeAt(length - 1) !== 90 /* Z */ || value.charCodeAt(10) !== 84 /* T */) return undefined;
  const second = value.slice(0, 19);
  let base: number;
  if (second === memoSecond) {
    base = memoSecondMs;
  } else if (second === memoOtherSecond) {
    base = memoOtherSecondMs;
  } else {
    base = Date.parse(`${second}Z`);
    if (Number.isNaN(base)) return undefined;
    memoOtherSecond = memoSecond;
    memoOtherSecondMs = memoSecondMs;
    memoSecond = second;
    memoSecondMs = base;
  }
  if (length === 20) return base;
  if (value.charCodeAt(19) !== 46 /* . */) return undefined;
  let fractionMs = 0;
  let scale = 100;
  for (let i = 20; i < length - 1; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (scale >= 1) fractionMs += digit * scale;
    scale /= 10;
  }
  return base + fractionMs;
}

/** Labels from `["k=v", …]` (Calico/Goldmane), `{"labels":["k=v"]}` (Calico ES docs), `{k: v}`, or `"k=v | k2=v2"` (Whisker). */
export function labelsFromWire(value: unknown, field: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (isAbsent(value)) return labels;
  if (Array.isArray(value)) {
    addLabelPairs(labels, value, field);
    return labels;
  }
  if (typeof value === 'string') {
    for (const part of value.split('|')) {
      const pair = part.trim();
      if (pair !== '') addLabelPair(labels, pair);
    }
    return labels;
  }
  if (isObject(value)) {
    const inner = value.labels;
    if (Array.isArray(inner)) {
      addLabelPairs(labels, inner, `${field}.labels`);
      return labels;
    }
    if (inner === null && Object.keys(value).length === 1) return labels;
    for (const key in value) {
      const v = value[key];
      if (typeof v !== 'string') throw new FieldError(`${field}.${key}`, 'a string label value', v);
      labels[key] = v;
    }
    return labels;
  }
  throw new FieldError(field, 'labels as ["k=v", …] or {"k": "v"}', value);
}

function addLabelPairs(labels: Record<string, string>, pairs: unknown[], field: string): void {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (typeof pair !== 'string') throw new FieldError(`${field}[${i}]`, 'a "key=value" string', pair);
    addLabelPair(labels, pair);
  }
}

function addLabelPair(labels: Record<string, string>, pair: string): void {
  const eq = pair.indexOf('=');
  if (eq < 0) labels[pair] = '';
  else labels[pair.slice(0, eq)] = pair.slice(eq + 1);
}

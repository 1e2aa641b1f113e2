/** An inclusive range of IPv4 addresses as unsigned 32-bit integers. */
export interface Ipv4Range {
  readonly start: number;
  readonly end: number;
}

export type ParsedCidr =
  | { readonly family: 4; readonly range: Ipv4Range; readonly prefixLength: number }
  | { readonly family: 6; readonly text: string; readonly prefixLength: number };

export type ParseCidrResult =
  | { readonly ok: true; readonly value: ParsedCidr }
  | { readonly ok: false; readonly error: { readonly kind: 'invalid-cidr'; readonly message: string } };

const IPV4_MAX = 0xffffffff;

/** Parses a dotted-quad IPv4 address into an unsigned integer, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Formats an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function looksLikeIpv6(text: string): boolean {
  // Syntax check only: flowlens computes ranges for IPv4; IPv6 blocks are kept but not split.
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  const doubleColons = text.split('::').length - 1;
  return doubleColons <= 1;
}

/**
 * Parses `a.b.c.d/n` (or an IPv6 CIDR) into a range. Host bits set below the prefix are masked away,
 * as the Kubernetes API server accepts them (`10.1.2.3/8` means 10.0.0.0/8).
 */
export function parseCidr(text: string): ParseCidrResult {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, error: { kind: 'invalid-cidr', message: `"${text}" is not a CIDR (missing /prefix)` } };
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) {
    return { ok: false, error: { kind: 'invalid-cidr', message: `"${text}" has an invalid prefix length` } };
  }
  const prefixLength = Number(prefixText);
  const ipv4 = parseIpv4(address);
  if (ipv4 !== undefined) {
    if (prefixLength > 32) {
      return { ok: false, error: { kind: 'invalid-cidr', message: `"${text}" has a prefix length above 32` } };
    }
    const size = 2 ** (32 - prefixLength);
    const start = Math.floor(ipv4 / size) * size;
    return { ok: true, value: { family: 4, prefixLength, range: { start, end: Math.min(IPV4_MAX, start + size - 1) } } };
  }
  if (looksLikeIpv6(address)) {
    if (prefixLength > 128) {
      return { ok: false, error: { kind: 'invalid-cidr', message: `"${text}" has a prefix length above 128` } };
    }
    return { ok: true, value: { family: 6, text, prefixLength } };
  }
  return { ok: false, error: { kind: 'invalid-cidr', message: `"${text}" is not a valid IPv4 or IPv6 CIDR` } };
}

import { formatIpv4, parseCidr, type Ipv4Range } from '../inventory/parse-cidr';
import type { Inventory } from '../inventory/types';

export const IPV4_FULL_RANGE: Ipv4Range = { start: 0, end: 0xffffffff };

/** Every IPv4 CIDR (cidr and except) named by ipBlocks and ANP `networks`, as ranges. */
export function collectPolicyIpv4Ranges(
  inventory: Pick<Inventory, 'networkPolicies' | 'adminNetworkPolicies' | 'baselineAdminNetworkPolicies'>,
): Ipv4Range[] {
  const ranges: Ipv4Range[] = [];
  const add = (text: string): void => {
    const parsed = parseCidr(text);
    if (parsed.ok && parsed.value.family === 4) ranges.push(parsed.value.range);
  };
  for (const policy of inventory.networkPolicies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        if (!peer.ipBlock) continue;
        add(peer.ipBlock.cidr);
        peer.ipBlock.except.forEach(add);
      }
    }
  }
  for (const policy of [...inventory.adminNetworkPolicies, ...inventory.baselineAdminNetworkPolicies]) {
    for (const rule of policy.egress) {
      for (const peer of rule.peers) if (peer.kind === 'networks') peer.cidrs.forEach(add);
    }
  }
  return ranges;
}

/**
 * Splits 0.0.0.0–255.255.255.255 at every boundary of the given ranges, so each resulting range is
 * either wholly inside or wholly outside each input range. Every address is covered exactly once,
 * which makes "the complement" ranges (addresses no policy names) part of the result.
 */
export function externalRanges(ranges: readonly Ipv4Range[]): Ipv4Range[] {
  const cuts = new Set<number>([IPV4_FULL_RANGE.start]);
  for (const range of ranges) {
    cuts.add(range.start);
    if (range.end < IPV4_FULL_RANGE.end) cuts.add(range.end + 1);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  return starts.map((start, index) => ({ start, end: (starts[index + 1] ?? IPV4_FULL_RANGE.end + 1) - 1 }));
}

/** `a.b.c.d-e.f.g.h`, the connlist form of an inclusive range. */
export function formatIpv4Range(range: Ipv4Range): string {
  return `${formatIpv4(range.start)}-${formatIpv4(range.end)}`;
}

/** True when `inner` lies entirely inside `outer`. */
export function rangeWithin(inner: Ipv4Range, outer: Ipv4Range): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** True when the two ranges share at least one address. */
export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

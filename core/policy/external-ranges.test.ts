import { describe, expect, it } from 'vitest';
import { parseCidr } from '../inventory/parse-cidr';
import { externalRanges, formatIpv4Range } from './external-ranges';

function range(cidr: string) {
  const parsed = parseCidr(cidr);
  if (!parsed.ok || parsed.value.family !== 4) throw new Error(cidr);
  return parsed.value.range;
}

describe('externalRanges', () => {
  it.each([
    [[], ['0.0.0.0-255.255.255.255']],
    [['0.0.0.0/0'], ['0.0.0.0-255.255.255.255']],
    [['10.0.0.0/8', '10.10.0.0/16'], ['0.0.0.0-9.255.255.255', '10.0.0.0-10.9.255.255', '10.10.0.0-10.10.255.255', '10.11.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']],
    [['255.255.255.0/24'], ['0.0.0.0-255.255.254.255', '255.255.255.0-255.255.255.255']],
    [['1.2.3.4/32'], ['0.0.0.0-1.2.3.3', '1.2.3.4-1.2.3.4', '1.2.3.5-255.255.255.255']],
  ])('splits %j into disjoint covering ranges', (cidrs, expected) => {
    expect(externalRanges(cidrs.map(range)).map(formatIpv4Range)).toEqual(expected);
  });

  it.each([
    ['10.1.2.3/8', '10.0.0.0-10.255.255.255'],
    ['192.168.1.0/24', '192.168.1.0-192.168.1.255'],
  ])('masks host bits of %s', (cidr, expected) => {
    expect(formatIpv4Range(range(cidr))).toBe(expected);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'abc/8'])('rejects %s', (cidr) => {
    expect(parseCidr(cidr).ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { describePolicyKey, parsePolicyKey } from './policy-key';

describe('policy keys', () => {
  it('parses the rollup key', () => {
    expect(parsePolicyKey('CalicoNetworkPolicy|security|payments|tenant-isolation|deny|-1')).toEqual({
      kind: 'CalicoNetworkPolicy',
      tier: 'security',
      namespace: 'payments',
      name: 'tenant-isolation',
      action: 'deny',
      ruleIndex: -1,
    });
    expect(parsePolicyKey('')).toBeNull();
  });

  it.each([
    ['CalicoNetworkPolicy|security|payments|tenant-isolation|deny|-1', 'CalicoNetworkPolicy payments/tenant-isolation (tier security, end of tier)'],
    ['NetworkPolicy||shop|allow-frontend|allow|0', 'NetworkPolicy shop/allow-frontend (rule 0)'],
    ['GlobalNetworkPolicy|default||deny-all|deny|', 'GlobalNetworkPolicy deny-all (tier default)'],
    ['', 'no policy reported'],
  ])('describes %j', (key, expected) => {
    expect(describePolicyKey(key)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { parsePolicyHitKey } from '../flow/deciding-policy';
import { describePolicyHit } from './describe-policy-hit';

describe('describePolicyHit', () => {
  it.each([
    { key: 'NetworkPolicy||data|default-deny|deny|-1', verdict: 'denied', text: 'denied by NetworkPolicy `data/default-deny` (end of tier: no rule matched)' },
    { key: 'NetworkPolicy||payments|allow-api|allow|2', verdict: 'allowed', text: 'allowed by NetworkPolicy `payments/allow-api` (rule 2)' },
    { key: 'GlobalNetworkPolicy|security||security.tenant-isolation|deny|-1', verdict: 'denied', text: 'denied by GlobalNetworkPolicy `security.tenant-isolation` in tier `security` (end of tier: no rule matched)' },
    { key: 'StagedNetworkPolicy|default|shop|lockdown|deny|0', verdict: 'denied', text: 'denied by staged StagedNetworkPolicy `shop/lockdown` (rule 0)' },
    { key: 'Profile|__PROFILE__||__PROFILE__.kns.shop|allow|0', verdict: 'allowed', text: 'allowed by the namespace profile: no policy applies (default allow)' },
    { key: '', verdict: 'allowed', text: 'allowed with no policy (default allow)' },
    { key: '', verdict: 'denied', text: 'denied, no policy reported (dataplane drop)' },
  ] as const)('$text', ({ key, verdict, text }) => {
    expect(describePolicyHit(parsePolicyHitKey(key), verdict)).toBe(text);
  });
});

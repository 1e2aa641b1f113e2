import { describe, expect, it } from 'vitest';
import { describePolicyTrace } from './describe-policy-trace';
import type { PolicyHit, Reporter, Verdict } from './types';

const hit = (overrides: Partial<PolicyHit>): PolicyHit => ({ kind: 'NetworkPolicy', name: 'x', action: 'deny', ruleIndex: 0, staged: false, ...overrides });

const cases: { name: string; trace: PolicyHit[] | null; verdict: Verdict; reporter?: Reporter; summary: string; steps?: string[] }[] = [
  {
    name: 'a global policy rule denies',
    trace: [hit({ kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.tenant-isolation', ruleIndex: 2 })],
    verdict: 'denied',
    summary: 'denied at tier `security` by GlobalNetworkPolicy `security.tenant-isolation`, rule 2',
    steps: ['tier `security`: denied by GlobalNetworkPolicy `security.tenant-isolation`, rule 2'],
  },
  {
    name: 'end of tier default-deny at ingress',
    trace: [hit({ tier: 'default', namespace: 'data', name: 'default-deny', ruleIndex: -1 })],
    verdict: 'denied',
    reporter: 'destination',
    summary: 'denied at end of tier `default`: NetworkPolicy `data/default-deny` selects the destination but no ingress rule matches the source',
  },
  {
    name: 'end of tier at egress',
    trace: [hit({ kind: 'CalicoNetworkPolicy', tier: 'app', namespace: 'hipstershop', name: 'checkoutservice', ruleIndex: -1 })],
    verdict: 'denied',
    reporter: 'source',
    summary: 'denied at end of tier `app`: CalicoNetworkPolicy `hipstershop/checkoutservice` selects the source but no egress rule matches the destination',
  },
  {
    name: 'a pass hands over to the next tier, which allows',
    trace: [
      hit({ kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.pass', action: 'pass', ruleIndex: 0 }),
      hit({ tier: 'default', namespace: 'shop', name: 'allow-web', action: 'allow', ruleIndex: 1 }),
    ],
    verdict: 'allowed',
    summary: 'allowed at tier `default` by NetworkPolicy `shop/allow-web`, rule 1',
    steps: [
      'tier `security`: GlobalNetworkPolicy `security.pass` passed to the next tier (rule 0)',
      'tier `default`: allowed by NetworkPolicy `shop/allow-web`, rule 1',
    ],
  },
  {
    name: 'no trace, allowed',
    trace: [],
    verdict: 'allowed',
    summary: 'allowed with no policy: nothing selects these endpoints (default allow)',
    steps: [],
  },
  { name: 'no trace, denied', trace: null, verdict: 'denied', summary: 'denied with no policy reported: a dataplane drop, not a policy decision' },
  {
    name: 'a profile allows',
    trace: [hit({ kind: 'Profile', name: 'kns.shop', action: 'allow', ruleIndex: 0 })],
    verdict: 'allowed',
    summary: 'allowed by the namespace profile `kns.shop`: no policy applied',
  },
  {
    name: 'a staged deny never decides the enforced verdict',
    trace: [
      hit({ kind: 'StagedNetworkPolicy', tier: 'default', namespace: 'shop', name: 'lockdown', ruleIndex: -1, staged: true }),
      hit({ tier: 'default', namespace: 'shop', name: 'allow-web', action: 'allow', ruleIndex: 0 }),
    ],
    verdict: 'allowed',
    reporter: 'destination',
    summary: 'allowed at tier `default` by NetworkPolicy `shop/allow-web`, rule 0',
    steps: [
      'tier `default`: denied at end of tier: StagedNetworkPolicy `shop/lockdown` selects the destination but no ingress rule matches the source (staged, not enforced)',
      'tier `default`: allowed by NetworkPolicy `shop/allow-web`, rule 0',
    ],
  },
  {
    name: 'recorded verdict disagrees with the trace',
    trace: [hit({ tier: 'default', namespace: 'shop', name: 'allow-web', action: 'allow', ruleIndex: 0 })],
    verdict: 'denied',
    summary: 'allowed at tier `default` by NetworkPolicy `shop/allow-web`, rule 0 — but the flow was denied (the dataplane overrode the policy verdict)',
  },
  {
    name: 'unknown direction (observer)',
    trace: [hit({ kind: 'CiliumNetworkPolicy', namespace: 'data', name: 'db', ruleIndex: -1 })],
    verdict: 'denied',
    reporter: 'observer',
    summary: 'denied at end of tier `default`: CiliumNetworkPolicy `data/db` selects the endpoint but no rule matches the peer',
  },
];

describe('describePolicyTrace', () => {
  it.each(cases)('$name', ({ trace, verdict, reporter, summary, steps }) => {
    const description = describePolicyTrace(trace, verdict, reporter ? { reporter } : {});
    expect(description.summary).toBe(summary);
    if (steps) expect(description.steps).toEqual(steps);
  });
});

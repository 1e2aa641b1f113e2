import { isNoPolicyHit } from '../flow/deciding-policy';
import type { PolicyHit, Verdict } from '../flow/types';

/** `NetworkPolicy \`data/default-deny\`` / `GlobalNetworkPolicy \`security.tenant-isolation\`` */
export function describePolicyName(hit: PolicyHit): string {
  if (isNoPolicyHit(hit)) return 'the namespace profile (no policy applied)';
  const qualified = hit.namespace ? `${hit.namespace}/${hit.name}` : hit.name;
  const tier = hit.tier && hit.tier !== 'default' ? ` in tier \`${hit.tier}\`` : '';
  return `${hit.kind} \`${qualified}\`${tier}`;
}

/**
 * A deciding policy hit in words, e.g. "denied by NetworkPolicy `data/default-deny` (end of tier: no rule
 * matched)" or "allowed by NetworkPolicy `payments/allow-api` (rule 2)". Without a hit the verdict is a
 * default: "allowed with no policy (default allow)".
 */
export function describePolicyHit(hit: PolicyHit | null | undefined, verdict: Verdict): string {
  if (!hit) {
    return verdict === 'allowed' ? 'allowed with no policy (default allow)' : 'denied, no policy reported (dataplane drop)';
  }
  if (isNoPolicyHit(hit)) {
    return verdict === 'allowed' ? 'allowed by the namespace profile: no policy applies (default allow)' : 'denied by the namespace profile';
  }
  const staged = hit.staged ? 'staged ' : '';
  const rule = hit.ruleIndex < 0 ? 'end of tier: no rule matched' : `rule ${hit.ruleIndex}`;
  const how = hit.action === 'pass' ? 'passed to the next tier by' : hit.action === 'log' ? 'logged by' : `${verdict} by`;
  return `${how} ${staged}${describePolicyName(hit)} (${rule})`;
}

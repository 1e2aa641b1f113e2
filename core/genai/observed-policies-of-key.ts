import { isNoPolicyHit, parsePolicyHitKey } from '../flow/deciding-policy';
import type { ObservedPolicy } from './types';

/**
 * The policy that allowed (or denied) a rollup row, from its policy key, as GenAI evidence: none for
 * "no policy applied" (no key, a Calico profile) or an end-of-tier default.
 */
export function observedPoliciesOfKey(policyKey: string): ObservedPolicy[] {
  const hit = parsePolicyHitKey(policyKey);
  if (!hit || isNoPolicyHit(hit) || hit.kind === 'EndOfTier') return [];
  return [{ kind: hit.kind, ...(hit.tier ? { tier: hit.tier } : {}), ...(hit.namespace ? { namespace: hit.namespace } : {}), name: hit.name, action: hit.action }];
}

import type { PolicyRef } from '../inventory/types';
import type { Decision } from './decision';
import type { RuleRef } from './policy-peer';

/** `NetworkPolicy 'ns/name'`, `AdminNetworkPolicy 'name'`. */
export function describePolicy(policy: PolicyRef): string {
  return `${policy.kind} '${policy.namespace !== undefined ? `${policy.namespace}/` : ''}${policy.name}'`;
}

/** `NetworkPolicy 'ns/name' Ingress rule #1`, with the ANP rule name and priority when known. */
export function describeRule(rule: RuleRef): string {
  const priority = rule.priority !== undefined ? ` (priority ${rule.priority})` : '';
  const name = rule.ruleName !== undefined ? ` "${rule.ruleName}"` : '';
  return `${describePolicy(rule.policy)}${priority} ${rule.direction} rule #${rule.ruleIndex + 1}${name}`;
}

/**
 * One sentence for a decision, e.g. "Ingress allowed by NetworkPolicy 'shop/web' Ingress rule #1" or
 * "Egress denied: selected by NetworkPolicy 'shop/default-deny' but no Egress rule matches (default deny)".
 */
export function describeDecision(decision: Decision): string {
  const passed = decision.passedBy ? ` (passed to the next tier by ${describeRule(decision.passedBy)})` : '';
  switch (decision.kind) {
    case 'rule':
      return `${decision.direction} ${decision.action === 'Allow' ? 'allowed' : 'denied'} by ${describeRule(decision.rule)}${passed}`;
    case 'default-deny':
      return `${decision.direction} denied: selected by ${decision.policies.map(describePolicy).join(', ')} but no ${decision.direction} rule matches (default deny)${passed}`;
    case 'default-allow':
      switch (decision.reason) {
        case 'external-peer':
          return `${decision.direction} allowed: the peer is outside the cluster, no cluster policy applies`;
        case 'ingress-controller':
          return `${decision.direction} allowed: the ingress controller is not restricted by cluster policy`;
        case 'not-selected':
          return `${decision.direction} allowed: no policy selects the pod for ${decision.direction} (default allow)${passed}`;
      }
  }
}

import { FieldError } from './line-result';
import type { PolicyAction, PolicyHit } from './types';

const ACTIONS: Record<string, PolicyAction> = { allow: 'allow', deny: 'deny', pass: 'pass', log: 'log' };

/** A parsed Calico policy-trace entry plus the position the dataplane evaluated it in. */
export interface IndexedPolicyHit {
  index: number;
  hit: PolicyHit;
}

/**
 * Parses one Calico flow-log policy entry `index|tier|name|action|rule`, e.g.
 * `1|app-hipstershop|hipstershop/app-hipstershop.checkoutservice|deny|-1`.
 *
 * The kind is not in the log and is inferred from the name, as Calico encodes it:
 * `ns/knp.default.x` → NetworkPolicy `x`; `ns/staged:knp.default.x` → StagedKubernetesNetworkPolicy;
 * `ns/staged:tier.x` → StagedNetworkPolicy; `ns/tier.x` → CalicoNetworkPolicy; `staged:tier.x` → StagedGlobalNetworkPolicy;
 * `kanp.adminnetworkpolicy.x` / `kbanp.baselineadminnetworkpolicy.x` → (Baseline)AdminNetworkPolicy;
 * `__PROFILE__.x` → Profile (no policy applied, the namespace/service-account profile decided);
 * anything else without a namespace → GlobalNetworkPolicy. Calico names keep their tier prefix
 * (`security.tenant-isolation`); Kubernetes-native names are reduced to the object's own name.
 */
export function policyHitFromCalico(entry: unknown, field: string): IndexedPolicyHit {
  if (typeof entry !== 'string') throw new FieldError(field, 'a "index|tier|name|action|rule" string', entry);
  const parts = entry.split('|');
  if (parts.length !== 5) throw new FieldError(field, 'a "index|tier|name|action|rule" string', entry);
  const [indexText = '', tierText = '', fullName = '', actionText = '', ruleText = ''] = parts;
  const index = Number(indexText);
  const ruleIndex = Number(ruleText);
  const action = ACTIONS[actionText.toLowerCase()];
  if (!Number.isInteger(index) || indexText === '') throw new FieldError(field, 'an integer policy index', indexText);
  if (!Number.isInteger(ruleIndex) || ruleText === '') throw new FieldError(field, 'an integer rule index', ruleText);
  if (!action) throw new FieldError(field, 'action allow|deny|pass|log', actionText);
  if (fullName === '') throw new FieldError(field, 'a policy name', fullName);

  let namespace: string | undefined;
  let name = fullName;
  const slash = name.indexOf('/');
  if (slash > 0) {
    namespace = name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  let staged = false;
  if (name.startsWith('staged:')) {
    staged = true;
    name = name.slice('staged:'.length);
  }
  let kind: string;
  let tier: string | undefined = tierText === '' || tierText === '-' ? undefined : tierText;
  if (tierText === '__PROFILE__' || name.startsWith('__PROFILE__.')) {
    kind = 'Profile';
    tier = undefined;
    if (name.startsWith('__PROFILE__.')) name = name.slice('__PROFILE__.'.length);
  } else if (name.startsWith('knp.default.')) {
    kind = staged ? 'StagedKubernetesNetworkPolicy' : 'NetworkPolicy';
    name = name.slice('knp.default.'.length);
  } else if (name.startsWith('kanp.adminnetworkpolicy.')) {
    kind = 'AdminNetworkPolicy';
    name = name.slice('kanp.adminnetworkpolicy.'.length);
  } else if (name.startsWith('kbanp.baselineadminnetworkpolicy.')) {
    kind = 'BaselineAdminNetworkPolicy';
    name = name.slice('kbanp.baselineadminnetworkpolicy.'.length);
  } else if (namespace !== undefined) {
    kind = staged ? 'StagedNetworkPolicy' : 'CalicoNetworkPolicy';
  } else {
    kind = staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy';
  }
  const hit: PolicyHit = { kind, name, action, ruleIndex, staged };
  if (tier !== undefined) hit.tier = tier;
  if (namespace !== undefined) hit.namespace = namespace;
  return { index, hit };
}

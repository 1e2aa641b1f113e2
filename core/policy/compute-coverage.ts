import type { Inventory, PolicyDirection, PolicyRef } from '../inventory/types';
import { collectPeers } from './collect-peers';
import { matchLabelSelector } from './match-label-selector';
import type { PodPeer, PolicySet } from './policy-peer';

export interface DirectionCoverage {
  /** True when any policy (ANP, NetworkPolicy or BANP) with rules for this direction applies to the pod. */
  readonly governed: boolean;
  /** NetworkPolicies selecting the pod for this direction: they make it default-deny for the rest. */
  readonly networkPolicies: readonly PolicyRef[];
  readonly adminNetworkPolicies: readonly PolicyRef[];
  readonly baselineAdminNetworkPolicies: readonly PolicyRef[];
}

export interface WorkloadCoverage {
  /** Connlist name, `namespace/name[Kind]`. */
  readonly peer: string;
  readonly namespace: string;
  readonly ingress: DirectionCoverage;
  readonly egress: DirectionCoverage;
}

export interface NamespaceCoverage {
  readonly namespace: string;
  /** NetworkPolicies with an empty podSelector covering Ingress: every pod is default-deny for ingress. */
  readonly defaultDenyIngress: readonly PolicyRef[];
  readonly defaultDenyEgress: readonly PolicyRef[];
  readonly hasDefaultDenyIngress: boolean;
  readonly hasDefaultDenyEgress: boolean;
}

export interface Coverage {
  readonly workloads: readonly WorkloadCoverage[];
  readonly namespaces: readonly NamespaceCoverage[];
}

function isEmptySelector(selector: { matchLabels: object; matchExpressions: readonly unknown[] }): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function directionCoverage(policies: PolicySet, peer: PodPeer, direction: PolicyDirection): DirectionCoverage {
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const networkPolicies = policies.networkPolicies
    .filter((policy) => policy.namespace === peer.namespace && policy.policyTypes.includes(direction) && matchLabelSelector(policy.podSelector, peer.labels))
    .map((policy): PolicyRef => ({ kind: policy.kind, namespace: policy.namespace, name: policy.name }));
  const subjectMatches = (policy: PolicySet['adminNetworkPolicies'][number] | PolicySet['baselineAdminNetworkPolicies'][number]): boolean =>
    policy[key].length > 0 &&
    matchLabelSelector(policy.subject.namespaceSelector, peer.namespaceLabels) &&
    (policy.subject.kind === 'namespaces' || matchLabelSelector(policy.subject.podSelector, peer.labels));
  const adminNetworkPolicies = policies.adminNetworkPolicies.filter(subjectMatches).map((policy): PolicyRef => ({ kind: policy.kind, name: policy.name }));
  const baselineAdminNetworkPolicies = policies.baselineAdminNetworkPolicies
    .filter(subjectMatches)
    .map((policy): PolicyRef => ({ kind: policy.kind, name: policy.name }));
  return {
    governed: networkPolicies.length + adminNetworkPolicies.length + baselineAdminNetworkPolicies.length > 0,
    networkPolicies,
    adminNetworkPolicies,
    baselineAdminNetworkPolicies,
  };
}

/**
 * Which workloads policies govern, per direction and by which policies, and which namespaces have a
 * default deny (a NetworkPolicy selecting every pod of the namespace for that direction).
 */
export function computeCoverage(inventory: Inventory, policies: PolicySet = inventory): Coverage {
  const workloads = collectPeers(inventory).map((peer) => ({
    peer: peer.name,
    namespace: peer.namespace,
    ingress: directionCoverage(policies, peer, 'Ingress'),
    egress: directionCoverage(policies, peer, 'Egress'),
  }));
  const namespaces = inventory.namespaces.map((namespace) => {
    const wide = policies.networkPolicies.filter((policy) => policy.namespace === namespace.name && isEmptySelector(policy.podSelector));
    const refs = (direction: PolicyDirection): PolicyRef[] =>
      wide
        .filter((policy) => policy.policyTypes.includes(direction))
        .map((policy) => ({ kind: policy.kind, namespace: policy.namespace, name: policy.name }));
    const defaultDenyIngress = refs('Ingress');
    const defaultDenyEgress = refs('Egress');
    return {
      namespace: namespace.name,
      defaultDenyIngress,
      defaultDenyEgress,
      hasDefaultDenyIngress: defaultDenyIngress.length > 0,
      hasDefaultDenyEgress: defaultDenyEgress.length > 0,
    };
  });
  return { workloads, namespaces };
}

import { parseCidr } from '../inventory/parse-cidr';
import type {
  AdminNetworkPolicy,
  AdminPolicyPeer,
  AdminPolicyPort,
  AdminPolicyRule,
  AdminPolicySubject,
  BaselineAdminNetworkPolicy,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PolicyDirection,
  PolicyRef,
} from '../inventory/types';
import {
  allConnections,
  connectionsOf,
  intersectConnections,
  isEmptyConnections,
  noConnections,
  subtractConnections,
  unionConnections,
  type ConnectionSet,
} from './connection-set';
import type { Decision, DirectionSegment, DirectionVerdict } from './decision';
import { rangesOverlap, rangeWithin } from './external-ranges';
import { matchLabelSelector } from './match-label-selector';
import type { PodPeer, PolicyPeer, PolicySet, RuleRef } from './policy-peer';

/** The peer whose ports a named port refers to: the destination of the connection. */
function destinationOf(subject: PodPeer, direction: PolicyDirection, other: PolicyPeer): PolicyPeer {
  return direction === 'Ingress' ? subject : other;
}

/** Named ports resolve against the destination pod's container ports, protocol included. */
function resolveNamedPort(destination: PolicyPeer, name: string, protocol?: NetworkPolicyPort['protocol']): ConnectionSet {
  if (destination.kind !== 'pod') return noConnections();
  const matches = destination.ports.filter((port) => port.name === name && (protocol === undefined || port.protocol === protocol));
  return unionConnections(...matches.map((port) => connectionsOf(port.protocol, port.containerPort, port.containerPort)));
}

/** The connections a NetworkPolicy rule's `ports` list admits (empty list: everything). */
export function networkPolicyPortsToConnections(ports: readonly NetworkPolicyPort[], destination: PolicyPeer): ConnectionSet {
  if (ports.length === 0) return allConnections();
  return unionConnections(
    ...ports.map((port) => {
      if (port.port === undefined) return connectionsOf(port.protocol);
      if (typeof port.port === 'string') return resolveNamedPort(destination, port.port, port.protocol);
      return connectionsOf(port.protocol, port.port, port.endPort ?? port.port);
    }),
  );
}

/** The connections an ANP/BANP rule's `ports` admit (undefined: everything). */
export function adminPolicyPortsToConnections(ports: readonly AdminPolicyPort[] | undefined, destination: PolicyPeer): ConnectionSet {
  if (ports === undefined) return allConnections();
  return unionConnections(
    ...ports.map((port) => {
      switch (port.kind) {
        case 'portNumber':
          return connectionsOf(port.protocol, port.port, port.port);
        case 'portRange':
          return connectionsOf(port.protocol, port.start, port.end);
        case 'namedPort':
          return resolveNamedPort(destination, port.name);
      }
    }),
  );
}

function ipv4RangeOf(cidr: string): { start: number; end: number } | undefined {
  const parsed = parseCidr(cidr);
  return parsed.ok && parsed.value.family === 4 ? parsed.value.range : undefined;
}

/**
 * Whether a NetworkPolicy peer matches `other`. Pod selectors without a namespace selector mean the
 * policy's own namespace. An ipBlock matches only external peers: like the reference analyzer we
 * assume an ipBlock never covers a pod inside the cluster.
 */
export function networkPolicyPeerMatches(peer: NetworkPolicyPeer, policyNamespace: string, other: PolicyPeer): boolean {
  if (peer.ipBlock) {
    if (other.kind !== 'external' || other.range === undefined) return false;
    const block = ipv4RangeOf(peer.ipBlock.cidr);
    if (!block || !rangeWithin(other.range, block)) return false;
    return peer.ipBlock.except.every((except) => {
      const cut = ipv4RangeOf(except);
      return !cut || !rangesOverlap(other.range as { start: number; end: number }, cut);
    });
  }
  if (other.kind !== 'pod') return false;
  if (peer.namespaceSelector) {
    if (!matchLabelSelector(peer.namespaceSelector, other.namespaceLabels)) return false;
  } else if (other.namespace !== policyNamespace || other.ingressController) {
    return false;
  }
  return peer.podSelector ? matchLabelSelector(peer.podSelector, other.labels) : true;
}

function subjectMatches(subject: AdminPolicySubject, pod: PodPeer): boolean {
  if (pod.ingressController) return false;
  if (!matchLabelSelector(subject.namespaceSelector, pod.namespaceLabels)) return false;
  return subject.kind === 'namespaces' || matchLabelSelector(subject.podSelector, pod.labels);
}

/** Whether an ANP/BANP peer matches `other`. `networks` match external addresses only; `nodes` never. */
export function adminPolicyPeerMatches(peer: AdminPolicyPeer, other: PolicyPeer): boolean {
  switch (peer.kind) {
    case 'namespaces':
      return other.kind === 'pod' && matchLabelSelector(peer.namespaceSelector, other.namespaceLabels);
    case 'pods':
      return (
        other.kind === 'pod' &&
        matchLabelSelector(peer.namespaceSelector, other.namespaceLabels) &&
        matchLabelSelector(peer.podSelector, other.labels)
      );
    case 'networks': {
      if (other.kind !== 'external' || other.range === undefined) return false;
      const range = other.range;
      return peer.cidrs.some((cidr) => {
        const block = ipv4RangeOf(cidr);
        return block !== undefined && rangeWithin(range, block);
      });
    }
    case 'nodes':
      return false;
  }
}

function policyRef(policy: NetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy): PolicyRef {
  return policy.kind === 'NetworkPolicy'
    ? { kind: policy.kind, namespace: policy.namespace, name: policy.name }
    : { kind: policy.kind, name: policy.name };
}

function ruleRef(
  policy: NetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy,
  direction: PolicyDirection,
  ruleIndex: number,
  rule?: AdminPolicyRule,
): RuleRef {
  return {
    policy: policyRef(policy),
    direction,
    ruleIndex,
    ...(rule?.name !== undefined ? { ruleName: rule.name } : {}),
    ...(policy.kind === 'AdminNetworkPolicy' ? { priority: policy.priority } : {}),
  };
}

const sortedAdminPolicies = new WeakMap<readonly AdminNetworkPolicy[], AdminNetworkPolicy[]>();

/** ANPs by priority (lower first), ties broken by name so the result is deterministic. */
function byPriority(policies: readonly AdminNetworkPolicy[]): AdminNetworkPolicy[] {
  let sorted = sortedAdminPolicies.get(policies);
  if (!sorted) {
    sorted = [...policies].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
    sortedAdminPolicies.set(policies, sorted);
  }
  return sorted;
}

interface Pending {
  readonly connections: ConnectionSet;
  readonly passedBy?: RuleRef;
}

/**
 * Evaluates one direction for `subject`: its Egress towards `other`, or its Ingress from `other`.
 *
 * Order, per connection (protocol/port): AdminNetworkPolicies by priority, rules in order, the first
 * matching rule decides (Allow/Deny) or passes (Pass: skip the remaining ANPs); then NetworkPolicy:
 * if any NetworkPolicy selects the subject for this direction, the union of their matching rules is
 * allowed and the rest denied; otherwise BaselineAdminNetworkPolicy rules in order; otherwise allowed.
 */
export function evaluateDirection(
  policies: PolicySet,
  subject: PodPeer,
  direction: PolicyDirection,
  other: PolicyPeer,
  candidate: ConnectionSet = allConnections(),
): DirectionVerdict {
  const segments: DirectionSegment[] = [];
  const push = (connections: ConnectionSet, allowed: boolean, decision: Decision): void => {
    if (!isEmptyConnections(connections)) segments.push({ connections, allowed, decision });
  };
  const finish = (): DirectionVerdict => ({
    direction,
    segments,
    allowed: unionConnections(...segments.filter((segment) => segment.allowed).map((segment) => segment.connections)),
  });

  if (subject.ingressController) {
    push(candidate, true, { kind: 'default-allow', direction, reason: 'ingress-controller' });
    return finish();
  }

  const destination = destinationOf(subject, direction, other);
  const ruleKey = direction === 'Ingress' ? 'ingress' : 'egress';

  // Tier 1: AdminNetworkPolicy.
  let remaining = candidate;
  const pending: Pending[] = [];
  for (const policy of byPriority(policies.adminNetworkPolicies)) {
    if (isEmptyConnections(remaining)) break;
    if (!subjectMatches(policy.subject, subject)) continue;
    policy[ruleKey].forEach((rule, index) => {
      if (isEmptyConnections(remaining)) return;
      if (!rule.peers.some((peer) => adminPolicyPeerMatches(peer, other))) return;
      const matched = intersectConnections(remaining, adminPolicyPortsToConnections(rule.ports, destination));
      if (isEmptyConnections(matched)) return;
      remaining = subtractConnections(remaining, matched);
      const ref = ruleRef(policy, direction, index, rule);
      if (rule.action === 'Pass') pending.push({ connections: matched, passedBy: ref });
      else push(matched, rule.action === 'Allow', { kind: 'rule', direction, action: rule.action, rule: ref });
    });
  }
  pending.unshift({ connections: remaining });

  // Tier 2: NetworkPolicy.
  const selecting = policies.networkPolicies.filter(
    (policy) =>
      policy.namespace === subject.namespace &&
      policy.policyTypes.includes(direction) &&
      matchLabelSelector(policy.podSelector, subject.labels),
  );
  if (selecting.length > 0) {
    for (const piece of pending) {
      let undecided = piece.connections;
      for (const policy of selecting) {
        policy[ruleKey].forEach((rule, index) => {
          if (isEmptyConnections(undecided)) return;
          const peerMatches = rule.peers.length === 0 || rule.peers.some((peer) => networkPolicyPeerMatches(peer, policy.namespace, other));
          if (!peerMatches) return;
          const matched = intersectConnections(undecided, networkPolicyPortsToConnections(rule.ports, destination));
          if (isEmptyConnections(matched)) return;
          undecided = subtractConnections(undecided, matched);
          push(matched, true, {
            kind: 'rule',
            direction,
            action: 'Allow',
            rule: ruleRef(policy, direction, index),
            ...(piece.passedBy ? { passedBy: piece.passedBy } : {}),
          });
        });
      }
      push(undecided, false, {
        kind: 'default-deny',
        direction,
        policies: selecting.map(policyRef),
        ...(piece.passedBy ? { passedBy: piece.passedBy } : {}),
      });
    }
    return finish();
  }

  // Tier 3: BaselineAdminNetworkPolicy, then the default (allow).
  for (const piece of pending) {
    let undecided = piece.connections;
    for (const policy of policies.baselineAdminNetworkPolicies) {
      if (!subjectMatches(policy.subject, subject)) continue;
      policy[ruleKey].forEach((rule, index) => {
        if (isEmptyConnections(undecided)) return;
        if (!rule.peers.some((peer) => adminPolicyPeerMatches(peer, other))) return;
        const matched = intersectConnections(undecided, adminPolicyPortsToConnections(rule.ports, destination));
        if (isEmptyConnections(matched)) return;
        undecided = subtractConnections(undecided, matched);
        push(matched, rule.action === 'Allow', {
          kind: 'rule',
          direction,
          action: rule.action === 'Allow' ? 'Allow' : 'Deny',
          rule: ruleRef(policy, direction, index, rule),
          ...(piece.passedBy ? { passedBy: piece.passedBy } : {}),
        });
      });
    }
    push(undecided, true, {
      kind: 'default-allow',
      direction,
      reason: 'not-selected',
      ...(piece.passedBy ? { passedBy: piece.passedBy } : {}),
    });
  }
  return finish();
}

/** The verdict for a direction no cluster policy governs (an external source's egress, and so on). */
export function unrestrictedDirection(
  direction: PolicyDirection,
  reason: 'external-peer' | 'ingress-controller',
  candidate: ConnectionSet = allConnections(),
): DirectionVerdict {
  return { direction, segments: [{ connections: candidate, allowed: true, decision: { kind: 'default-allow', direction, reason } }], allowed: candidate };
}

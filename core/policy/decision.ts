import type { PolicyDirection, PolicyRef } from '../inventory/types';
import type { ConnectionSet } from './connection-set';
import type { RuleRef } from './policy-peer';

/**
 * Why one direction (the source's egress or the destination's ingress) allowed or denied part of a
 * connection. Renderable in words by `describeDecision`.
 */
export type Decision =
  /** A rule decided: an NP allow rule, or an ANP/BANP Allow/Deny rule. */
  | {
      readonly kind: 'rule';
      readonly direction: PolicyDirection;
      readonly action: 'Allow' | 'Deny';
      readonly rule: RuleRef;
      /** ANP Pass rules that delegated this traffic to NetworkPolicy/BANP first. */
      readonly passedBy?: RuleRef;
    }
  /** NetworkPolicies select the pod for this direction, but no rule of theirs matches. */
  | {
      readonly kind: 'default-deny';
      readonly direction: PolicyDirection;
      readonly policies: readonly PolicyRef[];
      readonly passedBy?: RuleRef;
    }
  /** No policy selects the pod for this direction (or the peer is outside the cluster): allowed. */
  | {
      readonly kind: 'default-allow';
      readonly direction: PolicyDirection;
      readonly reason: 'not-selected' | 'external-peer' | 'ingress-controller';
      readonly passedBy?: RuleRef;
    };

/** Part of a direction's verdict: these connections got this decision. */
export interface DirectionSegment {
  readonly connections: ConnectionSet;
  readonly allowed: boolean;
  readonly decision: Decision;
}

export interface DirectionVerdict {
  readonly direction: PolicyDirection;
  /** Disjoint; their union is the candidate set that was evaluated (normally all connections). */
  readonly segments: readonly DirectionSegment[];
  /** Union of the allowed segments. */
  readonly allowed: ConnectionSet;
}

import type { Ipv4Range } from '../inventory/parse-cidr';
import type { ContainerPort, Inventory, PolicyRef, StringMap, WorkloadRef } from '../inventory/types';

/**
 * One side of a connection as the evaluator sees it: a group of identical pods (a workload), the
 * cluster ingress controller, or a range of external IPv4 addresses.
 */
export type PolicyPeer = PodPeer | ExternalPeer;

export interface PodPeer {
  readonly kind: 'pod';
  /** Display name: `namespace/name[Kind]`, or `{ingress-controller}`. */
  readonly name: string;
  readonly namespace: string;
  readonly namespaceLabels: StringMap;
  readonly labels: StringMap;
  /** Container ports, used to resolve named ports when this peer is the destination. */
  readonly ports: readonly ContainerPort[];
  readonly workload?: WorkloadRef;
  /** The cluster ingress controller: its own egress is never restricted, no policy selects it. */
  readonly ingressController?: boolean;
}

export interface ExternalPeer {
  readonly kind: 'external';
  /** Display name: `a.b.c.d-e.f.g.h[External]`. */
  readonly name: string;
  /** Undefined for addresses flowlens cannot place on the IPv4 line (IPv6, unparsable). */
  readonly range?: Ipv4Range;
}

/** The policies the evaluator reads. An `Inventory` is one; a what-if proposal can be another. */
export type PolicySet = Pick<Inventory, 'networkPolicies' | 'adminNetworkPolicies' | 'baselineAdminNetworkPolicies'>;

export const INGRESS_CONTROLLER_NAME = '{ingress-controller}';

/** Which rule of which policy: `ruleIndex` is 0-based (rendered 1-based, "rule #1"). */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly direction: 'Ingress' | 'Egress';
  readonly ruleIndex: number;
  readonly ruleName?: string;
  /** ANP priority, for words and ordering. */
  readonly priority?: number;
}

/**
 * The canonical flow record. Every source format (Calico, Goldmane, Hubble, AWS VPC, native NDJSON)
 * converts into this one shape; everything downstream (writer, rollups, graph, policy, GenAI,
 * posture) reads only this. Names are spelled out and units are in the names (see STYLE.md 7–8).
 */

export const FLOW_FORMATS = ['calico', 'goldmane', 'hubble', 'vpc', 'native'] as const;
export type FlowFormat = (typeof FLOW_FORMATS)[number];

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6', 'other'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export type Verdict = 'allowed' | 'denied';

/** Which end observed the flow: Calico `src`/`dst`, a Hubble node (`observer`), a VPC ENI (`observer`). */
export type Reporter = 'source' | 'destination' | 'observer';

export const ENDPOINT_KINDS = ['workload', 'pod', 'host', 'networkset', 'external', 'unknown'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export interface Endpoint {
  kind: EndpointKind;
  /** Kubernetes namespace; absent for hosts, external peers and global network sets. */
  namespace?: string;
  /**
   * Workload name (Deployment/StatefulSet/DaemonSet/… name), the Calico aggregate (`checkoutservice-598d5b586d-*`
   * when the workload is unknown), a host name, a network set name, or for external peers `pub`/`pvt`/the IP.
   */
  name: string;
  /** Kubernetes kind of the workload, verbatim: `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, `Pod`. */
  workloadKind?: string;
  pod?: string;
  ip?: string;
  labels: Record<string, string>;
  /** FQDN of an external peer (Calico `dest_domains`, Hubble DNS `destination_names`). */
  domain?: string;
  /** `namespace/name` of the Kubernetes Service the flow was addressed to, when known. */
  serviceName?: string;
}

export type PolicyAction = 'allow' | 'deny' | 'pass' | 'log';

/** One policy hit of a flow's policy trace, in evaluation order. */
export interface PolicyHit {
  /**
   * Kind, verbatim: NetworkPolicy, CalicoNetworkPolicy, GlobalNetworkPolicy, StagedNetworkPolicy,
   * StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy,
   * CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Profile, EndOfTier.
   */
  kind: string;
  tier?: string;
  namespace?: string;
  name: string;
  action: PolicyAction;
  /** Index of the matching rule; −1 = the end-of-tier default (no rule matched). */
  ruleIndex: number;
  /** True for staged (not enforced) policies. */
  staged: boolean;
}

export interface HttpSummary {
  method?: string;
  url?: string;
  code?: number;
  protocol?: string;
}

export interface DnsSummary {
  query: string;
  rcode?: number;
  ips?: string[];
  qtypes?: string[];
}

export interface L7Summary {
  http?: HttpSummary;
  dns?: DnsSummary;
}

export interface Flow {
  /** Cluster name (slug, e.g. `prod-east`). The database maps it to its integer id. */
  clusterId: string;
  startMs: number;
  endMs: number;
  source: Endpoint;
  destination: Endpoint;
  protocol: Protocol;
  /** Destination port; null for protocols without ports (ICMP) or when unknown. */
  destinationPort: number | null;
  sourcePort?: number | null;
  verdict: Verdict;
  dropReason?: string;
  reporter: Reporter;
  /** The enforced policy trace, ordered as the dataplane evaluated it. */
  policyTrace: PolicyHit[];
  /** Staged / pending policies' view of the same flow (Calico staged, Goldmane pending). */
  pendingTrace?: PolicyHit[];
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  /** Connections started in the interval. Hubble replies and continuation events do not start one. */
  connections: number;
  l7?: L7Summary;
  /** TCP flags seen (Hubble, VPC v3+), upper-case names such as `SYN`, `ACK`. */
  tcpFlags?: string[];
  format: FlowFormat;
}

/** Stable node id: `cluster/namespace/kind/name` (namespace `-` when absent). */
export function endpointNodeId(clusterId: string, endpoint: Endpoint): string {
  return `${clusterId}/${endpoint.namespace ?? '-'}/${endpoint.kind}/${endpoint.name}`;
}

/** Stable edge id: `src->dst:port/proto`. */
export function edgeId(sourceNodeId: string, destinationNodeId: string, port: number | null, protocol: Protocol): string {
  return `${sourceNodeId}->${destinationNodeId}:${port ?? '-'}/${protocol}`;
}

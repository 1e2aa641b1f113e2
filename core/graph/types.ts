import type { EndpointKind, PolicyHit, Verdict } from '../flow/types';

/** The endpoint facts a graph edge row carries (from the endpoint dictionary). */
export interface GraphEndpointFacts {
  kind: EndpointKind;
  namespace: string | null;
  name: string;
  workloadKind: string | null;
  pod: string | null;
  ip: string | null;
  domain: string | null;
  serviceName: string | null;
}

/**
 * One aggregated rollup row for the window: a source/destination endpoint pair on one port, protocol,
 * verdict, deciding policy and pending verdict. Counters are summed over the window.
 */
export interface GraphEdgeRow {
  /** Cluster name (slug), as in node ids. */
  cluster: string;
  source: GraphEndpointFacts;
  destination: GraphEndpointFacts;
  /** Destination port; null when the protocol has none (rollup `-1`). */
  port: number | null;
  protocol: string;
  verdict: Verdict;
  /** `kind|tier|namespace|name|action|rule` of the deciding policy, '' when none was reported. */
  policyKey: string;
  pendingVerdict: '' | Verdict;
  flows: number;
  connections: number;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  lastSeenMs: number;
}

export type GraphLevel = 'namespace' | 'workload' | 'pod';

export type GraphNodeKind = 'namespace' | 'workload' | 'pod' | 'external' | 'networkset' | 'host' | 'unknown';

/** How an external peer was grouped. */
export type ExternalGroupKind = 'internet' | 'private' | 'domain' | 'networkset' | 'host' | 'unknown';

/** A real address behind a grouped node, for drill-down. */
export interface GraphMember {
  ip: string | null;
  domain: string | null;
  /** Pod or endpoint name when it differs from the node's. */
  name: string | null;
}

export interface GraphNode {
  /** Stable id `cluster/namespace/kind/name` (namespace `-` outside namespaces). */
  id: string;
  kind: GraphNodeKind;
  cluster: string;
  namespace: string | null;
  name: string;
  /** Display label. */
  label: string;
  /** Region id the node is drawn in: `cluster/namespace` or `cluster/~external`. */
  groupId: string;
  workloadKind: string | null;
  externalGroup: ExternalGroupKind | null;
  /** Distinct addresses behind the node (bounded by MAX_MEMBERS); `memberCount` is the true count. */
  members: GraphMember[];
  memberCount: number;
  /** Workloads inside a namespace node (or 1 for a workload/pod). */
  workloadCount: number;
  /** No policy selects the workload (any direction); for a namespace node: some workload is unprotected. */
  unprotected: boolean;
  /** Unprotected workloads inside (namespace nodes), or 1/0. */
  unprotectedCount: number;
  /** null when no inventory is known for the cluster (coverage cannot be judged). */
  coverageKnown: boolean;
  /** Every edge touching the node is infrastructure noise (DNS, monitoring scrapes). */
  infrastructureOnly: boolean;
  flows: number;
  deniedFlows: number;
}

export interface GraphPolicySeen {
  /** Rollup policy key ('' = no policy reported). */
  key: string;
  hit: PolicyHit | null;
  verdict: Verdict;
  flows: number;
}

export interface GraphPortMetrics {
  /** Edge id of this port: `src->dst:port/proto`. */
  id: string;
  port: number | null;
  protocol: string;
  flows: number;
  connections: number;
  bytesOut: number;
  bytesIn: number;
  allowedFlows: number;
  deniedFlows: number;
  infrastructure: boolean;
}

export interface GraphEdge {
  /** Stable id of the node pair, `src->dst:` then `*` for port and protocol (per-port ids are in `ports`). */
  id: string;
  source: string;
  target: string;
  cluster: string;
  flows: number;
  connections: number;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  allowedFlows: number;
  deniedFlows: number;
  /** Allowed flows with no deciding policy (`''`, Profile/__PROFILE__) or between ends no policy selects. */
  noPolicyAllowedFlows: number;
  /** Flows a staged/pending policy would deny. */
  pendingDeniedFlows: number;
  ports: GraphPortMetrics[];
  policies: GraphPolicySeen[];
  lastSeenMs: number;
  overlays: EdgeOverlays;
}

export interface EdgeOverlays {
  denied: boolean;
  /** Every flow was denied. */
  deniedOnly: boolean;
  allowedNoPolicy: boolean;
  wouldDeny: boolean;
  infrastructure: boolean;
}

export interface GraphGroup {
  /** `cluster/namespace` or `cluster/~external`. */
  id: string;
  cluster: string;
  /** Namespace name, or null for the cluster's external region. */
  namespace: string | null;
  label: string;
  /** The level the group is shown at. */
  level: GraphLevel;
  /** Whether the namespace can be expanded further / collapsed. */
  expandable: boolean;
  nodeIds: string[];
}

export interface ServiceGraph {
  level: GraphLevel;
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups: GraphGroup[];
  clusters: string[];
}

/** 2-D position by node id. */
export type NodePositions = Readonly<Record<string, { x: number; y: number }>>;

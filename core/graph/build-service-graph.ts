import { isPrivateIp } from '../flow/parse-vpc';
import { isNoPolicyKey, parsePolicyHitKey } from '../flow/deciding-policy';
import { edgeId } from '../flow/types';
import type { Protocol } from '../flow/types';
import type { Coverage } from '../policy/compute-coverage';
import { addEdgeCounters } from './add-edge-counters';
import { isInfrastructureDestination, isInfrastructureSource } from './infrastructure';
import type {
  ExternalGroupKind,
  GraphEdge,
  GraphEdgeRow,
  GraphEndpointFacts,
  GraphGroup,
  GraphLevel,
  GraphMember,
  GraphNode,
  GraphNodeKind,
  GraphPolicySeen,
  GraphPortMetrics,
  ServiceGraph,
} from './types';

/** Members kept per node for drill-down (the count stays exact). */
export const MAX_MEMBERS = 50;
/** `auto` shows workloads when at most this many are seen, namespaces beyond. */
export const AUTO_WORKLOAD_LIMIT = 250;

export interface BuildServiceGraphOptions {
  rows: readonly GraphEdgeRow[];
  /** Base level; `auto` picks workloads for small graphs and namespaces for large ones. */
  level?: GraphLevel | 'auto';
  /** Namespaces (`cluster/namespace`) shown one level deeper than the base level. */
  expandedNamespaces?: readonly string[];
  /** Namespaces (`cluster/namespace`) shown as one node. Wins over `expandedNamespaces`. */
  collapsedNamespaces?: readonly string[];
  /** Policy coverage of the latest inventory per cluster name; clusters without one are not judged. */
  coverageByCluster?: Readonly<Record<string, Coverage>>;
  autoWorkloadLimit?: number;
}

const LEVEL_ORDER: readonly GraphLevel[] = ['namespace', 'workload', 'pod'];

interface Protection {
  ingress: boolean;
  egress: boolean;
}

/** `cluster/namespace/name` → which directions some policy governs. */
function protectionIndex(coverageByCluster: Readonly<Record<string, Coverage>>): Map<string, Protection> {
  const index = new Map<string, Protection>();
  for (const [cluster, coverage] of Object.entries(coverageByCluster)) {
    for (const workload of coverage.workloads) {
      // Connlist peer names are `namespace/name[Kind]`.
      const match = /^([^/]+)\/(.+)\[[^\]]+\]$/.exec(workload.peer);
      const name = match?.[2] ?? workload.peer;
      index.set(`${cluster}/${workload.namespace}/${name}`, { ingress: workload.ingress.governed, egress: workload.egress.governed });
    }
  }
  return index;
}

interface NodeIdentity {
  id: string;
  kind: GraphNodeKind;
  namespace: string | null;
  name: string;
  label: string;
  groupId: string;
  workloadKind: string | null;
  externalGroup: ExternalGroupKind | null;
  /** `cluster/namespace/workload` for coverage, or null. */
  workloadKey: string | null;
  member: GraphMember | null;
}

export function namespaceGroupId(cluster: string, namespace: string): string {
  return `${cluster}/${namespace}`;
}

export function externalGroupId(cluster: string): string {
  return `${cluster}/~external`;
}

/** Stable id of the edge bundling every port and protocol of a node pair. */
export function nodePairEdgeId(sourceNodeId: string, destinationNodeId: string): string {
  return `${sourceNodeId}->${destinationNodeId}:*/*`;
}

function inNamespace(endpoint: GraphEndpointFacts): endpoint is GraphEndpointFacts & { namespace: string } {
  return (endpoint.kind === 'workload' || endpoint.kind === 'pod') && endpoint.namespace !== null && endpoint.namespace !== '';
}

function externalIdentity(cluster: string, endpoint: GraphEndpointFacts): NodeIdentity {
  const group = externalGroupId(cluster);
  const member: GraphMember = { ip: endpoint.ip, domain: endpoint.domain, name: endpoint.name };
  const make = (kind: GraphNodeKind, externalGroup: ExternalGroupKind, name: string, label: string, namespace: string | null = null): NodeIdentity => ({
    id: `${cluster}/${namespace ?? '-'}/${kind}/${name}`,
    kind,
    namespace,
    name,
    label,
    groupId: group,
    workloadKind: null,
    externalGroup,
    workloadKey: null,
    member,
  });
  switch (endpoint.kind) {
    case 'networkset':
      return make('networkset', 'networkset', endpoint.name, endpoint.namespace ? `${endpoint.namespace}/${endpoint.name}` : endpoint.name, endpoint.namespace);
    case 'host':
      return make('host', 'host', endpoint.name, endpoint.name);
    case 'external': {
      if (endpoint.domain) return make('external', 'domain', endpoint.domain, endpoint.domain);
      const ip = endpoint.ip ?? (/^[0-9a-f.:]+$/i.test(endpoint.name) ? endpoint.name : null);
      const isPrivate = endpoint.name === 'pvt' || (ip !== null && isPrivateIp(ip));
      return isPrivate ? make('external', 'private', 'private', 'private networks') : make('external', 'internet', 'internet', 'internet');
    }
    default:
      return make('unknown', 'unknown', endpoint.name || 'unknown', endpoint.name || 'unknown');
  }
}

/**
 * The workload name a node shows: a Calico aggregate whose controller is unknown (`payments-db-*`, a
 * StatefulSet's pods) becomes `payments-db`, so clusters reporting different formats draw the same node.
 */
export function workloadDisplayName(name: string): string {
  return name.endsWith('-*') ? name.slice(0, -2) : name;
}

function nodeIdentity(cluster: string, rawEndpoint: GraphEndpointFacts, levelOf: (groupId: string) => GraphLevel): NodeIdentity {
  if (!inNamespace(rawEndpoint)) return externalIdentity(cluster, rawEndpoint);
  const name = workloadDisplayName(rawEndpoint.name);
  const namespace = rawEndpoint.namespace;
  const groupId = namespaceGroupId(cluster, namespace);
  const workloadKey = `${cluster}/${namespace}/${name}`;
  const level = levelOf(groupId);
  // NOTE: one literal per shape, no object spread: spreading here made identities the build's slowest step.
  const make = (id: string, kind: GraphNodeKind, nodeName: string, workloadKind: string | null, member: GraphMember | null): NodeIdentity => ({
    id,
    kind,
    namespace,
    name: nodeName,
    label: nodeName,
    groupId,
    workloadKind,
    externalGroup: null,
    workloadKey,
    member,
  });
  if (level === 'namespace') return make(`${cluster}/${namespace}/namespace/${namespace}`, 'namespace', namespace, null, null);
  const { pod, ip } = rawEndpoint;
  if (level === 'pod' && pod) return make(`${cluster}/${namespace}/pod/${pod}`, 'pod', pod, rawEndpoint.workloadKind, { ip, domain: null, name: pod });
  return make(`${cluster}/${namespace}/workload/${name}`, 'workload', name, rawEndpoint.workloadKind, pod || ip ? { ip, domain: null, name: pod } : null);
}

/**
 * The id of the node an endpoint is drawn as at `level` (the level of the namespace it is in). The server
 * uses it to find the endpoints behind a node id (edge and node detail).
 */
export function endpointGraphNodeId(cluster: string, endpoint: GraphEndpointFacts, level: GraphLevel): string {
  return nodeIdentity(cluster, endpoint, () => level).id;
}

/** The level a node id was minted at (`namespace`, `workload`, `pod`), or null for peers outside namespaces. */
export function levelOfNodeId(nodeId: string): GraphLevel | null {
  const kind = nodeId.split('/')[2];
  return kind === 'namespace' || kind === 'workload' || kind === 'pod' ? kind : null;
}


interface NodeAccumulator {
  identity: NodeIdentity;
  cluster: string;
  members: Map<string, GraphMember>;
  workloads: Set<string>;
  unprotectedWorkloads: Set<string>;
  coverageKnown: boolean;
  nonInfrastructure: boolean;
  flows: number;
  deniedFlows: number;
  /** Edges from this node, by destination node (no per-row id strings). */
  edgesTo: Map<NodeAccumulator, EdgeAccumulator>;
}

/** What a row needs of one of its ends, worked out once per endpoint and cluster. */
interface DrawnEnd {
  identity: NodeIdentity;
  node: NodeAccumulator;
  infrastructureSource: boolean;
  infrastructureDestination: boolean;
}

interface EdgeAccumulator {
  edge: GraphEdge;
  /** By port, then protocol (no per-row id strings). */
  ports: Map<number | null, Map<string, GraphPortMetrics>>;
  /** By verdict, then policy key. */
  policies: Map<string, Map<string, GraphPolicySeen>>;
  nonInfrastructure: boolean;
}

/**
 * Builds the service-dependency graph from rollup edge rows: nodes at the chosen level (namespace →
 * workload → pod, per namespace), external peers grouped (internet, private networks, named domains,
 * network sets, hosts) with their real addresses kept as members, one edge per node pair with per-port
 * metrics, verdict split and the policies seen, and the overlays (denied, allowed with no policy, would
 * be denied by a staged policy, unprotected workloads, infrastructure noise). Deterministic: nodes and
 * edges are sorted by id.
 */
export function buildServiceGraph(options: BuildServiceGraphOptions): ServiceGraph {
  const rows = options.rows;
  const protection = protectionIndex(options.coverageByCluster ?? {});
  const clustersWithCoverage = new Set(Object.keys(options.coverageByCluster ?? {}));
  const level = resolveLevel(rows, options.level ?? 'auto', options.autoWorkloadLimit ?? AUTO_WORKLOAD_LIMIT);
  const expanded = new Set(options.expandedNamespaces ?? []);
  const collapsed = new Set(options.collapsedNamespaces ?? []);
  const levelOf = (groupId: string): GraphLevel => {
    if (collapsed.has(groupId)) return 'namespace';
    if (expanded.has(groupId)) return LEVEL_ORDER[Math.min(LEVEL_ORDER.indexOf(level) + 1, LEVEL_ORDER.length - 1)] ?? level;
    return level;
  };

  const nodes = new Map<string, NodeAccumulator>();
  const edges: EdgeAccumulator[] = [];
  const groupLevels = new Map<string, { cluster: string; namespace: string | null; level: GraphLevel }>();

  /** The node an identity is drawn as; the first time, folds the identity in (members, workloads). */
  const nodeOf = (cluster: string, identity: NodeIdentity): NodeAccumulator => {
    let node = nodes.get(identity.id);
    if (!node) {
      node = {
        identity,
        cluster,
        members: new Map(),
        workloads: new Set(),
        unprotectedWorkloads: new Set(),
        coverageKnown: clustersWithCoverage.has(cluster),
        nonInfrastructure: false,
        flows: 0,
        deniedFlows: 0,
        edgesTo: new Map(),
      };
      nodes.set(identity.id, node);
      groupLevels.set(identity.groupId, {
        cluster,
        namespace: identity.externalGroup === null ? identity.namespace : null,
        level: identity.externalGroup === null ? levelOf(identity.groupId) : 'workload',
      });
    }
    if (identity.member) {
      const memberKey = `${identity.member.ip ?? ''}|${identity.member.domain ?? ''}|${identity.member.name ?? ''}`;
      if (!node.members.has(memberKey)) node.members.set(memberKey, identity.member);
    }
    if (identity.workloadKey) {
      node.workloads.add(identity.workloadKey);
      const governed = protection.get(identity.workloadKey);
      if (governed && !governed.ingress && !governed.egress) node.unprotectedWorkloads.add(identity.workloadKey);
    }
    return node;
  };

  // Rows from one query share endpoint objects (the server interns them), so everything that depends on
  // one end only (identity, node, the infrastructure tests) is worked out once per endpoint and cluster,
  // not per row, and a row finds its edge by node object rather than by an id string built per row.
  const ends = new Map<GraphEndpointFacts, Map<string, DrawnEnd>>();
  const endOf = (cluster: string, endpoint: GraphEndpointFacts): DrawnEnd => {
    let byCluster = ends.get(endpoint);
    if (!byCluster) {
      byCluster = new Map();
      ends.set(endpoint, byCluster);
    }
    let end = byCluster.get(cluster);
    if (!end) {
      const identity = nodeIdentity(cluster, endpoint, levelOf);
      end = { identity, node: nodeOf(cluster, identity), infrastructureSource: isInfrastructureSource(endpoint), infrastructureDestination: isInfrastructureDestination(endpoint) };
      byCluster.set(cluster, end);
    }
    return end;
  };
  const noPolicyKeys = new Map<string, boolean>();
  // A policy key is parsed once per build, not once per edge it appears on (hits are shared, read-only).
  const policyHits = new Map<string, GraphPolicySeen['hit']>();
  const policyHitOf = (key: string): GraphPolicySeen['hit'] => {
    let hit = policyHits.get(key);
    if (hit === undefined) {
      hit = parsePolicyHitKey(key) ?? null;
      policyHits.set(key, hit);
    }
    return hit;
  };

  for (const row of rows) {
    const cluster = row.cluster;
    const sourceEnd = endOf(cluster, row.source);
    const destinationEnd = endOf(cluster, row.destination);
    const source = sourceEnd.identity;
    const destination = destinationEnd.identity;
    const infrastructure = row.port === 53 || sourceEnd.infrastructureSource || destinationEnd.infrastructureDestination;
    const sourceNode = sourceEnd.node;
    const destinationNode = destinationEnd.node;
    if (!infrastructure) {
      sourceNode.nonInfrastructure = true;
      destinationNode.nonInfrastructure = true;
    }
    const denied = row.verdict === 'denied';
    sourceNode.flows += row.flows;
    if (denied) sourceNode.deniedFlows += row.flows;
    // Intra-node traffic (a collapsed namespace talking to itself) counts on the node, not as an edge.
    if (destinationNode === sourceNode) continue;
    destinationNode.flows += row.flows;
    if (denied) destinationNode.deniedFlows += row.flows;

    let accumulator = sourceNode.edgesTo.get(destinationNode);
    if (!accumulator) {
      const pairId = nodePairEdgeId(source.id, destination.id);
      accumulator = {
        edge: {
          id: pairId,
          source: source.id,
          target: destination.id,
          cluster,
          flows: 0,
          connections: 0,
          bytesOut: 0,
          bytesIn: 0,
          packetsOut: 0,
          packetsIn: 0,
          allowedFlows: 0,
          deniedFlows: 0,
          noPolicyAllowedFlows: 0,
          pendingDeniedFlows: 0,
          ports: [],
          policies: [],
          lastSeenMs: 0,
          overlays: { denied: false, deniedOnly: false, allowedNoPolicy: false, wouldDeny: false, infrastructure: false },
        },
        ports: new Map(),
        policies: new Map(),
        nonInfrastructure: false,
      };
      sourceNode.edgesTo.set(destinationNode, accumulator);
      edges.push(accumulator);
    }
    const edge = accumulator.edge;
    addEdgeCounters(edge, row);
    if (denied) edge.deniedFlows += row.flows;
    else {
      edge.allowedFlows += row.flows;
      if (allowedWithoutPolicy(row, source.workloadKey, destination.workloadKey, protection, clustersWithCoverage, noPolicyKeys)) edge.noPolicyAllowedFlows += row.flows;
    }
    if (row.pendingVerdict === 'denied') edge.pendingDeniedFlows += row.flows;
    if (!infrastructure) accumulator.nonInfrastructure = true;

    let byProtocol = accumulator.ports.get(row.port);
    if (!byProtocol) {
      byProtocol = new Map();
      accumulator.ports.set(row.port, byProtocol);
    }
    let port = byProtocol.get(row.protocol);
    if (!port) {
      const portId = edgeId(source.id, destination.id, row.port, row.protocol as Protocol);
      port = { id: portId, port: row.port, protocol: row.protocol, flows: 0, connections: 0, bytesOut: 0, bytesIn: 0, allowedFlows: 0, deniedFlows: 0, infrastructure };
      byProtocol.set(row.protocol, port);
    }
    port.flows += row.flows;
    port.connections += row.connections;
    port.bytesOut += row.bytesOut;
    port.bytesIn += row.bytesIn;
    if (denied) port.deniedFlows += row.flows;
    else port.allowedFlows += row.flows;
    port.infrastructure &&= infrastructure;

    let byKey = accumulator.policies.get(row.verdict);
    if (!byKey) {
      byKey = new Map();
      accumulator.policies.set(row.verdict, byKey);
    }
    let policy = byKey.get(row.policyKey);
    if (!policy) {
      policy = { key: row.policyKey, hit: policyHitOf(row.policyKey), verdict: row.verdict, flows: 0 };
      byKey.set(row.policyKey, policy);
    }
    policy.flows += row.flows;
  }

  const graphNodes: GraphNode[] = [...nodes.values()]
    .map((node): GraphNode => {
      const identity = node.identity;
      const members = [...node.members.values()];
      const unprotectedCount = node.unprotectedWorkloads.size;
      return {
        id: identity.id,
        kind: identity.kind,
        cluster: node.cluster,
        namespace: identity.namespace,
        name: identity.name,
        label: identity.label,
        groupId: identity.groupId,
        workloadKind: identity.workloadKind,
        externalGroup: identity.externalGroup,
        members: members.slice(0, MAX_MEMBERS),
        memberCount: members.length,
        workloadCount: node.workloads.size,
        unprotected: unprotectedCount > 0,
        unprotectedCount,
        coverageKnown: node.coverageKnown && identity.workloadKey !== null,
        infrastructureOnly: !node.nonInfrastructure,
        flows: node.flows,
        deniedFlows: node.deniedFlows,
      };
    })
    .sort(byId);

  const graphEdges: GraphEdge[] = edges
    .map(({ edge, ports, policies, nonInfrastructure }): GraphEdge => {
      const sortedPorts = flattenSorted(ports, (a, b) => b.flows - a.flows || a.id.localeCompare(b.id));
      const sortedPolicies = flattenSorted(policies, (a, b) => b.flows - a.flows || a.key.localeCompare(b.key));
      return {
        ...edge,
        ports: sortedPorts,
        policies: sortedPolicies,
        overlays: {
          denied: edge.deniedFlows > 0,
          deniedOnly: edge.deniedFlows > 0 && edge.allowedFlows === 0,
          allowedNoPolicy: edge.noPolicyAllowedFlows > 0,
          wouldDeny: edge.pendingDeniedFlows > 0,
          infrastructure: !nonInfrastructure,
        },
      };
    })
    .sort(byId);

  const groups = new Map<string, GraphGroup>();
  for (const node of graphNodes) {
    let group = groups.get(node.groupId);
    if (!group) {
      const facts = groupLevels.get(node.groupId);
      const namespace = facts?.namespace ?? null;
      group = {
        id: node.groupId,
        cluster: node.cluster,
        namespace,
        label: namespace ?? 'outside the cluster',
        level: facts?.level ?? level,
        expandable: namespace !== null,
        nodeIds: [],
      };
      groups.set(node.groupId, group);
    }
    group.nodeIds.push(node.id);
  }

  return {
    level,
    nodes: graphNodes,
    edges: graphEdges,
    groups: [...groups.values()].sort(byId),
    clusters: [...new Set(graphNodes.map((node) => node.cluster))].sort(),
  };
}

/** The values of a two-level map in one array, sorted (no sort call for the usual single value). */
function flattenSorted<T>(byOuter: ReadonlyMap<unknown, ReadonlyMap<unknown, T>>, compare: (a: T, b: T) => number): T[] {
  const values: T[] = [];
  for (const byInner of byOuter.values()) for (const value of byInner.values()) values.push(value);
  return values.length > 1 ? values.sort(compare) : values;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function resolveLevel(rows: readonly GraphEdgeRow[], level: GraphLevel | 'auto', limit: number): GraphLevel {
  if (level !== 'auto') return level;
  const workloads = new Set<string>();
  for (const row of rows) {
    for (const endpoint of [row.source, row.destination]) {
      if (inNamespace(endpoint)) workloads.add(`${row.cluster}/${endpoint.namespace}/${workloadDisplayName(endpoint.name)}`);
    }
    if (workloads.size > limit) return 'namespace';
  }
  return 'workload';
}

/**
 * An allowed row no policy decided: a Calico profile / `__PROFILE__` hit, no policy selecting either end
 * (by coverage), or no policy reported at all. NOTE: Hubble names the allowing policy only sometimes, so
 * an empty key counts only when coverage is unknown or agrees that no policy governs either end.
 */
function allowedWithoutPolicy(
  row: GraphEdgeRow,
  sourceWorkloadKey: string | null,
  destinationWorkloadKey: string | null,
  protection: ReadonlyMap<string, Protection>,
  clustersWithCoverage: ReadonlySet<string>,
  noPolicyKeys: Map<string, boolean>,
): boolean {
  let noPolicyKey = noPolicyKeys.get(row.policyKey);
  if (noPolicyKey === undefined) {
    noPolicyKey = isNoPolicyKey(row.policyKey);
    noPolicyKeys.set(row.policyKey, noPolicyKey);
  }
  if (row.policyKey !== '' && noPolicyKey) return true;
  if (!clustersWithCoverage.has(row.cluster)) return row.policyKey === '';
  // NOTE: a node identity's workloadKey is `cluster/namespace/workload display name` for an endpoint in
  // a namespace and null otherwise, exactly the key and the test noPolicySelectsEitherEnd needs.
  const governed = (workloadKey: string | null, direction: keyof Protection): boolean =>
    workloadKey === null ? false : (protection.get(workloadKey)?.[direction] ?? true);
  return !governed(sourceWorkloadKey, 'egress') && !governed(destinationWorkloadKey, 'ingress');
}

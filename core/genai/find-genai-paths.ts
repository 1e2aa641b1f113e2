import { edgeId } from '../flow/types';
import { isSensitive } from './classify-sensitivity';
import {
  GENAI_COMPONENT_ROLES,
  GENAI_STORE_ROLES,
  type GenAiNode,
  type GenAiPath,
  type GenAiPathHop,
  type GenAiPathTarget,
  type GenAiRole,
  type ObservedEdge,
  type ObservedPolicy,
} from './types';

export interface FindGenAiPathsOptions {
  readonly nodes: readonly GenAiNode[];
  /** Observed edges of the window; denied edges are ignored (a path is made of allowed traffic). */
  readonly edges: readonly ObservedEdge[];
  /** Extra entry points (e.g. the ingress controller's node); external sources and `ingress` nodes always are. */
  readonly entryNodeIds?: readonly string[];
  /** Longest chain from an entry point to the accessor, in hops. Default 8. */
  readonly maxHops?: number;
  /** At most this many paths (sorted by id); `truncated` says when more existed. Default 2000. */
  readonly maxPaths?: number;
}

export interface FindGenAiPathsResult {
  readonly paths: readonly GenAiPath[];
  readonly truncated: boolean;
  /** Entry points the search started from, sorted. */
  readonly entryNodeIds: readonly string[];
}

/** The edge's id, or the canonical `src->dst:port/proto`. */
export function observedEdgeId(edge: ObservedEdge): string {
  return edge.id ?? edgeId(edge.sourceNodeId, edge.destinationNodeId, edge.destinationPort, edge.protocol);
}

/** `CalicoNetworkPolicy security/allow-rag (tier security)`. */
export function describeObservedPolicy(policy: ObservedPolicy): string {
  return `${policy.kind} ${policy.namespace !== undefined ? `${policy.namespace}/` : ''}${policy.name}${policy.tier !== undefined ? ` (tier ${policy.tier})` : ''}`;
}

const MAX_EVIDENCE_FLOW_IDS = 10;

/** Builds a hop from every edge between two nodes. */
export function pathHopFromEdges(edges: readonly ObservedEdge[]): GenAiPathHop {
  const first = edges[0];
  if (!first) throw new Error('pathHopFromEdges needs at least one edge');
  const policies = new Set<string>();
  const evidenceFlowIds: string[] = [];
  let flows = 0;
  let bytesOut = 0;
  for (const edge of edges) {
    flows += edge.flows;
    bytesOut += edge.bytesOut;
    for (const policy of edge.policies) if (policy.action === 'allow') policies.add(describeObservedPolicy(policy));
    for (const flowId of edge.evidenceFlowIds ?? []) if (evidenceFlowIds.length < MAX_EVIDENCE_FLOW_IDS) evidenceFlowIds.push(flowId);
  }
  return {
    sourceNodeId: first.sourceNodeId,
    destinationNodeId: first.destinationNodeId,
    edgeIds: edges.map(observedEdgeId),
    ports: [...new Set(edges.map((edge) => `${edge.destinationPort ?? '-'}/${edge.protocol}`))],
    flows,
    bytesOut,
    policies: [...policies].sort(),
    evidenceFlowIds,
  };
}

/** `cluster/namespace/kind/name` → kind, for ids of nodes the caller did not classify. */
function kindFromId(id: string): string | undefined {
  return id.split('/')[2];
}

const hasAny = (node: GenAiNode | undefined, roles: readonly GenAiRole[]): boolean => node !== undefined && node.roles.some((assignment) => roles.includes(assignment.role));

/** What a node is as a path target, if anything. */
export function pathTargetOf(node: GenAiNode | undefined): GenAiPathTarget | undefined {
  if (node === undefined) return undefined;
  if (hasAny(node, ['external-llm-api'])) return 'external-llm-api';
  if (hasAny(node, GENAI_STORE_ROLES) && isSensitive(node.sensitivity)) return 'sensitive-store';
  return undefined;
}

/**
 * Data-access paths over observed allowed traffic: chains from entry points (the internet, ingress
 * controllers) through GenAI components to sensitive stores and external LLM APIs, one path per
 * (accessor → target) edge, reached from the nearest entry point.
 *
 * Linear in nodes + edges: one multi-source breadth-first search whose state is (node, "has passed
 * a GenAI component"), so at most 2·V states and each edge is scanned twice. No path enumeration,
 * so no exponential blow-up. An accessor that is a GenAI component but that no entry point reaches
 * still yields a path (starting at the accessor, `entryNodeId: null`).
 */
export function findGenAiPaths(options: FindGenAiPathsOptions): FindGenAiPathsResult {
  const maxHops = options.maxHops ?? 8;
  const maxPaths = options.maxPaths ?? 2000;
  const nodeById = new Map(options.nodes.map((node) => [node.id, node]));

  // Index nodes (classified and unknown alike) and group allowed edges by (source, destination).
  const ids: string[] = [];
  const indexOf = new Map<string, number>();
  const intern = (id: string): number => {
    let index = indexOf.get(id);
    if (index === undefined) {
      index = ids.length;
      ids.push(id);
      indexOf.set(id, index);
    }
    return index;
  };
  const pairEdges = new Map<string, ObservedEdge[]>();
  const out: number[][] = [];
  const into: number[][] = [];
  for (const edge of options.edges) {
    if (edge.verdict !== 'allowed' || edge.sourceNodeId === edge.destinationNodeId) continue;
    const source = intern(edge.sourceNodeId);
    const destination = intern(edge.destinationNodeId);
    const key = `${source} ${destination}`;
    const list = pairEdges.get(key);
    if (list) {
      list.push(edge);
      continue;
    }
    pairEdges.set(key, [edge]);
    (out[source] ??= []).push(destination);
    (into[destination] ??= []).push(source);
  }
  const count = ids.length;
  // Deterministic order regardless of input order.
  const byId = (a: number, b: number): number => ((ids[a] as string) < (ids[b] as string) ? -1 : 1);
  for (const list of out) list?.sort(byId);

  // Per-node facts, computed once (the search reads them for every edge).
  const externalFlags = new Uint8Array(count);
  const genAiFlags = new Uint8Array(count);
  const targets: Array<GenAiPathTarget | undefined> = new Array<GenAiPathTarget | undefined>(count);
  for (let index = 0; index < count; index++) {
    const id = ids[index] as string;
    const node = nodeById.get(id);
    externalFlags[index] = (node ? node.kind === 'external' : kindFromId(id) === 'external') ? 1 : 0;
    genAiFlags[index] = hasAny(node, GENAI_COMPONENT_ROLES) ? 1 : 0;
    targets[index] = pathTargetOf(node);
  }
  const isExternal = (index: number): boolean => externalFlags[index] === 1;
  const isGenAi = (index: number): boolean => genAiFlags[index] === 1;
  const target = (index: number): GenAiPathTarget | undefined => targets[index];

  const entrySet = new Set<number>();
  for (const id of options.entryNodeIds ?? []) {
    const index = indexOf.get(id);
    if (index !== undefined) entrySet.add(index);
  }
  for (let index = 0; index < count; index++) {
    if ((out[index]?.length ?? 0) === 0) continue;
    if ((isExternal(index) && target(index) === undefined) || hasAny(nodeById.get(ids[index] as string), ['ingress'])) entrySet.add(index);
  }
  const entries = [...entrySet].sort(byId);

  // Multi-source BFS over states (node, passedGenAi). parent = previous state, -1 at an entry.
  const parent = new Int32Array(count * 2).fill(-2);
  const depth = new Int32Array(count * 2);
  const queue = new Int32Array(count * 2);
  let head = 0;
  let tail = 0;
  const search = (): void => {
    while (head < tail) {
      const state = queue[head++] as number;
      const node = state >> 1;
      const currentDepth = depth[state] as number;
      if (currentDepth >= maxHops) continue;
      // Stores and LLM APIs are sinks; external peers are not crossed (traffic leaves the cluster).
      if (target(node) !== undefined || (isExternal(node) && currentDepth > 0)) continue;
      for (const next of out[node] ?? []) {
        if (isExternal(next)) continue;
        const nextState = next * 2 + ((state & 1) === 1 || isGenAi(next) ? 1 : 0);
        if (parent[nextState] !== -2) continue;
        parent[nextState] = state;
        depth[nextState] = currentDepth + 1;
        queue[tail++] = nextState;
      }
    }
  };
  // Two phases so chains start as far out as possible: the internet first, then in-cluster entry
  // points (ingress controllers) the internet did not already reach.
  for (const phase of [entries.filter(isExternal), entries.filter((entry) => !isExternal(entry))]) {
    for (const entry of phase) {
      if (parent[entry * 2] !== -2 || parent[entry * 2 + 1] !== -2) continue;
      const state = entry * 2 + (isGenAi(entry) ? 1 : 0);
      parent[state] = -1;
      queue[tail++] = state;
    }
    search();
  }

  const chainTo = (state: number): number[] => {
    const chain: number[] = [];
    for (let current = state; current >= 0; current = parent[current] as number) chain.push(current >> 1);
    return chain.reverse();
  };

  const paths: GenAiPath[] = [];
  let truncated = false;
  const targetIndexes: number[] = [];
  for (let index = 0; index < count; index++) if (target(index) !== undefined && (into[index]?.length ?? 0) > 0) targetIndexes.push(index);
  targetIndexes.sort(byId);
  outer: for (const targetIndex of targetIndexes) {
    const sources = [...(into[targetIndex] ?? [])].sort(byId);
    for (const accessor of sources) {
      if (isExternal(accessor)) continue;
      let chain: number[];
      const fromEntry = parent[accessor * 2 + 1] !== -2;
      if (fromEntry) chain = chainTo(accessor * 2 + 1);
      else if (isGenAi(accessor)) chain = [accessor];
      else continue;
      if (paths.length >= maxPaths) {
        truncated = true;
        break outer;
      }
      chain.push(targetIndex);
      const nodeIds = chain.map((index) => ids[index] as string);
      const hops = nodeIds.slice(1).map((_destination, hop) => pathHopFromEdges(pairEdges.get(`${chain[hop]} ${chain[hop + 1]}`) ?? []));
      const first = chain[0] as number;
      paths.push({
        id: `path:${nodeIds.join('>')}`,
        target: target(targetIndex) as GenAiPathTarget,
        entryNodeId: fromEntry ? (ids[first] as string) : null,
        accessorNodeId: ids[accessor] as string,
        targetNodeId: ids[targetIndex] as string,
        nodeIds,
        hops,
      });
    }
  }
  paths.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { paths, truncated, entryNodeIds: entries.map((index) => ids[index] as string) };
}

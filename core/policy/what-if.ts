import type { AnyPolicy, Inventory } from '../inventory/types';
import type { Decision } from './decision';
import { describeDecision } from './describe-decision';
import { evaluateFlow, type EvaluateFlowResult, type FlowEndpointQuery, type FlowVerdict } from './evaluate-flow';
import type { PolicySet } from './policy-peer';

/**
 * One end of an aggregated observed edge, as the rollups know it: what the evaluator needs to place it
 * (namespace + workload + labels for pods, the IP for everything else) and how to show it.
 */
export interface ObservedEndpoint extends FlowEndpointQuery {
  /** Display node: `namespace/name` for workloads, the domain or IP for peers outside the cluster. */
  readonly node: string;
  /** Pod name or IP: the concrete end shown in example flows. */
  readonly detail?: string;
  /** True for external peers, hosts and network sets (no namespace). */
  readonly external: boolean;
}

/** Observed traffic aggregated over a window: one (source end, destination end, port, protocol, observed verdict). */
export interface ObservedEdge {
  readonly source: ObservedEndpoint;
  readonly destination: ObservedEndpoint;
  /** Null for protocols without ports (ICMP). */
  readonly port: number | null;
  readonly protocol: string;
  readonly verdict: 'allowed' | 'denied';
  readonly flows: number;
  readonly lastSeenMs: number;
}

/** The policy-set side of a verdict: what decided and in words. */
export interface EvaluatedVerdict {
  readonly verdict: 'allowed' | 'denied';
  /** The decision that settles it: the denying direction, or the direction that changed when allowed. */
  readonly deciding: Decision;
  /** One sentence for `deciding`. */
  readonly decidingText: string;
  /** Both directions in words. */
  readonly explanation: string;
}

export interface WhatIfExample {
  readonly source: string;
  readonly destination: string;
  readonly observedVerdict: 'allowed' | 'denied';
  readonly flows: number;
  readonly lastSeenMs: number;
}

/** Edges (by display node, port and protocol) whose verdict the proposal changes, with the same before → after. */
export interface ChangedEdge {
  /** Unique within a result: edge id plus the before/after outcome. */
  readonly key: string;
  /** `source->destination:port/protocol` on display nodes. */
  readonly edgeId: string;
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: string;
  readonly before: EvaluatedVerdict;
  readonly after: EvaluatedVerdict;
  readonly flows: number;
  readonly observedAllowedFlows: number;
  readonly observedDeniedFlows: number;
  readonly lastSeenMs: number;
  /** Distinct concrete (source, destination) pairs behind this edge. */
  readonly pairs: number;
  /** The busiest concrete flows, most flows first. */
  readonly examples: readonly WhatIfExample[];
}

export type WhatIfSkipReason = 'unsupported-protocol' | 'invalid-port' | 'unknown-workload' | 'unresolvable-endpoint';

export interface WhatIfResult {
  readonly changed: readonly ChangedEdge[];
  readonly evaluatedEdges: number;
  readonly evaluatedFlows: number;
  /** Flows that would go from allowed to denied, and the reverse. */
  readonly newlyDeniedFlows: number;
  readonly newlyAllowedFlows: number;
  /** Observed edges the evaluator could not judge (ICMP, no port, unplaceable ends), by reason. */
  readonly skipped: Readonly<Partial<Record<WhatIfSkipReason, { readonly edges: number; readonly flows: number }>>>;
}

export interface WhatIfInput {
  readonly inventory: Inventory;
  readonly current: PolicySet;
  readonly proposed: PolicySet;
  readonly edges: readonly ObservedEdge[];
  /** Examples kept per changed edge (default 3). */
  readonly maxExamples?: number;
}

function policyIdentity(policy: AnyPolicy): string {
  return policy.kind === 'NetworkPolicy' ? `${policy.kind}/${policy.namespace}/${policy.name}` : `${policy.kind}/${policy.name}`;
}

/**
 * The policy set a proposal makes: `merge` keeps the current policies and adds the proposed ones, a
 * proposed policy replacing the current one of the same kind, namespace and name; `replace` is the
 * proposed set alone.
 */
export function mergePolicySets(current: PolicySet, proposed: PolicySet, mode: 'merge' | 'replace'): PolicySet {
  if (mode === 'replace') return proposed;
  const replaced = new Set<string>([
    ...proposed.networkPolicies.map(policyIdentity),
    ...proposed.adminNetworkPolicies.map(policyIdentity),
    ...proposed.baselineAdminNetworkPolicies.map(policyIdentity),
  ]);
  return {
    networkPolicies: [...current.networkPolicies.filter((policy) => !replaced.has(policyIdentity(policy))), ...proposed.networkPolicies],
    adminNetworkPolicies: [...current.adminNetworkPolicies.filter((policy) => !replaced.has(policyIdentity(policy))), ...proposed.adminNetworkPolicies],
    baselineAdminNetworkPolicies: [
      ...current.baselineAdminNetworkPolicies.filter((policy) => !replaced.has(policyIdentity(policy))),
      ...proposed.baselineAdminNetworkPolicies,
    ],
  };
}

function decisionKey(decision: Decision): string {
  return describeDecision(decision);
}

/** Reduces a verdict to what decides it; `other` (the verdict it is compared with) picks the changed side. */
export function evaluatedVerdict(value: FlowVerdict, other?: FlowVerdict): EvaluatedVerdict {
  let deciding: Decision;
  if (value.verdict === 'denied') {
    const egressDenied = value.egress.kind === 'default-deny' || (value.egress.kind === 'rule' && value.egress.action === 'Deny');
    deciding = egressDenied ? value.egress : value.ingress;
  } else if (other && decisionKey(other.egress) !== decisionKey(value.egress)) {
    deciding = value.egress;
  } else if (other && decisionKey(other.ingress) !== decisionKey(value.ingress)) {
    deciding = value.ingress;
  } else {
    // Both allowed: the ingress side is the one a reader looks for first ("who let this in").
    deciding = value.ingress.kind === 'rule' || value.egress.kind !== 'rule' ? value.ingress : value.egress;
  }
  return { verdict: value.verdict, deciding, decidingText: describeDecision(deciding), explanation: value.explanation };
}

function endpointKey(endpoint: ObservedEndpoint): string {
  if (!endpoint.external && endpoint.namespace !== undefined && endpoint.workload !== undefined) {
    return `w:${endpoint.namespace}/${endpoint.workloadKind ?? ''}/${endpoint.workload}`;
  }
  if (endpoint.ip !== undefined) return `ip:${endpoint.ip}`;
  return `l:${endpoint.namespace ?? ''}:${JSON.stringify(endpoint.labels ?? {})}`;
}

/** The query the evaluator gets: externals by IP only, so a stale label never places them in the cluster. */
function queryOf(endpoint: ObservedEndpoint): FlowEndpointQuery {
  if (endpoint.external) return endpoint.ip !== undefined ? { ip: endpoint.ip } : {};
  const { namespace, workload, workloadKind, labels, ports } = endpoint;
  return {
    ...(namespace !== undefined ? { namespace } : {}),
    ...(workload !== undefined ? { workload } : {}),
    ...(workloadKind !== undefined ? { workloadKind } : {}),
    ...(labels !== undefined ? { labels } : {}),
    ...(ports !== undefined ? { ports } : {}),
  };
}

function describeEnd(endpoint: ObservedEndpoint): string {
  return endpoint.detail !== undefined && endpoint.detail !== endpoint.node ? `${endpoint.node} (${endpoint.detail})` : endpoint.node;
}

interface Group {
  edgeId: string;
  source: string;
  destination: string;
  port: number;
  protocol: string;
  before: EvaluatedVerdict;
  after: EvaluatedVerdict;
  flows: number;
  observedAllowedFlows: number;
  observedDeniedFlows: number;
  lastSeenMs: number;
  pairs: Set<string>;
  examples: WhatIfExample[];
}

/**
 * Replays aggregated observed traffic against a proposed policy set: every observed edge is evaluated
 * under the current policies and under the proposal, and the ones whose verdict changes come back
 * grouped by display edge (and by before → after and deciding rule), with flow counts and the busiest
 * concrete flows as examples. Evaluation is memoised per (source, destination, port, protocol), so
 * many pods or many external addresses of one workload cost one evaluation each distinct end.
 *
 * "Before" is what the current policy set says (not the observed verdict): the difference isolates the
 * proposal's effect even where the inventory does not hold every policy the dataplane enforces.
 */
export function whatIf(input: WhatIfInput): WhatIfResult {
  const maxExamples = input.maxExamples ?? 3;
  const memo = new Map<string, { current: EvaluateFlowResult; proposed: EvaluateFlowResult }>();
  const groups = new Map<string, Group>();
  const skipped: Partial<Record<WhatIfSkipReason, { edges: number; flows: number }>> = {};
  let evaluatedEdges = 0;
  let evaluatedFlows = 0;
  let newlyDeniedFlows = 0;
  let newlyAllowedFlows = 0;
  const skip = (reason: WhatIfSkipReason, flows: number): void => {
    const entry = (skipped[reason] ??= { edges: 0, flows: 0 });
    entry.edges += 1;
    entry.flows += flows;
  };
  for (const edge of input.edges) {
    if (edge.port === null || edge.port < 1) {
      skip(['TCP', 'UDP', 'SCTP'].includes(edge.protocol.toUpperCase()) ? 'invalid-port' : 'unsupported-protocol', edge.flows);
      continue;
    }
    const key = `${endpointKey(edge.source)}|${endpointKey(edge.destination)}|${edge.port}|${edge.protocol}`;
    let results = memo.get(key);
    if (!results) {
      const query = { source: queryOf(edge.source), destination: queryOf(edge.destination), protocol: edge.protocol, port: edge.port };
      results = { current: evaluateFlow(input.inventory, query, input.current), proposed: evaluateFlow(input.inventory, query, input.proposed) };
      memo.set(key, results);
    }
    const { current, proposed } = results;
    if (!current.ok || !proposed.ok) {
      const error = !current.ok ? current.error : !proposed.ok ? proposed.error : undefined;
      if (error) skip(error.kind, edge.flows);
      continue;
    }
    evaluatedEdges += 1;
    evaluatedFlows += edge.flows;
    if (current.value.verdict === proposed.value.verdict) continue;
    if (proposed.value.verdict === 'denied') newlyDeniedFlows += edge.flows;
    else newlyAllowedFlows += edge.flows;
    const before = evaluatedVerdict(current.value, proposed.value);
    const after = evaluatedVerdict(proposed.value, current.value);
    const protocol = current.value.protocol;
    const edgeId = `${edge.source.node}->${edge.destination.node}:${edge.port}/${protocol}`;
    const groupKey = `${edgeId}|${before.verdict}>${after.verdict}|${after.decidingText}`;
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        edgeId,
        source: edge.source.node,
        destination: edge.destination.node,
        port: edge.port,
        protocol,
        before,
        after,
        flows: 0,
        observedAllowedFlows: 0,
        observedDeniedFlows: 0,
        lastSeenMs: 0,
        pairs: new Set(),
        examples: [],
      };
      groups.set(groupKey, group);
    }
    group.flows += edge.flows;
    if (edge.verdict === 'allowed') group.observedAllowedFlows += edge.flows;
    else group.observedDeniedFlows += edge.flows;
    group.lastSeenMs = Math.max(group.lastSeenMs, edge.lastSeenMs);
    const example: WhatIfExample = {
      source: describeEnd(edge.source),
      destination: describeEnd(edge.destination),
      observedVerdict: edge.verdict,
      flows: edge.flows,
      lastSeenMs: edge.lastSeenMs,
    };
    group.pairs.add(`${example.source}|${example.destination}`);
    group.examples.push(example);
    if (group.examples.length > maxExamples * 4) trimExamples(group.examples, maxExamples);
  }
  const changed = [...groups.entries()]
    .map(([key, group]): ChangedEdge => {
      trimExamples(group.examples, maxExamples);
      const { pairs, ...rest } = group;
      return { key, ...rest, pairs: pairs.size };
    })
    .sort((a, b) => b.flows - a.flows || a.edgeId.localeCompare(b.edgeId));
  return { changed, evaluatedEdges, evaluatedFlows, newlyDeniedFlows, newlyAllowedFlows, skipped };
}

function trimExamples(examples: WhatIfExample[], max: number): void {
  examples.sort((a, b) => b.flows - a.flows || b.lastSeenMs - a.lastSeenMs || a.source.localeCompare(b.source));
  examples.length = Math.min(examples.length, max);
}

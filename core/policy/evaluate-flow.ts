import { parseIpv4 } from '../inventory/parse-cidr';
import type { ContainerPort, Inventory, Protocol, StringMap, WorkloadKind } from '../inventory/types';
import { collectPeers, namespaceLabelsOf, workloadPeerName } from './collect-peers';
import { connectionsOf, containsConnection } from './connection-set';
import type { Decision } from './decision';
import { describeDecision } from './describe-decision';
import { evaluateConnection } from './evaluate-connection';
import type { PodPeer, PolicyPeer, PolicySet } from './policy-peer';

/** Who is at one end of an observed flow. Give what you know; the first usable clue wins. */
export interface FlowEndpointQuery {
  readonly namespace?: string;
  /** Workload name inside `namespace` (Deployment, StatefulSet, … or a bare pod's name). */
  readonly workload?: string;
  readonly workloadKind?: WorkloadKind;
  /** Pod labels, when the workload is not in the inventory (e.g. from a Hubble flow). */
  readonly labels?: StringMap;
  readonly ip?: string;
  /** Container ports, for named ports, when the destination is not in the inventory. */
  readonly ports?: readonly ContainerPort[];
}

export interface EvaluateFlowInput {
  readonly source: FlowEndpointQuery;
  readonly destination: FlowEndpointQuery;
  readonly protocol: string;
  readonly port: number;
}

export interface FlowVerdict {
  readonly verdict: 'allowed' | 'denied';
  readonly source: PolicyPeer;
  readonly destination: PolicyPeer;
  readonly protocol: Protocol;
  readonly port: number;
  readonly egress: Decision;
  readonly ingress: Decision;
  /** One line in words, e.g. "denied: Ingress denied: selected by NetworkPolicy 'shop/db' but …". */
  readonly explanation: string;
}

export type EvaluateFlowResult =
  | { readonly ok: true; readonly value: FlowVerdict }
  | {
      readonly ok: false;
      readonly error: {
        readonly kind: 'unknown-workload' | 'unresolvable-endpoint' | 'unsupported-protocol' | 'invalid-port';
        readonly message: string;
      };
    };

const peerCache = new WeakMap<Inventory, PodPeer[]>();

function peersOf(inventory: Inventory): PodPeer[] {
  let peers = peerCache.get(inventory);
  if (!peers) {
    peers = collectPeers(inventory);
    peerCache.set(inventory, peers);
  }
  return peers;
}

type ResolveResult = { ok: true; peer: PolicyPeer } | { ok: false; kind: 'unknown-workload' | 'unresolvable-endpoint'; message: string };

function resolveEndpoint(inventory: Inventory, query: FlowEndpointQuery, role: string): ResolveResult {
  const peers = peersOf(inventory);
  if (query.workload !== undefined) {
    const namespace = query.namespace ?? 'default';
    const found = peers.find(
      (peer) =>
        peer.workload?.namespace === namespace &&
        peer.workload.name === query.workload &&
        (query.workloadKind === undefined || peer.workload.kind === query.workloadKind),
    );
    if (found) return { ok: true, peer: query.ports ? { ...found, ports: query.ports } : found };
    if (!query.labels) return { ok: false, kind: 'unknown-workload', message: `${role} workload ${namespace}/${query.workload} is not in the inventory` };
  }
  if (query.ip !== undefined && query.labels === undefined) {
    // Host-network pods share their node's IP, so prefer a pod with its own address.
    const pods = inventory.pods.filter((pod) => pod.ips.includes(query.ip as string));
    const pod = pods.find((candidate) => !candidate.hostNetwork) ?? pods[0];
    if (pod) {
      const name = workloadPeerName(pod.owner);
      const found = peers.find((peer) => peer.name === name) ?? peers.find((peer) => peer.name === workloadPeerName({ kind: 'Pod', namespace: pod.namespace, name: pod.name }));
      if (found) return { ok: true, peer: found };
    }
  }
  if (query.namespace !== undefined && query.labels !== undefined) {
    const name = query.workload !== undefined ? `${query.namespace}/${query.workload}[${query.workloadKind ?? 'Pod'}]` : `${query.namespace}/<pod>[Pod]`;
    return {
      ok: true,
      peer: {
        kind: 'pod',
        name,
        namespace: query.namespace,
        namespaceLabels: namespaceLabelsOf(inventory, query.namespace),
        labels: query.labels,
        ports: query.ports ?? [],
      },
    };
  }
  if (query.ip !== undefined) {
    const value = parseIpv4(query.ip);
    return {
      ok: true,
      peer: { kind: 'external', name: `${query.ip}[External]`, ...(value !== undefined ? { range: { start: value, end: value } } : {}) },
    };
  }
  return { ok: false, kind: 'unresolvable-endpoint', message: `${role} has neither a known workload, namespace and labels, nor an IP` };
}

/**
 * Evaluates one observed (or hypothetical) flow against a policy set: the verdict plus the egress
 * and ingress decisions in words. Used for what-if replay of stored flows against proposed policies.
 * IPs that belong to no known pod are treated as external.
 */
export function evaluateFlow(inventory: Inventory, input: EvaluateFlowInput, policies: PolicySet = inventory): EvaluateFlowResult {
  const protocol = input.protocol.toUpperCase();
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    return { ok: false, error: { kind: 'unsupported-protocol', message: `Kubernetes policies do not model ${input.protocol}` } };
  }
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    return { ok: false, error: { kind: 'invalid-port', message: `port ${input.port} is outside 1-65535` } };
  }
  const source = resolveEndpoint(inventory, input.source, 'source');
  if (!source.ok) return { ok: false, error: { kind: source.kind, message: source.message } };
  const destination = resolveEndpoint(inventory, input.destination, 'destination');
  if (!destination.ok) return { ok: false, error: { kind: destination.kind, message: destination.message } };
  const candidate = connectionsOf(protocol, input.port, input.port);
  const verdict = evaluateConnection(policies, source.peer, destination.peer, candidate);
  const piece = verdict.pieces[0];
  if (!piece) throw new Error('evaluateConnection returned no piece for a non-empty candidate');
  const allowed = containsConnection(verdict.allowed, protocol, input.port);
  return {
    ok: true,
    value: {
      verdict: allowed ? 'allowed' : 'denied',
      source: source.peer,
      destination: destination.peer,
      protocol,
      port: input.port,
      egress: piece.egress,
      ingress: piece.ingress,
      explanation: `${allowed ? 'allowed' : 'denied'}: ${describeDecision(piece.egress)}; ${describeDecision(piece.ingress)}`,
    },
  };
}

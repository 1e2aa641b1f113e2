import type { Inventory } from '../inventory/types';
import { collectPeers } from './collect-peers';
import { connectionsOf, isEmptyConnections, noConnections, unionConnections, type ConnectionSet } from './connection-set';
import { evaluateConnection, type ConnectionVerdict } from './evaluate-connection';
import { collectPolicyIpv4Ranges, externalRanges, formatIpv4Range } from './external-ranges';
import { INGRESS_CONTROLLER_NAME, type ExternalPeer, type PodPeer, type PolicySet } from './policy-peer';

export interface ComputeConnectivityOptions {
  /** Evaluate external IPv4 ranges as peers (default true). */
  readonly includeExternal?: boolean;
  /** Evaluate `{ingress-controller}` towards workloads exposed by Ingress/Route objects (default true). */
  readonly includeIngressController?: boolean;
  /** Evaluate these policies instead of the inventory's own (what-if). */
  readonly policies?: PolicySet;
}

export interface ConnectivityResult {
  readonly peers: readonly PodPeer[];
  /** Disjoint IPv4 ranges covering 0.0.0.0–255.255.255.255, split at every ipBlock/networks boundary. */
  readonly externalPeers: readonly ExternalPeer[];
  /** Every evaluated ordered pair, including those where nothing is allowed. Self pairs are skipped. */
  readonly verdicts: readonly ConnectionVerdict[];
}

export const INGRESS_CONTROLLER_PEER: PodPeer = {
  kind: 'pod',
  name: INGRESS_CONTROLLER_NAME,
  // Modelled as an unlabelled pod in an unlabelled namespace: `namespaceSelector: {}` admits it,
  // selectors naming a namespace or pod labels do not.
  namespace: '',
  namespaceLabels: {},
  labels: {},
  ports: [],
  ingressController: true,
};

/**
 * The connections Ingress/Route objects send to `peer`: for each backend service selecting the
 * peer, the service's target ports (named target ports resolved on the peer's containers).
 */
export function exposedConnections(inventory: Pick<Inventory, 'exposures' | 'services'>, peer: PodPeer): ConnectionSet {
  const sets: ConnectionSet[] = [];
  for (const exposure of inventory.exposures) {
    if (exposure.namespace !== peer.namespace) continue;
    for (const backend of exposure.backends) {
      const service = inventory.services.find((candidate) => candidate.namespace === exposure.namespace && candidate.name === backend.serviceName);
      if (!service?.selector || Object.keys(service.selector).length === 0) continue;
      const selects = Object.entries(service.selector).every(([key, value]) => peer.labels[key] === value);
      if (!selects) continue;
      const wanted = backend.servicePort;
      const ports = service.ports.filter((port) =>
        wanted === undefined
          ? true
          : typeof wanted === 'number'
            ? port.port === wanted || port.targetPort === wanted
            : port.name === wanted || port.targetPort === wanted,
      );
      for (const port of ports) {
        if (typeof port.targetPort === 'number') {
          sets.push(connectionsOf(port.protocol, port.targetPort, port.targetPort));
        } else {
          const target = peer.ports.find((container) => container.name === port.targetPort && container.protocol === port.protocol);
          if (target) sets.push(connectionsOf(target.protocol, target.containerPort, target.containerPort));
        }
      }
    }
  }
  return sets.length === 0 ? noConnections() : unionConnections(...sets);
}

/** External peers for the inventory's policies: one per disjoint IPv4 range. */
export function computeExternalPeers(policies: PolicySet): ExternalPeer[] {
  return externalRanges(collectPolicyIpv4Ranges(policies)).map((range) => ({
    kind: 'external',
    name: `${formatIpv4Range(range)}[External]`,
    range,
  }));
}

/**
 * Allowed connectivity for every ordered pair of workloads, between workloads and every external
 * IPv4 range, and from the ingress controller to exposed workloads.
 */
export function computeConnectivity(inventory: Inventory, options: ComputeConnectivityOptions = {}): ConnectivityResult {
  const policies = options.policies ?? inventory;
  const peers = collectPeers(inventory);
  const externalPeers = options.includeExternal === false ? [] : computeExternalPeers(policies);
  const verdicts: ConnectionVerdict[] = [];
  for (const source of peers) {
    for (const destination of peers) {
      if (source.name === destination.name) continue;
      verdicts.push(evaluateConnection(policies, source, destination));
    }
  }
  for (const peer of peers) {
    for (const external of externalPeers) {
      verdicts.push(evaluateConnection(policies, external, peer));
      verdicts.push(evaluateConnection(policies, peer, external));
    }
  }
  if (options.includeIngressController !== false && inventory.exposures.length > 0) {
    for (const peer of peers) {
      const exposed = exposedConnections(inventory, peer);
      if (isEmptyConnections(exposed)) continue;
      verdicts.push(evaluateConnection(policies, INGRESS_CONTROLLER_PEER, peer, exposed));
    }
  }
  return { peers, externalPeers, verdicts };
}

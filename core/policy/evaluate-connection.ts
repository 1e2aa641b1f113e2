import { allConnections, intersectConnections, isEmptyConnections, type ConnectionSet } from './connection-set';
import type { Decision, DirectionVerdict } from './decision';
import { evaluateDirection, unrestrictedDirection } from './evaluate-direction';
import type { PolicyPeer, PolicySet } from './policy-peer';

/** A slice of the connection space with the two decisions that together decided it. */
export interface ConnectionPiece {
  readonly connections: ConnectionSet;
  readonly allowed: boolean;
  readonly egress: Decision;
  readonly ingress: Decision;
}

export interface ConnectionVerdict {
  readonly source: PolicyPeer;
  readonly destination: PolicyPeer;
  /** What passes both the source's egress and the destination's ingress. */
  readonly allowed: ConnectionSet;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /** Egress × ingress segments, disjoint, covering the candidate set. */
  readonly pieces: readonly ConnectionPiece[];
}

/**
 * Evaluates traffic from `source` to `destination`: a connection needs both the source's egress and
 * the destination's ingress. External peers and the ingress controller are not subject to cluster
 * policy on their own side. `candidate` restricts what is asked (e.g. the ports an Ingress exposes).
 */
export function evaluateConnection(
  policies: PolicySet,
  source: PolicyPeer,
  destination: PolicyPeer,
  candidate: ConnectionSet = allConnections(),
): ConnectionVerdict {
  const egress =
    source.kind === 'pod'
      ? evaluateDirection(policies, source, 'Egress', destination, candidate)
      : unrestrictedDirection('Egress', 'external-peer', candidate);
  const ingress =
    destination.kind === 'pod'
      ? evaluateDirection(policies, destination, 'Ingress', source, candidate)
      : unrestrictedDirection('Ingress', 'external-peer', candidate);
  const pieces: ConnectionPiece[] = [];
  for (const out of egress.segments) {
    for (const into of ingress.segments) {
      const connections = intersectConnections(out.connections, into.connections);
      if (isEmptyConnections(connections)) continue;
      pieces.push({ connections, allowed: out.allowed && into.allowed, egress: out.decision, ingress: into.decision });
    }
  }
  return { source, destination, allowed: intersectConnections(egress.allowed, ingress.allowed), egress, ingress, pieces };
}

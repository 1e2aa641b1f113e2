export * from './connection-set';
export type { Decision, DirectionSegment, DirectionVerdict } from './decision';
export type { PolicyPeer, PodPeer, ExternalPeer, PolicySet, RuleRef } from './policy-peer';
export { INGRESS_CONTROLLER_NAME } from './policy-peer';
export { matchLabelSelector } from './match-label-selector';
export {
  evaluateDirection,
  adminPolicyPeerMatches,
  adminPolicyPortsToConnections,
  networkPolicyPeerMatches,
  networkPolicyPortsToConnections,
} from './evaluate-direction';
export { evaluateConnection, type ConnectionPiece, type ConnectionVerdict } from './evaluate-connection';
export { collectPeers, workloadPeerName, namespaceLabelsOf } from './collect-peers';
export {
  computeConnectivity,
  computeExternalPeers,
  exposedConnections,
  INGRESS_CONTROLLER_PEER,
  type ComputeConnectivityOptions,
  type ConnectivityResult,
} from './compute-connectivity';
export { externalRanges, collectPolicyIpv4Ranges, formatIpv4Range, IPV4_FULL_RANGE } from './external-ranges';
export { computeConnlist, explainVerdict, formatConnlistJson, formatConnlistText, type Connlist, type ConnlistLine } from './compute-connlist';
export { computeCoverage, type Coverage, type DirectionCoverage, type NamespaceCoverage, type WorkloadCoverage } from './compute-coverage';
export {
  evaluateFlow,
  type EvaluateFlowInput,
  type EvaluateFlowResult,
  type FlowEndpointQuery,
  type FlowVerdict,
} from './evaluate-flow';
export { describeDecision, describePolicy, describeRule } from './describe-decision';
export {
  whatIf,
  mergePolicySets,
  evaluatedVerdict,
  type ChangedEdge,
  type EvaluatedVerdict,
  type ObservedEdge,
  type ObservedEndpoint,
  type WhatIfExample,
  type WhatIfInput,
  type WhatIfResult,
  type WhatIfSkipReason,
} from './what-if';
export {
  recommendPolicy,
  type ExcludedTraffic,
  type PolicyRecommendation,
  type RecommendedPeer,
  type RecommendedPort,
  type RecommendedRule,
  type RecommendPolicyInput,
  type RecommendPolicyResult,
  type RecommendTarget,
  type RuleEvidence,
} from './recommend-policy';

export * from './types';
export {
  buildServiceGraph,
  namespaceGroupId,
  externalGroupId,
  nodePairEdgeId,
  endpointGraphNodeId,
  levelOfNodeId,
  workloadDisplayName,
  AUTO_WORKLOAD_LIMIT,
  MAX_MEMBERS,
  type BuildServiceGraphOptions,
} from './build-service-graph';
export { addEdgeCounters, type EdgeCounters } from './add-edge-counters';
export { hideInfrastructure } from './hide-infrastructure';
export { isInfrastructureRow } from './infrastructure';
export { describePolicyHit, describePolicyName } from './describe-policy-hit';
export {
  layoutGraph,
  defaultTicks,
  NODE_SPACING,
  type GraphLayout,
  type GroupBox,
  type LayoutGraphInput,
  type LayoutGraphOptions,
  type LayoutEdgeInput,
  type LayoutNodeInput,
} from './layout-graph';
export { createSeededRandom, hashString } from './prng';

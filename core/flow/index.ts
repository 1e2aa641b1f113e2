export * from './types';
export type { EndpointResolver, ResolvedPod } from './endpoint-resolver';
export type { LineErrorKind, LineParseContext, LineResult } from './line-result';
export { MAX_LINE_LENGTH } from './line-result';
export {
  parseFlowBatch,
  type ParseFlowBatchError,
  type ParseFlowBatchOptions,
  type ParseFlowBatchResult,
} from './parse-flow-batch';
export { detectFlowFormat, detectLineFormat } from './detect-flow-format';
export { parseCalico } from './parse-calico';
export { policyHitFromCalico } from './policy-hit-from-calico';
export { parseGoldmane } from './parse-goldmane';
export { parseHubble } from './parse-hubble';
export { aggregateHubbleFlows, DEFAULT_HUBBLE_WINDOW_MS, HubbleWindowAggregator, type LinedFlow } from './aggregate-hubble-flows';
export { HubblePolicyMemory } from './hubble-policy-memory';
export { parseVpc, VPC_DEFAULT_FIELDS, vpcFieldsFromText, isPrivateIp } from './parse-vpc';
export { parseNative, nativeFlowSchema, NATIVE_FLOW_VERSION } from './parse-native';
export { serializeNativeFlow } from './serialize-native-flow';
export { countsTowardTotals } from './counts-toward-totals';
export { workloadFromPodName, workloadFromAggregate, type PodWorkload } from './workload-from-pod-name';
export { describePolicyTrace, type DescribePolicyTraceOptions, type PolicyTraceDescription } from './describe-policy-trace';

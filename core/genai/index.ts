export * from './types';
export { defaultGenAiRules } from './default-genai-rules';
export { parseGenAiRules, type GenAiRulesIssue, type ParseGenAiRulesResult } from './parse-genai-rules';
export { compileGenAiRules, domainGlobToRegex, type CompiledRule, type CompiledCondition } from './compile-genai-rules';
export { classifyGenAi, imageRepository, type ClassifyGenAiOptions, type ClassifyGenAiResult } from './classify-genai';
export {
  classifySensitivity,
  isSensitive,
  sensitivityRank,
  type SensitivityOverride,
  type SensitivitySource,
} from './classify-sensitivity';
export {
  findGenAiPaths,
  observedEdgeId,
  describeObservedPolicy,
  pathHopFromEdges,
  pathTargetOf,
  type FindGenAiPathsOptions,
  type FindGenAiPathsResult,
} from './find-genai-paths';
export { detectGenAiFindings, genAiNodeLabel, type DetectGenAiFindingsOptions, type DetectGenAiFindingsResult } from './detect-genai-findings';
export { formatClassification, type ClassificationRow } from './format-classification';
export { makeGenAiBenchmarkData, type GenAiBenchmarkData, type MakeGenAiBenchmarkDataOptions } from './make-genai-benchmark-data';
export { observedPoliciesOfKey } from './observed-policies-of-key';

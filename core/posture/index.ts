export * from './types';
export {
  computePostureScore,
  isDefaultAllowPolicyKey,
  scoreDefaultDeny,
  scoreDeniedTrend,
  scoreExternalEgress,
  scoreGenAiFindings,
  scoreSensitiveStores,
  scoreUnpolicedTraffic,
  scoreWorkloadCoverage,
  DENIED_BASELINE_FLOOR_PER_DAY,
  DENIED_RISE_FOR_FULL_LOSS,
  FINDING_POINTS_FOR_FULL_LOSS,
  FINDING_SEVERITY_POINTS,
  POSTURE_WEIGHTS,
  type ComputePostureScoreOptions,
} from './compute-posture-score';
export { combinePostureScores, type ClusterPostureScore, type CombinedPostureRisk, type CombinedPostureScore } from './combine-posture-scores';
export { postureLinkHref } from './posture-link-href';

/**
 * DTOs and request schemas of the policies API (`/api/policies/*`): coverage, flow explanation, what-if
 * replay of stored traffic against a proposed policy set, least-privilege recommendation, stored proposals.
 * Times are epoch ms; nodes are `namespace/name` for workloads and the domain or IP for external peers.
 */
import { z } from 'zod';
import type { Decision } from '@/core/policy/decision';

export type { Decision };

export const POLICY_RANGES = ['1h', '6h', '24h', '7d', '30d'] as const;
export type PolicyRange = (typeof POLICY_RANGES)[number];
export const POLICY_RANGE_MS: Record<PolicyRange, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
};
/** What-if and recommendations read at most 30 days of rollups. */
export const MAX_POLICY_WINDOW_MS = POLICY_RANGE_MS['30d'];
/** Pasted or uploaded proposals: plenty for hundreds of policies, small enough to parse per request. */
export const MAX_PROPOSAL_BYTES = 1024 * 1024;

const clusterName = z.string().trim().min(1).max(200);
/** `namespace/name` of a workload. */
const workloadRef = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.*]*[A-Za-z0-9*])?$/, 'expected namespace/name');
/** `namespace/name` of a workload, or an IP address / domain for a peer outside the cluster. */
const endpointRef = z.string().trim().min(1).max(300).regex(/^[A-Za-z0-9][-A-Za-z0-9_.:/*]*$/, 'expected namespace/name, an IP address or a domain');

export const coverageRequestSchema = z.object({ cluster: clusterName });
export type CoverageRequest = z.output<typeof coverageRequestSchema>;

export const explainRequestSchema = z.object({
  cluster: clusterName,
  src: endpointRef,
  dst: endpointRef,
  port: z.coerce.number().int().min(1).max(65535),
  protocol: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(['TCP', 'UDP', 'SCTP'])),
  range: z.enum(POLICY_RANGES).default('7d'),
});
export type ExplainRequest = z.output<typeof explainRequestSchema>;

export const whatIfRequestSchema = z.object({
  cluster: clusterName,
  range: z.enum(POLICY_RANGES).default('7d'),
  mode: z.enum(['merge', 'replace']).default('merge'),
  /** Proposal files: pasted text is one file named `pasted.yaml`. */
  files: z
    .array(z.object({ name: z.string().trim().min(1).max(200), text: z.string().max(MAX_PROPOSAL_BYTES) }))
    .min(1)
    .max(20),
  /** Store the proposal in `policy_sets` under this name (optional). */
  saveAs: z.string().trim().min(1).max(120).optional(),
});
export type WhatIfRequest = z.output<typeof whatIfRequestSchema>;

export const recommendationRequestSchema = z
  .object({
    cluster: clusterName,
    workload: workloadRef.optional(),
    namespace: z.string().trim().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a namespace name').optional(),
    range: z.enum(POLICY_RANGES).default('7d'),
  })
  .refine((value) => (value.workload === undefined) !== (value.namespace === undefined), { message: 'give exactly one of workload or namespace', path: ['workload'] });
export type RecommendationRequest = z.output<typeof recommendationRequestSchema>;

export const proposalsRequestSchema = z.object({ cluster: clusterName });

// ---------------------------------------------------------------------------------------------

export interface PolicyRefDto {
  kind: string;
  namespace?: string;
  name: string;
}

export interface PolicyClusterDto {
  id: number;
  name: string;
  /** Latest inventory snapshot; null when none was uploaded (nothing to evaluate). */
  snapshotId: string | null;
  inventoryTakenAtMs: number | null;
}

export interface WorkloadCoverageDto {
  /** `namespace/name`. */
  workload: string;
  namespace: string;
  name: string;
  kind: string;
  ingressGoverned: boolean;
  egressGoverned: boolean;
  ingressPolicies: PolicyRefDto[];
  egressPolicies: PolicyRefDto[];
}

export interface NamespaceCoverageDto {
  namespace: string;
  defaultDenyIngress: PolicyRefDto[];
  defaultDenyEgress: PolicyRefDto[];
  /** NetworkPolicies in the namespace. */
  policyCount: number;
}

export interface CoverageDto {
  cluster: string;
  clusters: PolicyClusterDto[];
  snapshotId: string | null;
  inventoryTakenAtMs: number | null;
  workloads: WorkloadCoverageDto[];
  namespaces: NamespaceCoverageDto[];
  policyCount: number;
  /** Workloads with neither ingress nor egress governed. */
  unprotectedCount: number;
}

export interface ObservedVerdictDto {
  verdict: 'allowed' | 'denied';
  /** `kind|tier|namespace|name|action|rule` of the deciding policy the dataplane reported ('' = none). */
  policyKey: string;
  flows: number;
  lastSeenMs: number;
}

export interface ExplainDto {
  cluster: string;
  source: string;
  destination: string;
  port: number;
  protocol: string;
  fromMs: number;
  toMs: number;
  /** What the current policy set says; null with `error` when the evaluator could not place an end. */
  policy: {
    verdict: 'allowed' | 'denied';
    explanation: string;
    egress: { text: string; decision: Decision };
    ingress: { text: string; decision: Decision };
  } | null;
  error: string | null;
  observed: ObservedVerdictDto[];
  observedAllowedFlows: number;
  observedDeniedFlows: number;
  /** Observed verdicts that disagree with the policy verdict (e.g. observed allowed, policies say deny). */
  mismatch: { kind: 'observed-allowed-policy-denies' | 'observed-denied-policy-allows'; flows: number; text: string } | null;
}

export interface ManifestErrorDto {
  file: string;
  document: number;
  object?: string;
  field?: string;
  message: string;
}

export interface VerdictSideDto {
  verdict: 'allowed' | 'denied';
  decidingText: string;
  deciding: Decision;
  explanation: string;
}

export interface ChangedEdgeDto {
  key: string;
  edgeId: string;
  source: string;
  destination: string;
  port: number;
  protocol: string;
  before: VerdictSideDto;
  after: VerdictSideDto;
  flows: number;
  observedAllowedFlows: number;
  observedDeniedFlows: number;
  lastSeenMs: number;
  pairs: number;
  examples: { source: string; destination: string; observedVerdict: 'allowed' | 'denied'; flows: number; lastSeenMs: number }[];
}

export interface WhatIfDto {
  cluster: string;
  fromMs: number;
  toMs: number;
  rollup: '1m' | '1h';
  mode: 'merge' | 'replace';
  /** Documents that loaded, and the ones that did not (with file, document and field). */
  documentCount: number;
  proposedPolicies: PolicyRefDto[];
  errors: ManifestErrorDto[];
  changed: ChangedEdgeDto[];
  /** Changed edges beyond the first 500 are counted, not listed. */
  changedTotal: number;
  evaluatedEdges: number;
  evaluatedFlows: number;
  newlyDeniedFlows: number;
  newlyAllowedFlows: number;
  skipped: Record<string, { edges: number; flows: number }>;
  /** Rollup rows read (aggregated by endpoint pair, port, protocol and observed verdict). */
  rowCount: number;
  proposalId: string | null;
  tookMs: number;
}

export interface RecommendedRuleDto {
  direction: 'Ingress' | 'Egress';
  index: number;
  peer: string;
  peerKind: 'workload' | 'namespace' | 'external';
  ports: { port: number; protocol: string }[];
  evidence: { port: number; protocol: string; flows: number; lastSeenMs: number; examples: string[] }[];
  flows: number;
  lastSeenMs: number;
}

export interface WorkloadRecommendationDto {
  workload: string;
  kind: string;
  policyName: string;
  podSelector: Record<string, string>;
  ingress: RecommendedRuleDto[];
  egress: RecommendedRuleDto[];
  excluded: { direction: 'Ingress' | 'Egress'; peer: string; port: number | null; protocol: string; flows: number; reason: string }[];
}

export interface RecommendationDto {
  cluster: string;
  fromMs: number;
  toMs: number;
  /** The workload or namespace asked for. */
  target: string;
  recommendations: WorkloadRecommendationDto[];
  /** Every policy as one multi-document YAML file, ready to download. */
  yaml: string;
  fileName: string;
  /** Workloads of the cluster the picker offers (`namespace/name`), in scope. */
  workloads: string[];
}

export interface ProposalDto {
  id: string;
  name: string;
  createdAtMs: number;
  createdBy: string | null;
  policyCount: number;
}

export interface ProposalsDto {
  cluster: string;
  proposals: ProposalDto[];
}

export function policyRangeWindow(range: PolicyRange, nowMs: number): { fromMs: number; toMs: number } {
  return { fromMs: nowMs - POLICY_RANGE_MS[range], toMs: nowMs };
}

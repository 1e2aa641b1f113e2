/**
 * GET /api/posture — the posture summary of the Overview and the report (client-safe types).
 * Scores come from the daily snapshots (`posture_snapshots`); today's is recomputed every few minutes.
 */
import { z } from 'zod';
import type { GenAiFindingKind, GenAiSeverity } from '../../core/genai/types';
import type { PostureActionKind, PostureComponentId, PostureLink } from '../../core/posture/types';

export const POSTURE_PERIODS = ['7d', '30d', '90d'] as const;
export type PosturePeriod = (typeof POSTURE_PERIODS)[number];
export const POSTURE_PERIOD_DAYS: Record<PosturePeriod, number> = { '7d': 7, '30d': 30, '90d': 90 };

export interface PostureComponentDto {
  id: PostureComponentId;
  label: string;
  weight: number;
  pointsLost: number;
  summary: string;
  /** App path of the evidence (graph, flows, policies, GenAI). */
  href: string;
  linkTarget: PostureLink['target'];
  known: boolean;
  /** Points lost per cluster (cluster name → points). */
  byCluster: Record<string, number>;
}

export interface PostureRiskDto {
  cluster: string;
  namespace: string;
  pointsLost: number;
  action: { kind: PostureActionKind; workload?: string; text: string; pointsGained: number };
  href: string;
}

export interface PostureFindingDto {
  cluster: string;
  id: string;
  kind: GenAiFindingKind;
  severity: GenAiSeverity;
  title: string;
  explanation: string;
  href: string;
}

/** One day of the trend (all selected clusters combined). */
export interface PostureTrendPointDto {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  dayStartMs: number;
  /** Workload-weighted mean of the cluster scores (0–100). */
  score: number;
  /** Share of workload directions governed by a policy, 0–100; null without inventory. */
  coveragePct: number | null;
  /** Denied flows that day (today: so far). */
  deniedFlows: number;
  /** Open GenAI findings that day. */
  findings: number;
  /** Per cluster name: that cluster's score. */
  scoreByCluster: Record<string, number>;
}

export interface PostureClusterDto {
  name: string;
  score: number | null;
  coveragePct: number | null;
  deniedFlowsToday: number;
  findings: Record<GenAiSeverity, number>;
  workloads: number;
  /** Score change since 7 days ago; null without a snapshot then. */
  scoreChange7d: number | null;
  topRisk: string | null;
  computedAtMs: number | null;
}

/** "coverage +6 points since last week". */
export interface PostureCalloutDto {
  id: 'score' | 'coverage' | 'denied' | 'findings';
  text: string;
  /** Better, worse or unchanged for security. */
  tone: 'better' | 'worse' | 'same';
}

export interface PostureOverviewDto {
  generatedAtMs: number;
  period: PosturePeriod;
  periodStartDay: string;
  periodEndDay: string;
  clusters: string[];
  /** Null when no snapshot exists yet (no flows). */
  score: number | null;
  /** Some components could not be measured (no inventory). */
  incomplete: boolean;
  /** When the newest snapshot used was computed. */
  computedAtMs: number | null;
  components: PostureComponentDto[];
  risks: PostureRiskDto[];
  findings: PostureFindingDto[];
  findingCounts: Record<GenAiSeverity, number>;
  trend: PostureTrendPointDto[];
  callouts: PostureCalloutDto[];
  perCluster: PostureClusterDto[];
  /** Namespace-restricted users see cluster-wide scores but only the risks and findings of their namespaces. */
  namespaceRestricted: boolean;
}

/** `?period=30d&clusters=prod-east,prod-west` (clusters optional: every cluster in scope). */
export const postureRequestSchema = z.object({
  period: z.enum(POSTURE_PERIODS).default('30d'),
  clusters: z
    .string()
    .max(2000)
    .default('')
    .transform((text) => [...new Set(text.split(',').map((name) => name.trim()).filter((name) => name.length > 0))])
    .pipe(z.array(z.string().max(200)).max(50)),
});
export type PostureRequest = z.infer<typeof postureRequestSchema>;

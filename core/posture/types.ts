/**
 * Posture model: what the score is computed from (one cluster, one day) and what it returns. Plain
 * JSON-serialisable data: daily snapshots store a {@link PostureScore} as is, the Overview and the
 * report read it back.
 */
import type { GenAiFindingKind, GenAiSeverity } from '../genai/types';
import type { Verdict } from '../flow/types';

/** A workload of the inventory and whether any policy governs it, per direction (`computeCoverage`). */
export interface PostureWorkload {
  readonly namespace: string;
  readonly name: string;
  readonly ingressGoverned: boolean;
  readonly egressGoverned: boolean;
}

/** A namespace of the inventory; namespaces without workloads are ignored by the score. */
export interface PostureNamespace {
  readonly namespace: string;
  readonly defaultDenyIngress: boolean;
  readonly defaultDenyEgress: boolean;
}

/** One end of observed traffic. `external`: outside the cluster (internet, SaaS, other networks). */
export interface PostureEndpoint {
  /** Null for peers outside namespaces (external, hosts). */
  readonly namespace: string | null;
  /** Workload name, or the domain/IP of an external peer. */
  readonly name: string;
  readonly external: boolean;
}

/** Observed traffic of the window aggregated per source, destination, verdict and deciding policy. */
export interface PostureTraffic {
  readonly source: PostureEndpoint;
  readonly destination: PostureEndpoint;
  readonly verdict: Verdict;
  /** The deciding policy hit `kind|tier|namespace|name|action|rule` ('' when none reported). */
  readonly policyKey: string;
  readonly flows: number;
  readonly bytesOut: number;
}

/** A store holding sensitive data (GenAI classification: data-store / vector-db with a sensitivity). */
export interface PostureStore {
  readonly namespace: string;
  readonly name: string;
  /** Words for the data, e.g. `pii`, `pci`, `restricted`. */
  readonly sensitivity: string;
  /** Whether any policy governs its ingress. */
  readonly ingressGoverned: boolean;
}

/** An open GenAI finding (`detectGenAiFindings`), reduced to what the score needs. */
export interface PostureFinding {
  readonly id: string;
  readonly kind: GenAiFindingKind;
  readonly severity: GenAiSeverity;
  readonly title: string;
  /** Node ids `cluster/namespace/kind/name` in data-flow order (the finding's `path`). */
  readonly nodeIds: readonly string[];
}

/** Everything `computePostureScore` reads. All lists may be empty. */
export interface PostureInputs {
  /** Used only to build evidence links (`?cluster=`). */
  readonly clusterName?: string;
  /** False when no inventory snapshot is known: coverage, default deny and stores are then unknown. */
  readonly inventoryKnown: boolean;
  readonly workloads: readonly PostureWorkload[];
  readonly namespaces: readonly PostureNamespace[];
  readonly traffic: readonly PostureTraffic[];
  /** How many days the traffic covers (1 for a full day; 0.25 for the first 6 h of today). */
  readonly trafficDays: number;
  /** Mean denied flows per day over the previous days (up to 7); null when there is no history. */
  readonly deniedFlowsBaselinePerDay: number | null;
  readonly stores: readonly PostureStore[];
  readonly findings: readonly PostureFinding[];
}

export const POSTURE_COMPONENT_IDS = [
  'workload-coverage',
  'default-deny',
  'unpoliced-traffic',
  'denied-trend',
  'genai-findings',
  'sensitive-stores',
  'external-egress',
] as const;
export type PostureComponentId = (typeof POSTURE_COMPONENT_IDS)[number];

/** Where a component's evidence is: a page of the app and its query parameters. */
export interface PostureLink {
  readonly target: 'graph' | 'flows' | 'policies' | 'genai';
  readonly params: Readonly<Record<string, string>>;
}

export interface PostureComponent {
  readonly id: PostureComponentId;
  readonly label: string;
  /** Most points this component can cost; the weights add up to 100. */
  readonly weight: number;
  /** 0 (nothing wrong) to 1 (the whole weight lost). */
  readonly riskRatio: number;
  /** weight × riskRatio, rounded to 0.1. */
  readonly pointsLost: number;
  /** One sentence saying what was measured, e.g. "9 of 14 workloads (64 %) have no ingress policy". */
  readonly summary: string;
  readonly link: PostureLink;
  /** False when the input it needs is missing (no inventory): it then costs nothing. */
  readonly known: boolean;
  /** The measured figures, for charts and the CSV (names carry units). */
  readonly figures: Readonly<Record<string, number>>;
}

export type PostureActionKind = 'default-deny' | 'restrict-egress' | 'restrict-ingress' | 'investigate';

/** A namespace (or the workloads in it) that costs score, with the action that recovers the most. */
export interface PostureRisk {
  /** `namespace`, or `-` for costs of peers outside namespaces. */
  readonly namespace: string;
  /** Points this namespace costs, summed over components (0.1 precision). */
  readonly pointsLost: number;
  /** Points lost per component in this namespace. */
  readonly byComponent: Readonly<Partial<Record<PostureComponentId, number>>>;
  readonly action: {
    readonly kind: PostureActionKind;
    /** The workload the action is about (absent for namespace-wide actions). */
    readonly workload?: string;
    /** e.g. "add a default-deny policy to `llm`: covers 3 workloads". */
    readonly text: string;
    /** Points the action would recover, at most `pointsLost`. */
    readonly pointsGained: number;
  };
  readonly link: PostureLink;
}

export interface PostureScore {
  /** 0–100, 100 − the sum of points lost, rounded to an integer. */
  readonly score: number;
  /** Some components could not be measured (see `known`). */
  readonly incomplete: boolean;
  /** In {@link POSTURE_COMPONENT_IDS} order. */
  readonly components: readonly PostureComponent[];
  /** Costliest first; at most `maxRisks` (default 5). */
  readonly risks: readonly PostureRisk[];
}

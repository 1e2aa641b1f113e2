/**
 * DTOs and query schemas of the GenAI API (`/api/genai/*`). The node, path and finding shapes are
 * core/genai's plain-JSON types (stable node ids `cluster/namespace/kind/name`, the same ids the graph
 * draws); the envelopes add the window, the clusters and links. Times are epoch ms.
 *
 * ## Graph overlay — `GET /api/genai/overlay` → {@link GenAiOverlayDto}
 * ```ts
 * {
 *   roles: { "prod-east/llm/workload/vllm": ["llm-inference"], "prod-east/-/external/api.openai.com": ["external-llm-api"], … },
 *   sensitivity: { "prod-east/data/workload/postgres": "confidential", … },   // level per node id
 *   tags: { "prod-east/data/workload/postgres": ["pii"], … },                 // extra: pii / pci / phi per node id
 *   paths: [["prod-east/-/external/internet", "prod-east/ingress-nginx/workload/ingress-nginx-controller", …, "prod-east/data/workload/postgres"], …]
 * }
 * ```
 * Node ids are workload-level graph ids (`endpointGraphNodeId(cluster, endpoint, 'workload')`): workloads
 * `cluster/ns/workload/name`, external peers `cluster/-/external/<domain>` (or `internet` / `private`),
 * network sets `cluster/ns-or-dash/networkset/name`. Roles are sorted by confidence; a path lists node ids
 * left to right (entry → … → sensitive store or external LLM API). Only nodes with a role or a sensitivity
 * appear in `roles` / `sensitivity`.
 */
import { z } from 'zod';
import { commaList, queryTime, refineCustomWindow } from './query-window';
import {
  GENAI_FINDING_KINDS,
  GENAI_SEVERITIES,
  type GenAiFinding,
  type GenAiFindingKind,
  type GenAiPath,
  type GenAiRole,
  type GenAiRoleAssignment,
  type GenAiSensitivity,
  type GenAiSeverity,
  type SensitivityLevel,
  type SensitivityTag,
} from '@/core/genai/types';

export { GENAI_FINDING_KINDS, GENAI_SEVERITIES };
export type { GenAiFinding, GenAiFindingKind, GenAiPath, GenAiRole, GenAiRoleAssignment, GenAiSensitivity, GenAiSeverity, SensitivityLevel, SensitivityTag };

export const GENAI_RANGES = ['1h', '6h', '24h', '7d'] as const;
export type GenAiRange = (typeof GENAI_RANGES)[number] | 'custom';
export const GENAI_RANGE_MS: Record<(typeof GENAI_RANGES)[number], number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};
/** Longest window GenAI analysis answers (the hour rollup keeps about 30 days). */
export const MAX_GENAI_WINDOW_MS = 31 * 24 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// Envelopes.

export interface GenAiWindowDto {
  generatedAtMs: number;
  fromMs: number;
  toMs: number;
  /** Which rollup answered: `1m` for windows up to 6 h, `1h` beyond. */
  rollup: '1m' | '1h';
  /** Clusters analysed (in the caller's scope), with when their inventory was taken (null: none). */
  clusters: { name: string; inventoryTakenAtMs: number | null }[];
}

/** What the UI needs to draw any node id it meets in a path or finding. */
export interface GenAiNodeRefDto {
  id: string;
  cluster: string;
  /** `namespace/name`, the domain, `internet`, or "outside your scope". */
  label: string;
  kind: 'workload' | 'external' | 'other';
  roles: GenAiRole[];
  sensitivity: { level: SensitivityLevel; tags: SensitivityTag[] } | null;
}

export interface GenAiComponentDto {
  id: string;
  cluster: string;
  label: string;
  kind: 'workload' | 'external';
  namespace: string | null;
  name: string;
  workloadKind: string | null;
  domain: string | null;
  application: string | null;
  /** Sorted by confidence; each with its evidence. */
  roles: GenAiRoleAssignment[];
  sensitivity: GenAiSensitivity | null;
  /** Null for external peers or without an inventory; false: no policy selects it for ingress. */
  ingressGoverned: boolean | null;
  egressGoverned: boolean | null;
  /** Allowed and denied flows touching the node in the window. */
  flows: number;
}

export interface GenAiComponentsDto extends GenAiWindowDto {
  components: GenAiComponentDto[];
}

export interface GenAiPathHopDto {
  sourceNodeId: string;
  destinationNodeId: string;
  ports: string[];
  flows: number;
  bytesOut: number;
  /** Allowing policies in words; empty: allowed with no policy (default allow). */
  policies: string[];
  /** `/flows?…` query for this hop's evidence flows. */
  flowsHref: string;
}

export interface GenAiPathDto extends Omit<GenAiPath, 'hops'> {
  cluster: string;
  hops: GenAiPathHopDto[];
  /** `/graph?…&highlight=<node ids>`. */
  graphHref: string;
}

export interface GenAiPathsDto extends GenAiWindowDto {
  paths: GenAiPathDto[];
  truncated: boolean;
  nodes: Record<string, GenAiNodeRefDto>;
}

export interface GenAiFindingDto extends GenAiFinding {
  cluster: string;
  /** `/graph?…&highlight=<node ids of path>`. */
  graphHref: string;
  /** `/flows?…` for the finding's main evidence edge, or null when it has none (coverage findings). */
  flowsHref: string | null;
}

export interface GenAiFindingsDto extends GenAiWindowDto {
  findings: GenAiFindingDto[];
  /** Counts before the severity/kind filters (for the filter chips). */
  counts: { bySeverity: Record<GenAiSeverity, number>; byKind: Partial<Record<GenAiFindingKind, number>>; total: number };
  nodes: Record<string, GenAiNodeRefDto>;
}

/** `GET /api/genai/overlay` — see the module comment. */
export interface GenAiOverlayDto {
  roles: Record<string, GenAiRole[]>;
  sensitivity: Record<string, SensitivityLevel>;
  /** Extra to the issue's shape: data tags per node id (pii, pci, phi). */
  tags: Record<string, SensitivityTag[]>;
  paths: string[][];
}

export interface GenAiEvidenceFlowDto {
  id: string;
  startMs: number;
  endMs: number;
  source: string;
  destination: string;
  port: number | null;
  protocol: string;
  verdict: 'allowed' | 'denied';
  reporter: string;
  /** Deciding policy trace in words. */
  policyTrace: string[];
  bytesOut: number;
  bytesIn: number;
}

export interface GenAiEvidenceDto {
  source: string;
  target: string;
  fromMs: number;
  toMs: number;
  flows: GenAiEvidenceFlowDto[];
  flowsHref: string;
}

export interface GenAiRulesDto {
  /** The admin rules (custom only; the built-in table is `defaults`). */
  rules: unknown[];
  updatedBy: string | null;
  updatedAtMs: number | null;
  /** The built-in rule ids, so an admin can override one by id. */
  defaultRuleIds: string[];
  canEdit: boolean;
}

// ---------------------------------------------------------------------------------------------
// Query parameters (shared by routes and client links).

const list = commaList(200);

/** Window and clusters of every GenAI request (default: the last 24 h, every cluster in scope). */
export const genAiFilterSchema = z
  .object({
    range: z.enum([...GENAI_RANGES, 'custom']).default('24h'),
    from: queryTime,
    to: queryTime,
    cluster: list,
  })
  .superRefine(refineCustomWindow(MAX_GENAI_WINDOW_MS));
export type GenAiFilter = z.output<typeof genAiFilterSchema>;

export const genAiFindingsRequestSchema = z.intersection(
  genAiFilterSchema,
  z.object({
    severity: list.pipe(z.array(z.enum(GENAI_SEVERITIES as [GenAiSeverity, ...GenAiSeverity[]]))),
    kind: list.pipe(z.array(z.enum(GENAI_FINDING_KINDS))),
  }),
);
export type GenAiFindingsRequest = z.output<typeof genAiFindingsRequestSchema>;

const nodeId = z.string().min(3).max(600).regex(/^[^/]+\/[^/]+\/[a-z]+\/.+$/, 'expected a node id cluster/namespace/kind/name');
export const genAiEvidenceRequestSchema = z.intersection(
  genAiFilterSchema,
  z.object({ source: nodeId, target: nodeId, verdict: z.enum(['all', 'allowed', 'denied']).default('all') }),
);
export type GenAiEvidenceRequest = z.output<typeof genAiEvidenceRequestSchema>;

/** `PUT /api/genai/rules` body: the rule list (validated again with core's `parseGenAiRules`). */
export const genAiRulesBodySchema = z.object({ rules: z.array(z.unknown()).max(1000) });

/** `[fromMs, toMs]` of a filter at `nowMs`. */
export function resolveGenAiWindow(filter: Pick<GenAiFilter, 'range' | 'from' | 'to'>, nowMs: number): { fromMs: number; toMs: number } {
  if (filter.range === 'custom' && filter.from !== undefined && filter.to !== undefined) return { fromMs: filter.from, toMs: filter.to };
  const rangeMs = filter.range === 'custom' ? GENAI_RANGE_MS['24h'] : GENAI_RANGE_MS[filter.range];
  return { fromMs: nowMs - rangeMs, toMs: nowMs };
}

/** The URL query of a GenAI filter (what `lib/query/genai.ts` sends; defaults omitted). */
export function genAiFilterSearch(filter: { range: GenAiRange; from?: number; to?: number; cluster: string[] }): URLSearchParams {
  const search = new URLSearchParams();
  if (filter.range !== '24h') search.set('range', filter.range);
  if (filter.range === 'custom' && filter.from !== undefined && filter.to !== undefined) {
    search.set('from', String(filter.from));
    search.set('to', String(filter.to));
  }
  if (filter.cluster.length > 0) search.set('cluster', filter.cluster.join(','));
  return search;
}

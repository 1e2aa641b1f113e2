/**
 * DTOs of the graph API. The graph itself is core/graph's plain-JSON `ServiceGraph` (stable ids minted in
 * core are the contract); the envelopes add the window and what the pickers can offer. Times are epoch ms.
 */
import { z } from 'zod';
import { commaList, queryTime, refineCustomWindow } from './query-window';
import type { GraphEdge, GraphLevel, GraphNode, ServiceGraph } from '@/core/graph/types';
import type { Verdict } from '@/core/flow/types';

export type { GraphEdge, GraphLevel, GraphNode, ServiceGraph };

export type GraphVerdictFilter = 'all' | Verdict;

/** Query of `GET /api/graph` (all optional except the window; lists are comma-separated in the URL). */
export interface GraphQueryDto {
  fromMs: number;
  toMs: number;
  /** Cluster names; empty = every cluster. */
  clusters: string[];
  /** Namespaces; empty = all. A flow matches when either end is in one of them. */
  namespaces: string[];
  verdict: GraphVerdictFilter;
  level: GraphLevel | 'auto';
  /** `cluster/namespace` group ids shown one level deeper / as one node. */
  expand: string[];
  collapse: string[];
}

export interface GraphClusterOptionDto {
  id: number;
  name: string;
  displayName: string | null;
  /** When the latest inventory snapshot was taken; null without one (coverage cannot be judged). */
  inventoryTakenAtMs: number | null;
}

export interface GraphDto {
  generatedAtMs: number;
  fromMs: number;
  toMs: number;
  /** Which rollup answered: `1m` for windows up to 6 h, `1h` beyond, `1d` (whole days) from 3 days. */
  rollup: '1m' | '1h' | '1d';
  /** Aggregated rollup rows the graph was built from. */
  rowCount: number;
  graph: ServiceGraph;
  clusters: GraphClusterOptionDto[];
  /** Namespaces seen in the window (for the namespace filter), sorted. */
  namespaces: string[];
}

export interface PolicyTraceLineDto {
  key: string;
  verdict: Verdict;
  /** In words: "denied by NetworkPolicy `data/default-deny` (end of tier: no rule matched)". */
  text: string;
  flows: number;
  /** Staged/pending verdict of these flows, when a staged policy spoke. */
  pendingVerdict: Verdict | null;
}

export interface EdgePortBreakdownDto {
  port: number | null;
  protocol: string;
  flows: number;
  connections: number;
  bytesOut: number;
  bytesIn: number;
  allowedFlows: number;
  deniedFlows: number;
}

export interface EvidenceFlowDto {
  id: string;
  startMs: number;
  endMs: number;
  source: string;
  destination: string;
  sourceIp: string | null;
  destinationIp: string | null;
  port: number | null;
  protocol: string;
  verdict: Verdict;
  reporter: string;
  /** The flow's enforced policy trace in words, in evaluation order. */
  policyTrace: string[];
  pendingTrace: string[];
  dropReason: string | null;
  bytesOut: number;
  bytesIn: number;
  format: string;
}

export interface EdgeDetailDto {
  edgeId: string;
  source: string;
  target: string;
  fromMs: number;
  toMs: number;
  totals: { flows: number; connections: number; bytesOut: number; bytesIn: number; allowedFlows: number; deniedFlows: number; pendingDeniedFlows: number };
  ports: EdgePortBreakdownDto[];
  policies: PolicyTraceLineDto[];
  /** The newest raw flows of the edge in the window (bounded). */
  evidence: EvidenceFlowDto[];
  /** Query parameters for `/flows` pre-filtered to this edge. */
  flowsLink: Record<string, string>;
}

export interface NodePolicyDto {
  kind: string;
  namespace: string | null;
  name: string;
  direction: 'Ingress' | 'Egress';
}

export interface NodeNeighbourDto {
  edgeId: string;
  peer: string;
  peerLabel: string;
  direction: 'in' | 'out';
  flows: number;
  allowedFlows: number;
  deniedFlows: number;
  ports: string[];
}

export interface NodeDetailDto {
  node: GraphNode;
  workloadKind: string | null;
  labels: Record<string, string>;
  images: string[];
  pods: { name: string; ips: string[]; nodeName: string | null }[];
  /** Policies selecting the workload; empty = none (unprotected). Null when there is no inventory. */
  policies: NodePolicyDto[] | null;
  edges: NodeNeighbourDto[];
  flowsLink: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Query parameters, shared by the API routes (validation) and the page (URL state): one schema, so a
// shared `/graph?…` link and the API agree on every name.


export const GRAPH_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type GraphRange = (typeof GRAPH_RANGES)[number] | 'custom';
export const GRAPH_RANGE_MS: Record<(typeof GRAPH_RANGES)[number], number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};
/** Longest window the graph answers (the hour rollup keeps 30 days at most here). */
export const MAX_GRAPH_WINDOW_MS = 31 * 24 * 3_600_000;

const list = commaList(500);

/** The window and filters of a graph request (`range` or `from`+`to`; lists comma-separated). */
export const graphFilterSchema = z
  .object({
    range: z.enum([...GRAPH_RANGES, 'custom']).default('1h'),
    from: queryTime,
    to: queryTime,
    cluster: list,
    ns: list,
    verdict: z.enum(['all', 'allowed', 'denied']).default('all'),
  })
  .superRefine(refineCustomWindow(MAX_GRAPH_WINDOW_MS));
export type GraphFilter = z.output<typeof graphFilterSchema>;

export const graphRequestSchema = z.intersection(
  graphFilterSchema,
  z.object({
    level: z.enum(['auto', 'namespace', 'workload', 'pod']).default('auto'),
    expand: list,
    collapse: list,
  }),
);
export type GraphRequest = z.output<typeof graphRequestSchema>;

const nodeId = z.string().min(3).max(600).regex(/^[^/]+\/[^/]+\/[a-z]+\/.+$/, 'expected a node id cluster/namespace/kind/name');
export const edgeDetailRequestSchema = z.intersection(graphFilterSchema, z.object({ source: nodeId, target: nodeId }));
export type EdgeDetailRequest = z.output<typeof edgeDetailRequestSchema>;
export const nodeDetailRequestSchema = z.intersection(graphFilterSchema, z.object({ node: nodeId }));
export type NodeDetailRequest = z.output<typeof nodeDetailRequestSchema>;

/** `[fromMs, toMs]` of a filter at `nowMs`. */
export function resolveGraphWindow(filter: Pick<GraphFilter, 'range' | 'from' | 'to'>, nowMs: number): { fromMs: number; toMs: number } {
  if (filter.range === 'custom' && filter.from !== undefined && filter.to !== undefined) return { fromMs: filter.from, toMs: filter.to };
  const rangeMs = filter.range === 'custom' ? GRAPH_RANGE_MS['1h'] : GRAPH_RANGE_MS[filter.range];
  return { fromMs: nowMs - rangeMs, toMs: nowMs };
}

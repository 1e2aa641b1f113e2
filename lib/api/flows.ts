/**
 * The flow explorer's API contract (`/api/flows*`): the filter every resource shares (one zod schema for
 * the URL of the page and of every route), and the DTOs. Times are epoch ms; lists are comma-separated.
 */
import { z } from 'zod';
import { queryTime, refineCustomWindow } from './query-window';

export const FLOW_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type FlowRange = (typeof FLOW_RANGES)[number];
export const FLOW_RANGE_MS: Record<FlowRange, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};
/** Longest window a flow query may cover (retention is shorter anyway). */
export const MAX_FLOW_WINDOW_MS = 31 * 24 * 3_600_000;

/** Filters that can be negated (`not=srcNs,port` in the URL). */
export const NEGATABLE_FIELDS = [
  'ns', 'srcNs', 'dstNs', 'srcWorkload', 'dstWorkload', 'srcIp', 'dstIp', 'port', 'protocol', 'dropReason', 'policy', 'reporter', 'q',
] as const;
export type NegatableField = (typeof NEGATABLE_FIELDS)[number];

export const FLOW_SORTS = ['time', 'bytes', 'connections'] as const;
export type FlowSort = (typeof FLOW_SORTS)[number];
export const FLOW_GROUPS = ['source', 'destination', 'port', 'policy', 'dropReason'] as const;
export type FlowGroupBy = (typeof FLOW_GROUPS)[number];

const MAX_TEXT = 256;
// NOTE: Postgres text cannot hold NUL; refused here so it is a 422, not a driver error (500).
const noNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain NUL characters';
const text = z.string().refine(noNul, NUL_MESSAGE).trim().max(MAX_TEXT, `at most ${MAX_TEXT} characters`).optional().transform((value) => (value ? value : undefined));
const list = <T extends string>(item: z.ZodType<T, string>, max = 50) =>
  z
    .string()
    .max(4096, 'at most 4096 characters')
    .optional()
    .transform((value) => (value ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : []))
    .pipe(z.array(item).max(max, `at most ${max} values`));
const name = z.string().max(253, 'a name has at most 253 characters').refine(noNul, NUL_MESSAGE);
const ipOrCidr = z
  .string()
  .max(64)
  .regex(/^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F:]{2,45}(\/\d{1,3})?)$/, 'expected an IP address or CIDR');
const portValue = z.string().regex(/^\d{1,5}$/, 'expected a port number 0-65535').refine((value) => Number(value) <= 65535, 'expected a port number 0-65535');
/** Every filter of the explorer, as it appears in the URL of `/flows` and of every `/api/flows*` route. */
export const flowFilterShape = {
  range: z.enum([...FLOW_RANGES, 'custom']).default('1h'),
  from: queryTime,
  to: queryTime,
  cluster: list(name, 20),
  /** Either end in one of these namespaces. */
  ns: list(name),
  srcNs: list(name),
  dstNs: list(name),
  /** `namespace/name` or a bare workload name. */
  srcWorkload: list(name),
  dstWorkload: list(name),
  srcIp: list(ipOrCidr, 20),
  dstIp: list(ipOrCidr, 20),
  port: list(portValue, 20),
  protocol: z.enum(['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6', 'other']).optional(),
  /** Absent in the URL = denied: the SRE arrives to investigate drops. `all` shows both. */
  verdict: z.enum(['all', 'allowed', 'denied']).default('denied'),
  dropReason: text,
  /** Matches the deciding policy's name, `namespace/name` or tier (substring), or any hit in the trace by exact name. */
  policy: text,
  policyKind: z.string().max(64).regex(/^[A-Za-z]*$/, 'expected a policy kind such as NetworkPolicy').optional().transform((value) => value || undefined),
  policyTier: text,
  reporter: z.enum(['source', 'destination', 'observer']).optional(),
  /** Free text over endpoint names, pods, IPs, domains, services and the deciding policy. */
  q: text,
  not: list(z.enum(NEGATABLE_FIELDS, 'unknown negatable field'), NEGATABLE_FIELDS.length),
  /** Include the second report of a connection both ends reported (excluded from counts by default). */
  dupes: z.enum(['0', '1']).default('0'),
};

const refineWindow = refineCustomWindow(MAX_FLOW_WINDOW_MS);

/** Unknown parameters are refused (a typo must not silently widen a query). */
export const flowFilterSchema = z.strictObject(flowFilterShape).superRefine(refineWindow);
export type FlowFilter = z.output<typeof flowFilterSchema>;

export const flowListRequestSchema = z
  .strictObject({
    ...flowFilterShape,
    sort: z.enum(FLOW_SORTS).default('time'),
    dir: z.enum(['desc', 'asc']).default('desc'),
    cursor: z.string().max(512).regex(/^[A-Za-z0-9_-]*$/, 'not a cursor from this API').optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .superRefine(refineWindow);
export type FlowListRequest = z.output<typeof flowListRequestSchema>;

export const flowGroupsRequestSchema = z
  .strictObject({ ...flowFilterShape, by: z.enum(FLOW_GROUPS).default('source'), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .superRefine(refineWindow);
export type FlowGroupsRequest = z.output<typeof flowGroupsRequestSchema>;

export const flowExportRequestSchema = z
  .strictObject({ ...flowFilterShape, format: z.enum(['csv', 'ndjson']).default('csv'), sort: z.enum(FLOW_SORTS).default('time'), dir: z.enum(['desc', 'asc']).default('desc') })
  .superRefine(refineWindow);
export type FlowExportRequest = z.output<typeof flowExportRequestSchema>;

export const flowLiveRequestSchema = z.strictObject({ ...flowFilterShape }).superRefine(refineWindow);

export const SUGGEST_FIELDS = ['namespace', 'workload', 'ip', 'dropReason', 'policy', 'port'] as const;
export type SuggestField = (typeof SUGGEST_FIELDS)[number];
export const flowSuggestRequestSchema = z.strictObject({
  field: z.enum(SUGGEST_FIELDS),
  prefix: z.string().max(MAX_TEXT, `at most ${MAX_TEXT} characters`).refine(noNul, NUL_MESSAGE).default(''),
  cluster: list(name, 20),
  range: z.enum([...FLOW_RANGES, 'custom']).default('24h'),
  from: queryTime,
  to: queryTime,
});
export type FlowSuggestRequest = z.output<typeof flowSuggestRequestSchema>;

export const flowDetailParamsSchema = z.strictObject({
  clusterId: z.string().regex(/^\d{1,9}$/, 'expected a cluster id'),
  flowId: z.string().regex(/^\d{1,19}$/, 'expected a flow id'),
});
export const flowDetailQuerySchema = z.strictObject({ t: queryTime });

/** `[fromMs, toMs]` of a filter at `nowMs` (relative ranges end now). */
export function resolveFlowWindow(filter: Pick<FlowFilter, 'range' | 'from' | 'to'>, nowMs: number): { fromMs: number; toMs: number } {
  if (filter.range === 'custom' && filter.from !== undefined && filter.to !== undefined) return { fromMs: filter.from, toMs: filter.to };
  const rangeMs = filter.range === 'custom' ? FLOW_RANGE_MS['1h'] : FLOW_RANGE_MS[filter.range];
  return { fromMs: nowMs - rangeMs, toMs: nowMs };
}

/** One end of a flow. `masked` = outside the viewer's data scope: only the kind is shown. */
export interface FlowEndpointDto {
  kind: string;
  namespace: string | null;
  name: string;
  workloadKind: string | null;
  pod: string | null;
  ip: string | null;
  domain: string | null;
  serviceName: string | null;
  masked: boolean;
}

export interface FlowRowDto {
  /** `clusterId:flowId` — stable key. */
  key: string;
  id: string;
  clusterId: number;
  cluster: string;
  startMs: number;
  endMs: number;
  source: FlowEndpointDto;
  destination: FlowEndpointDto;
  protocol: string;
  port: number | null;
  verdict: 'allowed' | 'denied';
  reporter: string;
  dropReason: string | null;
  /** `kind|tier|namespace|name|action|rule` of the deciding hit ('' = none). */
  policyKey: string;
  /** The deciding policy in words ("denied at tier `default` by …"). */
  policyText: string;
  pendingVerdict: string | null;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  connections: number;
  counted: boolean;
  format: string;
}

export interface FlowPageDto {
  rows: FlowRowDto[];
  /** Opaque; pass back as `cursor` for the next page. Null at the end. */
  nextCursor: string | null;
  fromMs: number;
  toMs: number;
  tookMs: number;
}

export interface FlowHistogramBucketDto {
  startMs: number;
  allowed: number;
  denied: number;
}

export interface FlowHistogramDto {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  buckets: FlowHistogramBucketDto[];
  /** Flows matching the filter in the window (= rows of the table and of the export when `exact`). */
  total: number;
  /** `raw`: counted over flows with the full filter (exact); `rollup-1h`: hourly rollups, hour-aligned window. */
  source: 'raw' | 'rollup-1h';
  exact: boolean;
  tookMs: number;
}

export interface FlowGroupDto {
  /** Value to filter on when drilling in (`namespace/name`, port, policy key, drop reason). */
  value: string;
  label: string;
  flows: number;
  denied: number;
  allowed: number;
  bytes: number;
  connections: number;
  lastSeenMs: number;
}

export interface FlowGroupsDto {
  by: FlowGroupBy;
  groups: FlowGroupDto[];
  fromMs: number;
  toMs: number;
}

export interface FlowSuggestionDto {
  value: string;
  /** What the value is (e.g. `workload Deployment`, `namespace`). */
  detail: string | null;
}

export interface FlowSuggestionsDto {
  field: SuggestField;
  suggestions: FlowSuggestionDto[];
}

export interface PolicyEngineExplanationDto {
  /** Which inventory the engine evaluated against. */
  snapshotTakenAtMs: number;
  verdict: 'allowed' | 'denied' | null;
  explanation: string;
  egress: string | null;
  ingress: string | null;
  /** The engine's verdict differs from the observed one (a policy changed, or the dataplane disagrees). */
  mismatch: boolean;
  error: string | null;
}

export interface FlowDetailDto {
  row: FlowRowDto;
  /** The canonical record as stored, including the trace and L7 summary. */
  record: Record<string, unknown>;
  rawLine: string | null;
  trace: { summary: string; steps: string[] };
  pendingTrace: { summary: string; steps: string[] } | null;
  engine: PolicyEngineExplanationDto | null;
  links: { graph: string; sourceCoverage: string | null; destinationCoverage: string | null };
}

/** One server-sent event of `/api/flows/live`: the new rows since the last event. */
export interface FlowLiveEventDto {
  rows: FlowRowDto[];
  atMs: number;
}

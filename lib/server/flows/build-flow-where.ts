import 'server-only';
import { isIP } from 'node:net';
import type { Fragment, Sql } from 'postgres';
import type { FlowFilter, NegatableField } from '../../api/flows';
import { clusterInScope, edgeInScope, type DataScope } from '../auth/data-scope';
import { AppError } from '../errors';
import { MAX_POLICY_KEYS, policyKeysMatching } from './policy-key-dictionary';

/** Where a filter is applied: raw flows (`f`, with endpoints `s`/`d` joined) or an hourly rollup (`f` = rollup, no joins). */
export type FlowTableKind = 'flows' | 'rollup';

export interface FlowWhereInput {
  filter: FlowFilter;
  fromMs: number;
  toMs: number;
  scope: DataScope;
  /** Cluster ids resolved from the filter's names (null = every cluster). */
  clusterIds: number[] | null;
  table?: FlowTableKind;
  /** The `s`/`d` endpoint joins are present (needed for a namespace-restricted scope). */
  endpointsJoined: boolean;
  /** The filter's endpoint conditions as dictionary ids, from {@link resolveEndpointIds}. */
  endpointIds: EndpointIds;
}

export type EndpointIds = Partial<Record<EndpointIdField | 'qPolicyKeys', string[]>>;

type EndpointIdField = 'ns' | 'srcNs' | 'dstNs' | 'srcWorkload' | 'dstWorkload' | 'srcIp' | 'dstIp' | 'q';
const ENDPOINT_ID_FIELDS: readonly EndpointIdField[] = ['ns', 'srcNs', 'dstNs', 'srcWorkload', 'dstWorkload', 'srcIp', 'dstIp', 'q'];

/**
 * Most ids an endpoint filter may list and still be answered through the (cluster_id, src_id|dst_id, start_time)
 * indexes (a namespace of a few hundred pods is fine; beyond this, walking the window in time order is cheaper).
 */
const MAX_INDEXED_IDS = 2_000;

/** Most dictionary ids one endpoint filter may expand to; beyond it the filter is too broad to be useful. */
const MAX_ENDPOINT_IDS = 20_000;

/**
 * Looks the filter's endpoint conditions up in the endpoint dictionary (one row per endpoint, small next
 * to flows) and returns the matching ids per filter field.
 */
export async function resolveEndpointIds(sql: Sql, filter: FlowFilter, clusterIds: readonly number[]): Promise<EndpointIds> {
  const conditions: [keyof EndpointIds, Fragment][] = [];
  if (filter.ns.length > 0) conditions.push(['ns', sql`e.namespace = any(${filter.ns}::text[])`]);
  if (filter.srcNs.length > 0) conditions.push(['srcNs', sql`e.namespace = any(${filter.srcNs}::text[])`]);
  if (filter.dstNs.length > 0) conditions.push(['dstNs', sql`e.namespace = any(${filter.dstNs}::text[])`]);
  if (filter.srcWorkload.length > 0) conditions.push(['srcWorkload', workloadCondition(sql, filter.srcWorkload)]);
  if (filter.dstWorkload.length > 0) conditions.push(['dstWorkload', workloadCondition(sql, filter.dstWorkload)]);
  if (filter.srcIp.length > 0) conditions.push(['srcIp', ipCondition(sql, filter.srcIp)]);
  if (filter.dstIp.length > 0) conditions.push(['dstIp', ipCondition(sql, filter.dstIp)]);
  if (filter.q) {
    const pattern = likeContains(filter.q);
    conditions.push(['q', sql`(e.name ilike ${pattern} or e.namespace ilike ${pattern} or e.pod ilike ${pattern} or e.ip ilike ${pattern}
      or e.domain ilike ${pattern} or e.service_name ilike ${pattern})`]);
  }
  const result: EndpointIds = {};
  await Promise.all([
    ...conditions.map(async ([field, condition]) => {
      const rows = await sql<{ id: string }[]>`
        select distinct e.id::text as id from endpoints e where e.cluster_id = any(${clusterIds as number[]}::int[]) and ${condition} limit ${MAX_ENDPOINT_IDS + 1}`;
      if (rows.length > MAX_ENDPOINT_IDS) throw new AppError('bad_request', `The ${field} filter matches more than ${MAX_ENDPOINT_IDS} endpoints; narrow it.`);
      result[field] = rows.map((row) => row.id);
    }),
    // Free text also matches policy keys: resolved against the key dictionary to an exact list, so the flow
    // query compares `policy_key = any(…)` rather than running an ILIKE over every flow in the window.
    filter.q
      ? policyKeysMatching(sql, clusterIds, filter.q).then((keys) => {
          if (keys.length > MAX_POLICY_KEYS) throw new AppError('bad_request', `The free text matches more than ${MAX_POLICY_KEYS} policy rules; narrow it.`);
          result.qPolicyKeys = keys;
        })
      : Promise.resolve(),
  ]);
  return result;
}

/** `%text%` for ILIKE with the pattern characters of the user's text taken literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The WHERE clause of every flow query (page, histogram, groups, export, live), parameterised only:
 * user text reaches SQL as bind values, never as SQL text. Endpoint filters become hashed sub-plans over
 * the endpoint dictionary (`(cluster_id, src_id) in (select …)`), so the flow scan itself only compares ids.
 */
export function buildFlowWhere(sql: Sql, input: FlowWhereInput): Fragment {
  const { filter, scope } = input;
  const table = input.table ?? 'flows';
  const negated = new Set<NegatableField>(filter.not);
  const timeColumn = table === 'flows' ? sql`f.start_time` : sql`f.bucket`;
  const parts: Fragment[] = [sql`${timeColumn} >= ${new Date(input.fromMs)}`, sql`${timeColumn} < ${new Date(input.toMs)}`];
  parts.push(clusterInScope(sql, scope, 'f.cluster_id'));
  if (scope.namespaces !== null) {
    parts.push(input.endpointsJoined ? edgeInScope(sql, scope, 's', 'd') : scopeBySubquery(sql, scope));
  }
  if (input.clusterIds !== null) parts.push(sql`f.cluster_id = any(${input.clusterIds}::int[])`);
  if (filter.verdict !== 'all') parts.push(sql`f.verdict = ${filter.verdict}`);
  if (table === 'flows' && filter.dupes === '0') parts.push(sql`f.counted`);

  const add = (field: NegatableField, condition: Fragment) => parts.push(negated.has(field) ? sql`not coalesce((${condition}), false)` : condition);
  // Endpoint filters arrive resolved to dictionary ids (see resolveEndpointIds): a literal id list lets the
  // planner estimate the match count and pick the (cluster_id, src_id|dst_id, start_time) index when it is small.
  const ids = input.endpointIds;
  const endpointIn = (end: 'src' | 'dst', list: readonly string[]) => (end === 'src' ? sql`f.src_id = any(${list as string[]}::int8[])` : sql`f.dst_id = any(${list as string[]}::int8[])`);
  const eitherEnd = (list: readonly string[]) => sql`(${endpointIn('src', list)} or ${endpointIn('dst', list)})`;

  if (ids.ns) add('ns', eitherEnd(ids.ns));
  if (ids.srcNs) add('srcNs', endpointIn('src', ids.srcNs));
  if (ids.dstNs) add('dstNs', endpointIn('dst', ids.dstNs));
  if (ids.srcWorkload) add('srcWorkload', endpointIn('src', ids.srcWorkload));
  if (ids.dstWorkload) add('dstWorkload', endpointIn('dst', ids.dstWorkload));
  if (ids.srcIp) add('srcIp', endpointIn('src', ids.srcIp));
  if (ids.dstIp) add('dstIp', endpointIn('dst', ids.dstIp));
  if (filter.port.length > 0) add('port', sql`f.dst_port = any(${filter.port.map(Number)}::int[])`);
  if (filter.protocol) add('protocol', sql`f.protocol = ${filter.protocol}`);
  if (filter.reporter) add('reporter', sql`f.reporter = ${filter.reporter}`);
  if (filter.dropReason) add('dropReason', sql`f.drop_reason ilike ${likeContains(filter.dropReason)}`);
  if (filter.policyKind) parts.push(sql`split_part(f.policy_key, '|', 1) = ${filter.policyKind}`);
  if (filter.policyTier) parts.push(sql`split_part(f.policy_key, '|', 2) = ${filter.policyTier}`);
  if (filter.policy) add('policy', policyCondition(sql, filter.policy, table));
  if (filter.q && ids.q) {
    const keys = ids.qPolicyKeys ?? [];
    const byEndpoint = ids.q.length > 0 ? eitherEnd(ids.q) : null;
    const byPolicy = keys.length > 0 ? sql`f.policy_key = any(${keys}::text[])` : null;
    add('q', byEndpoint && byPolicy ? sql`(${byEndpoint} or ${byPolicy})` : (byEndpoint ?? byPolicy ?? sql`false`));
  }
  return parts.reduce((all, part) => sql`${all} and ${part}`);
}

/**
 * Whether the filter's matching flows can be found through the (cluster_id, src_id|dst_id, start_time) indexes:
 * some endpoint condition that every match must meet (not negated) lists few enough ids. Free text counts only
 * when it matched no policy key (a policy key has no index). Then counting or sorting a few matches beats
 * walking the whole window (or the hourly rollup, which has no index on the endpoints).
 */
export function endpointIndexCanAnswer(filter: FlowFilter, ids: EndpointIds): boolean {
  return ENDPOINT_ID_FIELDS.some((field) => {
    const list = ids[field];
    if (!list || filter.not.includes(field)) return false;
    if (field === 'q' && (ids.qPolicyKeys?.length ?? 0) > 0) return false;
    return list.length <= MAX_INDEXED_IDS;
  });
}

/** Whether the histogram may read the hourly rollup for this filter (it keeps no drop reason, reporter, trace or second reports). */
export function rollupCanAnswer(filter: FlowFilter): boolean {
  return !filter.dropReason && !filter.reporter && !filter.policy && filter.dupes === '0';
}

function scopeBySubquery(sql: Sql, scope: DataScope): Fragment {
  const pairs = [...(scope.namespaces ?? new Map()).entries()].flatMap(([clusterId, namespaces]) => [...namespaces].map((namespace) => `${clusterId}/${namespace}`));
  if (pairs.length === 0) return sql`false`;
  const inScope = sql`(e.cluster_id::text || '/' || coalesce(e.namespace, '')) = any(${pairs}::text[])`;
  return sql`((f.cluster_id, f.src_id) in (select e.cluster_id, e.id from endpoints e where ${inScope})
    or (f.cluster_id, f.dst_id) in (select e.cluster_id, e.id from endpoints e where ${inScope}))`;
}

function workloadCondition(sql: Sql, values: readonly string[]): Fragment {
  const qualified = values.filter((value) => value.includes('/'));
  const bare = values.filter((value) => !value.includes('/'));
  return sql`((e.namespace || '/' || e.name) = any(${qualified}::text[]) or e.name = any(${bare}::text[]))`;
}

function ipCondition(sql: Sql, values: readonly string[]): Fragment {
  const exact: string[] = [];
  const ranges: string[] = [];
  for (const value of values) {
    const [address = '', prefixText] = value.split('/');
    const family = isIP(address);
    const prefix = prefixText === undefined ? null : Number(prefixText);
    if (family === 0 || (prefix !== null && (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)))) {
      throw new AppError('validation_failed', `"${value.slice(0, 64)}" is not an IP address or CIDR`);
    }
    if (prefix === null) exact.push(address);
    else ranges.push(`${address}/${prefix}`);
  }
  if (ranges.length === 0) return sql`e.ip = any(${exact}::text[])`;
  // NOTE: the dictionary's ip column is free text from the flow logs; cast only what looks like an address.
  return sql`(e.ip = any(${exact}::text[]) or case when e.ip ~ '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$|^[0-9a-fA-F:]+$'
    then e.ip::inet <<= any(${ranges}::inet[]) else false end)`;
}

function policyCondition(sql: Sql, policy: string, table: FlowTableKind): Fragment {
  // `data/default-deny` is stored as `…|data|default-deny|…` in the key.
  const keyPattern = policy.includes('/') ? likeContains(`|${policy.replace('/', '|')}|`) : likeContains(policy);
  if (table === 'rollup') return sql`f.policy_key ilike ${keyPattern}`;
  const slash = policy.indexOf('/');
  const hitName = slash > 0 ? policy.slice(slash + 1) : policy;
  return sql`(f.policy_key ilike ${keyPattern} or coalesce(f.policy_trace @> ${JSON.stringify([{ name: hitName }])}::jsonb, false))`;
}

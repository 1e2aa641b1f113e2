import 'server-only';
import type { Fragment, Sql } from 'postgres';
import type { FlowListRequest, FlowPageDto } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';
import { AppError } from '../errors';
import { buildFlowWhere, endpointIndexCanAnswer, resolveEndpointIds } from './build-flow-where';
import { decodeFlowCursor, encodeFlowCursor, type FlowCursor } from './flow-cursor';
import { flowRowColumns, flowRowFrom, toFlowRowDto, type FlowRowRecord } from './flow-row';
import { resolveFlowQuery } from './resolve-flow-query';

interface SortedRow extends FlowRowRecord {
  sortValue: number | null;
}

/** The sort expression and its keyset comparison, all in one direction so a row comparison works. */
export function flowOrder(sql: Sql, sort: FlowListRequest['sort'], dir: 'asc' | 'desc') {
  const table = sql`f`;
  const value = sort === 'bytes' ? sql`(${table}.bytes_out + ${table}.bytes_in)` : sort === 'connections' ? sql`${table}.connections::int8` : null;
  const direction = dir === 'desc' ? sql`desc` : sql`asc`;
  const orderBy = value ? sql`${value} ${direction}, ${table}.start_time ${direction}, ${table}.id ${direction}` : sql`${table}.start_time ${direction}, ${table}.id ${direction}`;
  const after = (cursor: FlowCursor): Fragment => {
    const operator = dir === 'desc' ? sql`<` : sql`>`;
    return value
      ? sql`(${value}, ${table}.start_time, ${table}.id) ${operator} (${cursor.value ?? 0}::int8, ${cursor.startText}::timestamptz, ${cursor.id}::int8)`
      : sql`(${table}.start_time, ${table}.id) ${operator} (${cursor.startText}::timestamptz, ${cursor.id}::int8)`;
  };
  return { value, orderBy, after };
}

/**
 * One page of flows for the explorer, keyset-paginated (no OFFSET: page 1,000 costs what page 1 does).
 * Runs per cluster (LATERAL) so each cluster walks its `(cluster_id, start_time, id)` key in order and stops
 * after `limit` matches; the pages are merged and cut to `limit`.
 */
export async function listFlows(sql: Sql, request: FlowListRequest, scope: DataScope, nowMs: number): Promise<FlowPageDto> {
  const started = performance.now();
  let cursor: FlowCursor | null = null;
  let window = { fromMs: 0, toMs: 0 };
  if (request.cursor) {
    cursor = decodeFlowCursor(request.cursor);
    if (cursor.sort !== request.sort || cursor.dir !== request.dir) throw new AppError('bad_request', 'The cursor belongs to another sort order; start again from the first page.');
    // A cursor pins the window of its first page, so "last hour" does not slide under a scrolling table.
    window = { fromMs: cursor.fromMs, toMs: cursor.toMs };
  }
  const resolved = await resolveFlowQuery(sql, request, scope, nowMs);
  if (!cursor) window = { fromMs: resolved.fromMs, toMs: resolved.toMs };
  if (resolved.clusterIds.length === 0) return { rows: [], nextCursor: null, ...window, tookMs: performance.now() - started };

  const endpointIds = await resolveEndpointIds(sql, request, resolved.clusterIds);
  const where = buildFlowWhere(sql, { filter: request, ...window, scope, clusterIds: null, endpointsJoined: true, endpointIds });
  const limit = request.limit + 1;
  const direction = request.dir === 'desc' ? sql`desc` : sql`asc`;
  const order = flowOrder(sql, request.sort, request.dir);
  // NOTE: with an endpoint filter the matching rows are few and found through the src/dst indexes; ordering by
  // an expression stops the planner from walking the whole window in key order hoping to meet them early.
  const selective = endpointIndexCanAnswer(request, endpointIds);
  const lateralOrder = selective && request.sort === 'time' ? sql`(f.start_time + interval '0 s') ${direction}, f.id ${direction}` : order.orderBy;
  const rows = await sql<SortedRow[]>`
    select r.* from unnest(${resolved.clusterIds}::int[]) as k(cluster_id)
    cross join lateral (
      select ${flowRowColumns(sql)}, f.start_time, f.id as fid,
             ${order.value ?? sql`null::int8`} as "sortValue"
      from ${flowRowFrom(sql)}
      where f.cluster_id = k.cluster_id and ${where} ${cursor ? sql`and ${order.after(cursor)}` : sql``}
      order by ${lateralOrder}
      limit ${limit}
    ) r
    order by ${request.sort === 'time' ? sql`r.start_time ${direction}, r.fid ${direction}` : sql`r."sortValue" ${direction}, r.start_time ${direction}, r.fid ${direction}`}
    limit ${limit}`;
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > request.limit && last
      ? encodeFlowCursor({ sort: request.sort, dir: request.dir, value: last.sortValue === null ? null : Number(last.sortValue), startText: last.startText, id: last.id, ...window })
      : null;
  return { rows: page.map((row) => toFlowRowDto(row, scope)), nextCursor, ...window, tookMs: Math.round(performance.now() - started) };
}

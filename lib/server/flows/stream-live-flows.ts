import 'server-only';
import type { Sql } from 'postgres';
import type { FlowFilter, FlowLiveEventDto } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';
import { buildFlowWhere, resolveEndpointIds } from './build-flow-where';
import { flowRowColumns, flowRowFrom, toFlowRowDto, type FlowRowRecord } from './flow-row';
import { resolveFlowQuery } from './resolve-flow-query';

const POLL_MS = 1000;
/** New rows are looked for among flows that started this recently (late reports older than this are not "live"). */
const LOOKBACK_MS = 10 * 60_000;
const MAX_ROWS_PER_EVENT = 200;
const KEEPALIVE_MS = 15_000;
/** A tail ends after this long; the browser's EventSource reconnects with Last-Event-ID. */
const MAX_STREAM_MS = 30 * 60_000;

export interface StreamLiveFlowsOptions {
  /** Resume after this flow id (EventSource Last-Event-ID or `after`); otherwise start at the newest row. */
  afterId: string | null;
  signal: AbortSignal;
  now: () => number;
}

/**
 * Server-sent events of new flows matching a filter: every second, rows with an id above the last one sent
 * (ids come from one sequence, so they grow with insertion), within a short look-back window. Each event's
 * `id:` is the last flow id, so a reconnect resumes without gaps or repeats.
 */
export async function streamLiveFlows(sql: Sql, filter: FlowFilter, scope: DataScope, options: StreamLiveFlowsOptions): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const startedMs = options.now();
  const resolved = await resolveFlowQuery(sql, filter, scope, startedMs);
  let lastId = options.afterId;
  if (lastId === null) {
    const [row] = await sql<{ id: string | null }[]>`
      select max(f.id)::text as id from flows f where f.start_time >= ${new Date(startedMs - LOOKBACK_MS)} and f.cluster_id = any(${resolved.clusterIds}::int[])`;
    lastId = row?.id ?? '0';
  }
  const endpointIds = await resolveEndpointIds(sql, filter, resolved.clusterIds);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastWriteMs = startedMs;
  let closed = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      options.signal.addEventListener('abort', close);
      controller.enqueue(encoder.encode(`retry: 2000\n: tail of flows after id ${lastId}\n\n`));
      const tick = async () => {
        if (closed) return;
        const nowMs = options.now();
        try {
          if (resolved.clusterIds.length > 0) {
            const where = buildFlowWhere(sql, { filter, fromMs: nowMs - LOOKBACK_MS, toMs: nowMs + 60_000, scope, clusterIds: resolved.clusterIds, endpointsJoined: true, endpointIds });
            const rows = await sql<FlowRowRecord[]>`
              select ${flowRowColumns(sql)} from ${flowRowFrom(sql)}
              where ${where} and f.id > ${lastId}::int8
              order by f.id limit ${MAX_ROWS_PER_EVENT}`;
            if (closed) return;
            const last = rows.at(-1);
            if (last) {
              lastId = last.id;
              const event: FlowLiveEventDto = { rows: rows.map((row) => toFlowRowDto(row, scope)).reverse(), atMs: nowMs };
              controller.enqueue(encoder.encode(`id: ${lastId}\nevent: flows\ndata: ${JSON.stringify(event)}\n\n`));
              lastWriteMs = nowMs;
            }
          }
          if (nowMs - lastWriteMs >= KEEPALIVE_MS) {
            controller.enqueue(encoder.encode(`: keep-alive\n\n`));
            lastWriteMs = nowMs;
          }
          if (nowMs - startedMs >= MAX_STREAM_MS) return close();
        } catch (error) {
          console.error('flowlens: live flow tail failed', error);
          controller.enqueue(encoder.encode(`event: failure\ndata: ${JSON.stringify({ message: 'The live tail stopped: the database did not answer.' })}\n\n`));
          return close();
        }
        timer = setTimeout(() => void tick(), POLL_MS);
      };
      timer = setTimeout(() => void tick(), 0);
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
}

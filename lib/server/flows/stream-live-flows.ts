import 'server-only';
import type { Sql } from 'postgres';
import type { FlowFilter, FlowLiveEventDto } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';
import { buildFlowWhere, resolveEndpointIds } from './build-flow-where';
import { LiveTailFloor } from './live-tail-floor';
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
 * Server-sent events of new flows matching a filter, polled every second within a short look-back window.
 *
 * Flow ids come from one sequence, but writers commit in any order: a transaction can hold ids below
 * rows already committed (and sent) and commit a moment later. So the tail keeps a floor — every
 * matching row with an id at or below it has been sent — and the ids sent above it; each poll reads the
 * rows above the floor it has not sent. The floor moves up to the sequence's value read before an earlier
 * poll once every transaction older than that poll's own has ended (the current snapshot's xmin is past
 * the poll's transaction id): no row with a lower id can appear after that — provided a writer's
 * transaction has its xid before it takes a flow id (the collector's writer inserts its pending-rollup
 * rows before the COPY for that reason; an id taken first could belong to a transaction that is in no
 * snapshot yet); a transaction open for over a minute stops holding the floor back (LiveTailFloor).
 * The tail starts after the ids taken when it opens. Each event's `id:` is the floor, so a reconnect
 * resumes without a gap (rows sent above the floor may come again; the client keeps one copy per flow).
 */
export async function streamLiveFlows(sql: Sql, filter: FlowFilter, scope: DataScope, options: StreamLiveFlowsOptions): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const startedMs = options.now();
  const resolved = await resolveFlowQuery(sql, filter, scope, startedMs);
  // NOTE: ids are BigInt (int8); postgres.js returns them as text.
  const tail = new LiveTailFloor(options.afterId === null ? await readFlowIdSequence(sql) : BigInt(options.afterId));
  let warnedHeld = false;
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
      controller.enqueue(encoder.encode(`retry: 2000\n: tail of flows after id ${tail.floor}\n\n`));
      const tick = async () => {
        if (closed) return;
        const nowMs = options.now();
        try {
          if (resolved.clusterIds.length > 0) {
            const where = buildFlowWhere(sql, { filter, fromMs: nowMs - LOOKBACK_MS, toMs: nowMs + 60_000, scope, clusterIds: resolved.clusterIds, endpointsJoined: true, endpointIds });
            // Read before the snapshot below: every id up to it was taken by a transaction that had ended or
            // was in progress when the snapshot was taken.
            const sequence = await readFlowIdSequence(sql);
            const { rows, xmin, xid } = await sql.begin('isolation level repeatable read', async (tx) => {
              // This transaction's own id is above every id assigned before (a snapshot's xmax is not: it is
              // one past the last *completed* transaction, and running ones above it are not listed).
              const [snapshot] = await tx<{ xmin: string; xid: string }[]>`
                select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, pg_current_xact_id()::text as xid`;
              const found = await tx<FlowRowRecord[]>`
                select ${flowRowColumns(sql)} from ${flowRowFrom(sql)}
                where ${where} and f.id > ${String(tail.floor)}::int8 and f.id <> all(${tail.sentIds().map(String)}::int8[])
                order by f.id limit ${MAX_ROWS_PER_EVENT}`;
              return { rows: found, xmin: BigInt(snapshot?.xmin ?? '0'), xid: BigInt(snapshot?.xid ?? '0') };
            });
            if (closed) return;
            const forced = tail.record({ sequence, xid, xmin, atMs: nowMs, rowIds: rows.map((row) => BigInt(row.id)), complete: rows.length < MAX_ROWS_PER_EVENT });
            if (forced && !warnedHeld) {
              warnedHeld = true;
              console.warn('flowlens: live flow tail: a transaction open for over a minute stopped holding the tail back; flows it commits later may not be shown live');
            }
            if (rows.length > 0) {
              const event: FlowLiveEventDto = { rows: rows.map((row) => toFlowRowDto(row, scope)).reverse(), atMs: nowMs };
              controller.enqueue(encoder.encode(`id: ${tail.floor}\nevent: flows\ndata: ${JSON.stringify(event)}\n\n`));
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

/** The flow id sequence's current value (ids taken so far are at or below it; 0 before the first). */
async function readFlowIdSequence(sql: Sql): Promise<bigint> {
  const [row] = await sql<{ value: string }[]>`select case when is_called then last_value else 0 end::text as value from flows_id_seq`;
  return BigInt(row?.value ?? '0');
}

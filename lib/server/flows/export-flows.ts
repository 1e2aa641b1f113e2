import 'server-only';
import type { Sql } from 'postgres';
import type { FlowExportRequest, FlowRowDto } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';
import { buildFlowWhere, resolveEndpointIds } from './build-flow-where';
import { flowRowColumns, flowRowFrom, toFlowRowDto, type FlowRowRecord } from './flow-row';
import { flowOrder } from './list-flows';
import { resolveFlowQuery } from './resolve-flow-query';

/** Rows fetched per round trip: small enough to bound memory, large enough to keep Postgres busy. */
const CURSOR_ROWS = 1000;

export const CSV_COLUMNS = [
  'start', 'end', 'cluster', 'source_kind', 'source_namespace', 'source_name', 'source_pod', 'source_ip', 'destination_kind',
  'destination_namespace', 'destination_name', 'destination_pod', 'destination_ip', 'destination_domain', 'protocol', 'port', 'verdict',
  'reporter', 'drop_reason', 'policy', 'policy_text', 'bytes_out', 'bytes_in', 'packets_out', 'packets_in', 'connections', 'flow_id',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. Text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`: endpoint
 * names come from the monitored cluster, which may be the attacker's.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(row: FlowRowDto): string {
  const fields = [
    new Date(row.startMs).toISOString(), new Date(row.endMs).toISOString(), row.cluster,
    row.source.kind, row.source.namespace, row.source.name, row.source.pod, row.source.ip,
    row.destination.kind, row.destination.namespace, row.destination.name, row.destination.pod, row.destination.ip, row.destination.domain,
    row.protocol, row.port, row.verdict, row.reporter, row.dropReason, row.policyKey, row.policyText,
    row.bytesOut, row.bytesIn, row.packetsOut, row.packetsIn, row.connections, row.id,
  ];
  return fields.map(csvField).join(',') + '\r\n';
}

/**
 * The filter's flows as a byte stream (CSV with a header, or NDJSON of FlowRowDto), read through a
 * server-side cursor 1,000 rows at a time and pulled only as fast as the client reads: a million rows
 * never sit in memory. Ordered newest first per cluster (the primary key's order: no sort).
 */
export async function exportFlows(sql: Sql, request: FlowExportRequest, scope: DataScope, nowMs: number): Promise<{ stream: ReadableStream<Uint8Array>; fromMs: number; toMs: number }> {
  const resolved = await resolveFlowQuery(sql, request, scope, nowMs);
  const window = { fromMs: resolved.fromMs, toMs: resolved.toMs };
  const encoder = new TextEncoder();
  const header = request.format === 'csv' ? CSV_COLUMNS.join(',') + '\r\n' : '';
  if (resolved.clusterIds.length === 0) {
    return { stream: new ReadableStream({ start: (controller) => { if (header) controller.enqueue(encoder.encode(header)); controller.close(); } }), ...window };
  }
  const endpointIds = await resolveEndpointIds(sql, request, resolved.clusterIds);
  const where = buildFlowWhere(sql, { filter: request, ...window, scope, clusterIds: resolved.clusterIds, endpointsJoined: true, endpointIds });
  const order = request.sort === 'time' ? sql`f.cluster_id ${request.dir === 'desc' ? sql`desc` : sql`asc`}, ${flowOrder(sql, 'time', request.dir).orderBy}` : flowOrder(sql, request.sort, request.dir).orderBy;
  const iterator = sql<FlowRowRecord[]>`select ${flowRowColumns(sql)} from ${flowRowFrom(sql)} where ${where} order by ${order}`.cursor(CURSOR_ROWS)[Symbol.asyncIterator]();
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!headerSent) {
            headerSent = true;
            if (header) controller.enqueue(encoder.encode(header));
          }
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          let chunk = '';
          for (const record of next.value) {
            const row = toFlowRowDto(record, scope);
            chunk += request.format === 'csv' ? csvLine(row) : JSON.stringify(row) + '\n';
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (error) {
          console.error('flowlens: flow export failed mid-stream', error);
          controller.error(error);
        }
      },
      async cancel() {
        // The client went away: ending the iterator closes the cursor and frees the connection.
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
  return { stream, ...window };
}

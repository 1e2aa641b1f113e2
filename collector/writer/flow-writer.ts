/**
 * The batching writer: one transaction per batch — idempotency record, endpoint dictionary, COPY of the
 * raw flows, 1-minute and 1-hour edge rollups, ingest errors and (for tailed files) the new offset.
 * A batch is acknowledged only after this transaction commits, so an acknowledged flow is never lost
 * and a retried batch (same Idempotency-Key, or same file offset) is never stored twice.
 */
import type { Sql, TransactionSql } from 'postgres';
import { boundRaw, EndpointIdCache, prepareBatch, type FlowToWrite, type RollupRow } from './prepare-batch';
import { DatabaseUnavailableError, isDatabaseUnavailable, isRetryableTransactionError } from './database-errors';

export interface IngestErrorToWrite {
  line: number;
  reason: string;
  raw: string;
}

export interface FileOffsetUpdate {
  source: string;
  fileId: string;
  headHash: string;
  offsetBytes: number;
}

export interface WriteBatchInput {
  clusterDbId: number | null;
  origin: string;
  format: string | null;
  flows: FlowToWrite[];
  errors: IngestErrorToWrite[];
  idempotencyKey?: string;
  /** Stored with the idempotency key and returned verbatim to a sender that retries the batch. */
  response?: unknown;
  offset?: FileOffsetUpdate;
}

export type WriteBatchResult =
  | { duplicate: false; rowsWritten: number; rollupRows: number; endpointsAdded: number }
  | { duplicate: true; storedResponse: unknown };

export interface FlowWriterStats {
  rowsWritten: number;
  batches: number;
}

const FLOW_COLUMNS = `cluster_id, start_time, end_time, src_id, dst_id, protocol, dst_port, src_port, verdict, counted,
  reporter, drop_reason, policy_key, policy_trace, pending_trace, pending_verdict, bytes_out, bytes_in,
  packets_out, packets_in, connections, l7, tcp_flags, format, raw`;

export class FlowWriter {
  private readonly endpointCache = new EndpointIdCache();
  private readonly ensuredDays = new Set<string>();
  readonly stats: FlowWriterStats = { rowsWritten: 0, batches: 0 };

  constructor(private readonly sql: Sql) {}

  async writeBatch(input: WriteBatchInput): Promise<WriteBatchResult> {
    if (input.flows.length > 0 && input.clusterDbId === null) {
      throw new Error('writeBatch: flows need a cluster');
    }
    const prepared = prepareBatch(input.clusterDbId ?? 0, input.flows, this.endpointCache);
    try {
      await this.ensurePartitions(prepared.days);
      for (let attempt = 1; ; attempt += 1) {
        try {
          const result = await this.sql.begin((tx) => this.writeInTransaction(tx, input, prepared));
          if (!result.duplicate) {
            if (input.clusterDbId !== null) {
              this.endpointCache.markStored(input.clusterDbId, prepared.newEndpoints.map((row) => row.id));
            }
            this.stats.rowsWritten += result.rowsWritten;
            this.stats.batches += 1;
          }
          return result;
        } catch (error) {
          if (attempt < 5 && isRetryableTransactionError(error)) continue;
          throw error;
        }
      }
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        throw new DatabaseUnavailableError(`database unavailable: ${describe(error)}`, { cause: error });
      }
      throw error;
    }
  }

  private async writeInTransaction(
    tx: TransactionSql,
    input: WriteBatchInput,
    prepared: ReturnType<typeof prepareBatch>,
  ): Promise<WriteBatchResult> {
    const clusterDbId = input.clusterDbId;
    if (input.idempotencyKey !== undefined && clusterDbId !== null) {
      // Blocks behind a concurrent transaction holding the same key; then conflicts and returns nothing.
      const inserted = await tx`
        insert into ingest_batches (cluster_id, idempotency_key, response)
        values (${clusterDbId}, ${input.idempotencyKey}, ${tx.json((input.response ?? {}) as never)})
        on conflict do nothing returning 1 as inserted`;
      if (inserted.length === 0) {
        const [stored] = await tx<{ response: unknown }[]>`
          select response from ingest_batches where cluster_id = ${clusterDbId} and idempotency_key = ${input.idempotencyKey}`;
        return { duplicate: true, storedResponse: stored?.response ?? null };
      }
    }

    if (input.offset) {
      await tx`
        insert into collector_offsets (source, cluster_id, file_id, head_hash, offset_bytes, updated_at)
        values (${input.offset.source}, ${clusterDbId}, ${input.offset.fileId}, ${input.offset.headHash}, ${input.offset.offsetBytes}, now())
        on conflict (source) do update set cluster_id = excluded.cluster_id, file_id = excluded.file_id,
          head_hash = excluded.head_hash, offset_bytes = excluded.offset_bytes, updated_at = now()`;
    }

    if (clusterDbId !== null && prepared.newEndpoints.length > 0) {
      const rows = prepared.newEndpoints;
      await tx`
        insert into endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, domain, service_name, labels)
        select ${clusterDbId}, * from unnest(
          ${rows.map((row) => row.id)}::bigint[],
          ${rows.map((row) => row.endpoint.kind)}::text[],
          ${rows.map((row) => row.endpoint.namespace ?? null)}::text[],
          ${rows.map((row) => row.endpoint.name)}::text[],
          ${rows.map((row) => row.endpoint.workloadKind ?? null)}::text[],
          ${rows.map((row) => row.endpoint.pod ?? null)}::text[],
          ${rows.map((row) => row.endpoint.ip ?? null)}::text[],
          ${rows.map((row) => row.endpoint.domain ?? null)}::text[],
          ${rows.map((row) => row.endpoint.serviceName ?? null)}::text[],
          ${rows.map((row) => JSON.stringify(row.endpoint.labels ?? {}))}::jsonb[]
        )
        on conflict do nothing`;
    }

    if (prepared.rowCount > 0) {
      const stream = await tx.unsafe(`copy flows (${FLOW_COLUMNS}) from stdin`).writable();
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        let index = 0;
        const writeMore = (): void => {
          while (index < prepared.copyChunks.length) {
            const chunk = prepared.copyChunks[index] ?? '';
            index += 1;
            if (!stream.write(chunk)) {
              stream.once('drain', writeMore);
              return;
            }
          }
          stream.end();
        };
        writeMore();
      });
      if (clusterDbId !== null) {
        await upsertRollup(tx, 'edge_rollup_1m', clusterDbId, prepared.rollup1m);
        await upsertRollup(tx, 'edge_rollup_1h', clusterDbId, prepared.rollup1h);
      }
    }

    if (input.errors.length > 0) {
      await tx`
        insert into ingest_errors (cluster_id, origin, format, line_number, reason, raw)
        select ${clusterDbId}, ${input.origin}, ${input.format}, * from unnest(
          ${input.errors.map((error) => error.line)}::int[],
          ${input.errors.map((error) => error.reason)}::text[],
          ${input.errors.map((error) => boundRaw(error.raw))}::text[]
        )`;
    }

    return {
      duplicate: false,
      rowsWritten: prepared.rowCount,
      rollupRows: prepared.rollup1m.length + prepared.rollup1h.length,
      endpointsAdded: prepared.newEndpoints.length,
    };
  }

  private async ensurePartitions(days: readonly string[]): Promise<void> {
    for (const day of days) {
      if (this.ensuredDays.has(day)) continue;
      await this.sql`select flowlens_ensure_day_partitions(${day}::date)`;
      this.ensuredDays.add(day);
    }
  }
}

async function upsertRollup(tx: TransactionSql, table: 'edge_rollup_1m' | 'edge_rollup_1h', clusterDbId: number, rows: RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into ${tx(table)} as r (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
      flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
    select ${clusterDbId}, to_timestamp(u.bucket_ms / 1000.0), u.src_id, u.dst_id, u.dst_port, u.protocol, u.verdict, u.policy_key,
      u.pending_verdict, u.flows, u.connections, u.bytes_out, u.bytes_in, u.packets_out, u.packets_in, to_timestamp(u.last_seen_ms / 1000.0)
    from unnest(
      ${rows.map((row) => row.bucketMs)}::bigint[],
      ${rows.map((row) => row.sourceId)}::bigint[],
      ${rows.map((row) => row.destinationId)}::bigint[],
      ${rows.map((row) => row.destinationPort)}::int[],
      ${rows.map((row) => row.protocol)}::text[],
      ${rows.map((row) => row.verdict)}::text[],
      ${rows.map((row) => row.policyKey)}::text[],
      ${rows.map((row) => row.pendingVerdict)}::text[],
      ${rows.map((row) => row.flows)}::bigint[],
      ${rows.map((row) => row.connections)}::bigint[],
      ${rows.map((row) => row.bytesOut)}::bigint[],
      ${rows.map((row) => row.bytesIn)}::bigint[],
      ${rows.map((row) => row.packetsOut)}::bigint[],
      ${rows.map((row) => row.packetsIn)}::bigint[],
      ${rows.map((row) => row.lastSeenMs)}::bigint[]
    ) with ordinality as u(bucket_ms, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
      flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen_ms, ord)
    order by u.ord
    on conflict (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict) do update set
      flows = r.flows + excluded.flows,
      connections = r.connections + excluded.connections,
      bytes_out = r.bytes_out + excluded.bytes_out,
      bytes_in = r.bytes_in + excluded.bytes_in,
      packets_out = r.packets_out + excluded.packets_out,
      packets_in = r.packets_in + excluded.packets_in,
      last_seen = greatest(r.last_seen, excluded.last_seen)`;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/**
 * The batching writer. Batches that arrive while a transaction is running are committed together in
 * the next one (group commit): one transaction holds their idempotency records, raw-line blobs, the
 * COPY of their flows, their `rollup_pending_batches` rows, their ingest errors and (for tailed
 * files) the new offsets. Each batch is acknowledged only after that transaction commits, so an
 * acknowledged flow is never lost and a retried batch (same Idempotency-Key, or the same file
 * offset) is never stored twice. The edge_rollup_* views add the flows of pending batches to the
 * stored rollups, so rollups are current at commit; {@link RollupCompactor} folds pending batches
 * into the stores off the acknowledgement path.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants } from 'node:zlib';
import type { Sql, TransactionSql } from 'postgres';
import { boundRaw, EndpointIdCache, prepareBatch, type EndpointRow, type FlowToWrite } from './prepare-batch';
import { DatabaseUnavailableError, isDatabaseUnavailable, retryOnConflict } from './database-errors';

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
  /**
   * The batch's original text, kept compressed in `raw_batches` for the flow detail view: the body
   * bytes as received (preferred: no copy) or its lines.
   */
  raw?: { body: Buffer; lineCount: number } | { lines: readonly string[] };
}

export type WriteBatchResult =
  | { duplicate: false; rowsWritten: number; endpointsAdded: number }
  | { duplicate: true; storedResponse: unknown };

export interface FlowWriterOptions {
  /** Transactions in flight at once. */
  concurrency: number;
  /** A group stops growing at this many flows. */
  maxGroupFlows: number;
  /** Called after each commit with the UTC days (YYYY-MM-DD) its flows fall in. */
  onCommittedDays?: (days: ReadonlySet<string>) => void;
}

/** A batch without its flows and original text: what waits for the transaction. */
type SlimInput = Omit<WriteBatchInput, 'flows' | 'raw'>;

interface PreparedWrite {
  input: SlimInput;
  batchId: string | null;
  prepared: ReturnType<typeof prepareBatch>;
  rawBody: Promise<{ body: Buffer; lineCount: number }> | null;
}

interface PendingBatch {
  input: SlimInput;
  prepared: ReturnType<typeof prepareBatch>;
  /** The batch's id (flows.batch_id, rollup_pending_batches); null when it has no flows. */
  batchId: string | null;
  raw: { body: Buffer; lineCount: number } | null;
  resolve: (result: WriteBatchResult) => void;
  reject: (error: unknown) => void;
}

const brotliAsync = promisify(brotliCompress);
const COMPRESSED_CHUNK_BYTES = 1 << 20;

export const FLOW_COLUMNS = `cluster_id, start_time, end_time, src_id, dst_id, protocol, dst_port, src_port, verdict, counted,
  reporter, drop_reason, policy_key, policy_trace, pending_trace, pending_verdict, bytes_out, bytes_in,
  packets_out, packets_in, connections, l7, tcp_flags, format, batch_id, raw_line`;

export class FlowWriter {
  private readonly endpointCache = new EndpointIdCache();
  private readonly ensuredDays = new Set<string>();
  private readonly queue: PendingBatch[] = [];
  private running = 0;
  readonly stats = { rowsWritten: 0, batches: 0, transactions: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly options: FlowWriterOptions = { concurrency: 1, maxGroupFlows: 50_000 },
  ) {}

  /**
   * Writes a batch; resolves once its transaction commits. The flows are turned into COPY buffers as
   * soon as the batch has its id, and only those wait for the transaction (see {@link SlimInput}).
   */
  writeBatch(input: WriteBatchInput): Promise<WriteBatchResult> {
    if (input.flows.length > 0 && input.clusterDbId === null) return Promise.reject(new Error('writeBatch: flows need a cluster'));
    const hasFlows = input.flows.length > 0 && input.clusterDbId !== null;
    return (hasFlows ? this.nextBatchId() : Promise.resolve(null))
      .then((batchId) => this.enqueue(this.prepare(input, batchId)))
      .catch((error: unknown) => {
        throw toWriterError(error);
      });
  }

  private prepare(input: WriteBatchInput, batchId: string | null): PreparedWrite {
    const rawSource = batchId !== null ? input.raw : undefined;
    const rawLineCount = rawSource === undefined ? 0 : 'lines' in rawSource ? rawSource.lines.length : rawSource.lineCount;
    // Compression runs on libuv's thread pool while this thread prepares the COPY text. One output
    // chunk holds the whole result (~1/14 of the input): with the default 16 KiB chunks a 5 MB body
    // took ~300 hand-offs between the pool and this (busy) thread and waited ~250 ms for them.
    // Brotli at quality 1: ~25% less CPU than gzip level 1 on flow logs, and ~20% smaller.
    const rawText = rawSource ? ('lines' in rawSource ? rawSource.lines.join('\n') : rawSource.body) : null;
    const rawBody =
      rawText === null
        ? null
        : brotliAsync(rawText, {
            chunkSize: COMPRESSED_CHUNK_BYTES,
            params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: rawText.length },
          });
    const { flows: _flows, raw: _raw, ...slim } = input;
    return {
      input: slim,
      batchId,
      prepared: prepareBatch(input.clusterDbId ?? 0, input.flows, this.endpointCache, batchId ?? '0'),
      rawBody: rawBody?.then((body) => ({ body, lineCount: rawLineCount })) ?? null,
    };
  }

  private async enqueue({ input, batchId, prepared, rawBody }: PreparedWrite): Promise<WriteBatchResult> {
    const raw = rawBody ? await rawBody : null;
    await this.ensurePartitions(raw ? [...prepared.days, new Date().toISOString().slice(0, 10)] : prepared.days);
    if (input.clusterDbId !== null) await this.insertEndpoints(input.clusterDbId, prepared.newEndpoints);
    return await new Promise<WriteBatchResult>((resolve, reject) => {
      this.queue.push({ input, prepared, batchId, raw, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const group: PendingBatch[] = [];
      let flows = 0;
      while (this.queue.length > 0 && (group.length === 0 || flows + (this.queue[0]?.prepared.rowCount ?? 0) <= this.options.maxGroupFlows)) {
        const next = this.queue.shift() as PendingBatch;
        group.push(next);
        flows += next.prepared.rowCount;
      }
      this.running += 1;
      this.writeGroup(group)
        .then((results) => group.forEach((batch, index) => batch.resolve(results[index] as WriteBatchResult)))
        .catch((error: unknown) => group.forEach((batch) => batch.reject(toWriterError(error))))
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }

  private async writeGroup(group: PendingBatch[]): Promise<WriteBatchResult[]> {
    const results = await retryOnConflict(() => this.sql.begin((tx) => this.writeInTransaction(tx, group)));
    group.forEach((batch, index) => {
      const result = results[index];
      if (result && !result.duplicate && batch.input.clusterDbId !== null) {
        this.stats.rowsWritten += result.rowsWritten;
        this.stats.batches += 1;
      }
    });
    this.stats.transactions += 1;
    if (this.options.onCommittedDays) {
      const days = new Set<string>();
      for (const batch of group) for (const day of batch.prepared.days) days.add(day);
      if (days.size > 0) this.options.onCommittedDays(days);
    }
    return results;
  }

  private async writeInTransaction(tx: TransactionSql, group: PendingBatch[]): Promise<WriteBatchResult[]> {
    const results: Array<WriteBatchResult | null> = group.map(() => null);
    const live: PendingBatch[] = [];
    // Idempotency keys are taken in one global order (sorted), so two transactions can wait on each
    // other only in one direction (no deadlock), e.g. when a sender retries a batch whose first
    // attempt is still being written. (Endpoints are inserted before the transaction.)
    const order = [...group.entries()].sort(([, a], [, b]) => compareKeys(a.input, b.input));
    for (const [index, batch] of order) {
      const { input } = batch;
      if (input.idempotencyKey !== undefined && input.clusterDbId !== null) {
        // Blocks behind a concurrent transaction holding the same key; then conflicts and returns nothing.
        const inserted = await tx`
          insert into ingest_batches (cluster_id, idempotency_key, response)
          values (${input.clusterDbId}, ${input.idempotencyKey}, ${tx.json((input.response ?? {}) as never)})
          on conflict do nothing returning 1 as inserted`;
        if (inserted.length === 0) {
          const [stored] = await tx<{ response: unknown }[]>`
            select response from ingest_batches where cluster_id = ${input.clusterDbId} and idempotency_key = ${input.idempotencyKey}`;
          results[index] = { duplicate: true, storedResponse: stored?.response ?? null };
          continue;
        }
      }
      live.push(batch);
    }

    for (const { input } of live) {
      if (!input.offset) continue;
      await tx`
        insert into collector_offsets (source, cluster_id, file_id, head_hash, offset_bytes, updated_at)
        values (${input.offset.source}, ${input.clusterDbId}, ${input.offset.fileId}, ${input.offset.headHash}, ${input.offset.offsetBytes}, now())
        on conflict (source) do update set cluster_id = excluded.cluster_id, file_id = excluded.file_id,
          head_hash = excluded.head_hash, offset_bytes = excluded.offset_bytes, updated_at = now()`;
    }

    // NOTE: postgres.js cannot serialise an array of Buffers as bytea[]; a statement per blob is fine
    // (a group holds a handful of batches).
    for (const { input, batchId, raw } of live) {
      if (!raw || batchId === null || input.clusterDbId === null) continue;
      await tx`
        insert into raw_batches (cluster_id, id, origin, format, line_count, codec, body)
        values (${input.clusterDbId}, ${batchId}, ${input.origin}, ${input.format}, ${raw.lineCount}, 'br', ${raw.body})`;
    }

    // The rollup views count these batches' flows from the moment this transaction commits. Written before
    // the COPY so the transaction has its xid before it takes any flow id: the live flow tail relies on
    // every writer of flows doing so (lib/server/flows/stream-live-flows.ts).
    const pending = live.filter((batch) => batch.batchId !== null && batch.prepared.rowCount > 0);
    if (pending.length > 0) {
      await tx`
        insert into rollup_pending_batches (batch_id, cluster_id, first_start, last_start)
        select * from unnest(
          ${pending.map((batch) => batch.batchId as string)}::int8[],
          ${pending.map((batch) => batch.input.clusterDbId as number)}::int[],
          ${pending.map((batch) => new Date(batch.prepared.firstStartMs).toISOString())}::timestamptz[],
          ${pending.map((batch) => new Date(batch.prepared.lastStartMs).toISOString())}::timestamptz[]
        )`;
    }

    const rowCount = live.reduce((sum, batch) => sum + batch.prepared.rowCount, 0);
    if (rowCount > 0) {
      const chunks = live.flatMap((batch) => batch.prepared.copyChunks);
      const stream = await tx.unsafe(`copy flows (${FLOW_COLUMNS}) from stdin`).writable();
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        let index = 0;
        const writeMore = (): void => {
          while (index < chunks.length) {
            const chunk = chunks[index] ?? '';
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
    }
    const errors = live.flatMap(({ input }) => input.errors.map((error) => ({ input, error })));
    if (errors.length > 0) {
      await tx`
        insert into ingest_errors (cluster_id, origin, format, line_number, reason, raw)
        select * from unnest(
          ${errors.map(({ input }) => input.clusterDbId)}::int[],
          ${errors.map(({ input }) => input.origin)}::text[],
          ${errors.map(({ input }) => input.format)}::text[],
          ${errors.map(({ error }) => error.line)}::int[],
          ${errors.map(({ error }) => error.reason)}::text[],
          ${errors.map(({ error }) => boundRaw(error.raw))}::text[]
        )`;
    }

    return group.map((batch, index) =>
      results[index] ?? {
        duplicate: false,
        rowsWritten: batch.prepared.rowCount,
        endpointsAdded: batch.prepared.newEndpoints.length,
      },
    );
  }

  /**
   * Adds new endpoints to the dictionary in their own short statement, before the batch transaction:
   * a dictionary row without flows is harmless, and keeping these inserts out of the long transaction
   * stops concurrent writers that meet the same new endpoint from waiting on each other's commit.
   * `rows` come sorted by id from prepareBatch, so every writer inserts in one order (no deadlock).
   */
  private async insertEndpoints(clusterDbId: number, rows: readonly EndpointRow[]): Promise<void> {
    if (rows.length === 0) return;
    await retryOnConflict(
      () => this.sql`
          insert into endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, domain, service_name, labels)
          -- NOTE: labels travel as text[] and are cast per row; a jsonb[] parameter would be JSON-encoded twice.
          select ${clusterDbId}, u.id, u.kind, u.namespace, u.name, u.workload_kind, u.pod, u.ip, u.domain, u.service_name, u.labels::jsonb
          from unnest(
            ${rows.map((row) => row.id)}::bigint[],
            ${rows.map((row) => row.endpoint.kind)}::text[],
            ${rows.map((row) => row.endpoint.namespace ?? null)}::text[],
            ${rows.map((row) => row.endpoint.name)}::text[],
            ${rows.map((row) => row.endpoint.workloadKind ?? null)}::text[],
            ${rows.map((row) => row.endpoint.pod ?? null)}::text[],
            ${rows.map((row) => row.endpoint.ip ?? null)}::text[],
            ${rows.map((row) => row.endpoint.domain ?? null)}::text[],
            ${rows.map((row) => row.endpoint.serviceName ?? null)}::text[],
            ${rows.map((row) => JSON.stringify(row.endpoint.labels ?? {}))}::text[]
          ) as u(id, kind, namespace, name, workload_kind, pod, ip, domain, service_name, labels)
          on conflict do nothing`,
    );
    this.endpointCache.markStored(clusterDbId, rows.map((row) => row.id));
  }

  /**
   * One id per batch, taken when the batch is prepared: ids then grow with time across every
   * collector, so rows join the flows.batch_id index at its right edge (a block of ids per collector
   * would interleave).
   */
  private async nextBatchId(): Promise<string> {
    const [row] = await this.sql<{ id: string }[]>`select nextval('ingest_batches_id_seq')::text as id`;
    return (row as { id: string }).id;
  }

  private async ensurePartitions(days: readonly string[]): Promise<void> {
    for (const day of days) {
      if (this.ensuredDays.has(day)) continue;
      // Creating partitions locks their parents; a deadlock with a concurrent reader is retried.
      await retryOnConflict(() => this.sql`select flowlens_ensure_day_partitions(${day}::date)`);
      this.ensuredDays.add(day);
    }
  }
}

function compareKeys(a: SlimInput, b: SlimInput): number {
  const left = `${a.clusterDbId ?? -1}\u0000${a.idempotencyKey ?? ''}`;
  const right = `${b.clusterDbId ?? -1}\u0000${b.idempotencyKey ?? ''}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

function toWriterError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  if (isDatabaseUnavailable(error)) {
    const message = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
    return new DatabaseUnavailableError(`database unavailable: ${message}`, { cause: error });
  }
  return error;
}

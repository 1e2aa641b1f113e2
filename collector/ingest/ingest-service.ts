/**
 * The ingest pipeline shared by every input (HTTP, tailed files, stdin): parse (core/flow) → enrich
 * (inventory resolver) → validate → batch write (one transaction). Bad lines are counted, kept in
 * ingest_errors and reported; good lines of the same batch still land.
 */
import { HubblePolicyMemory, parseFlowBatch, type EndpointResolver } from '../../core/flow';
import type { FlowFormat } from '../../core/flow/types';
import type { CollectorMetrics } from '../metrics';
import type { FileOffsetUpdate, FlowWriter, WriteBatchResult } from '../writer/flow-writer';
import type { FlowToWrite } from '../writer/prepare-batch';
import { neutraliseNul } from './neutralise-nul';

export interface IngestRequest {
  clusterDbId: number;
  clusterName: string;
  /** Whole body; split into lines here. */
  text: string;
  /** The same body as bytes when the caller has them (HTTP): stored compressed without another copy. */
  rawBody?: Buffer;
  format?: FlowFormat;
  vpcFields?: string[];
  origin: string;
  idempotencyKey?: string;
  offset?: FileOffsetUpdate;
  /** Added to reported line numbers (tailed files report lines relative to the batch start otherwise). */
  lineOffset?: number;
}

export interface IngestLineError {
  line: number;
  reason: string;
}

export interface IngestResult {
  format: FlowFormat | null;
  accepted: number;
  rejected: number;
  skipped: number;
  errors: IngestLineError[];
  duplicate: boolean;
}

export class UnknownFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownFormatError';
  }
}

export class QueueFullError extends Error {
  constructor() {
    super('the collector queue is full; retry later');
    this.name = 'QueueFullError';
  }
}

export interface IngestServiceOptions {
  writer: FlowWriter;
  metrics: CollectorMetrics;
  resolverFor: (clusterDbId: number) => EndpointResolver | undefined;
  keepRaw: boolean;
  hubbleWindowMs: number;
  maxConcurrentWrites: number;
  maxQueuedBatches: number;
  /** Flows older than this (relative to now) are refused: they would fall outside retention. */
  maxFlowAgeMs: number;
  nowMs: () => number;
}

/** Reported errors are capped per response; every bad line is still stored in ingest_errors. */
const MAX_REPORTED_ERRORS = 1000;
const FUTURE_SKEW_MS = 24 * 3_600_000;

export class IngestService {
  /** Batches admitted (being parsed, waiting for the writer, or being written): bounds memory. */
  private admitted = 0;

  /** Hubble policy decisions carried across this collector's batches (long-lived connections). */
  private readonly hubblePolicyMemory = new HubblePolicyMemory();

  constructor(private readonly options: IngestServiceOptions) {}

  get queueDepth(): number {
    return this.admitted;
  }

  get queueFull(): boolean {
    return this.admitted >= this.options.maxConcurrentWrites + this.options.maxQueuedBatches;
  }

  /**
   * Stores every non-empty line of a request as an ingest error with one reason (input whose format
   * cannot be determined, from a source that cannot be told so, such as a tailed file).
   */
  async rejectAll(request: IngestRequest, reason: string): Promise<IngestResult> {
    const lines = splitLines(neutraliseNul(request.text));
    const lineOffset = request.lineOffset ?? 0;
    const errors = lines
      .map((raw, index) => ({ line: index + 1 + lineOffset, reason, raw }))
      .filter((error) => error.raw.trim() !== '');
    if (this.queueFull) throw new QueueFullError();
    this.admitted += 1;
    try {
      await this.options.writer.writeBatch({
        clusterDbId: request.clusterDbId,
        origin: request.origin,
        format: request.format ?? null,
        flows: [],
        errors,
        ...(request.offset ? { offset: request.offset } : {}),
      });
    } finally {
      this.admitted -= 1;
    }
    this.options.metrics.linesRejected.inc({ format: request.format ?? 'unknown', cluster: request.clusterName }, errors.length);
    return {
      format: null,
      accepted: 0,
      rejected: errors.length,
      skipped: 0,
      errors: errors.slice(0, MAX_REPORTED_ERRORS).map(({ line }) => ({ line, reason })),
      duplicate: false,
    };
  }

  async ingest(request: IngestRequest): Promise<IngestResult> {
    if (this.queueFull) throw new QueueFullError();
    this.admitted += 1;
    this.options.metrics.queueDepth.set(this.admitted);
    try {
      return await this.parseAndWrite(request);
    } finally {
      this.admitted -= 1;
      this.options.metrics.queueDepth.set(this.admitted);
    }
  }

  private async parseAndWrite(request: IngestRequest): Promise<IngestResult> {
    const startedMs = performance.now();
    // Parsing happens in a synchronous step whose locals (lines, parsed flows) die when it returns:
    // only the writer's compact COPY buffers wait for the transaction, not thousands of flow objects
    // that every garbage collection would otherwise copy again.
    const { result, written: pending } = this.parseAndStartWrite(request);
    const written = await pending;
    return this.finish(request, result, written, startedMs);
  }

  private parseAndStartWrite(request: IngestRequest): { result: IngestResult; written: Promise<WriteBatchResult> } {
    const lines = splitLines(neutraliseNul(request.text));
    const parsed = parseFlowBatch(lines, {
      clusterId: request.clusterName,
      ...(request.format ? { format: request.format } : {}),
      ...(request.vpcFields ? { vpcFields: request.vpcFields } : {}),
      hubbleWindowMs: this.options.hubbleWindowMs,
      hubblePolicyMemory: this.hubblePolicyMemory,
      resolver: this.options.resolverFor(request.clusterDbId),
      // Records with no time of their own (VPC custom formats without start/end) happened about now.
      defaultTimeMs: this.options.nowMs(),
    });
    if (parsed.format === null && parsed.flows.length === 0 && lines.some((line) => line.trim() !== '')) {
      const detail = parsed.errors[0]?.message ?? 'no known flow format matches the input';
      throw new UnknownFormatError(
        request.format ? `could not read the input as ${request.format}: ${detail}` : `unknown flow format: ${detail}`,
      );
    }

    const lineOffset = request.lineOffset ?? 0;
    const errors: Array<{ line: number; reason: string; raw: string }> = parsed.errors.map((error) => ({
      line: error.line + lineOffset,
      reason: error.message,
      raw: lines[error.line - 1] ?? '',
    }));
    const flows: FlowToWrite[] = [];
    const nowMs = this.options.nowMs();
    const oldestMs = nowMs - this.options.maxFlowAgeMs;
    for (const { flow, line } of parsed.flows) {
      const raw = lines[line - 1] ?? '';
      if (flow.clusterId !== request.clusterName) {
        errors.push({
          line: line + lineOffset,
          reason: `record is for cluster "${flow.clusterId}" but this input writes to cluster "${request.clusterName}"`,
          raw,
        });
        continue;
      }
      if (flow.startMs < oldestMs || flow.startMs > nowMs + FUTURE_SKEW_MS) {
        errors.push({
          line: line + lineOffset,
          reason: `start time ${new Date(flow.startMs).toISOString()} is outside the accepted range (${new Date(oldestMs).toISOString()} to 24 h from now; see FLOWLENS_MAX_FLOW_AGE_DAYS)`,
          raw,
        });
        continue;
      }
      flows.push({ flow, line });
    }
    errors.sort((a, b) => a.line - b.line);

    const format = parsed.format;
    const result: IngestResult = {
      format,
      accepted: flows.length,
      rejected: errors.length,
      skipped: parsed.skipped.length,
      errors: errors.slice(0, MAX_REPORTED_ERRORS).map(({ line, reason }) => ({ line, reason })),
      duplicate: false,
    };

    // The writer groups batches that wait for it into one transaction; admission above bounds memory.
    const written = this.options.writer.writeBatch({
      clusterDbId: request.clusterDbId,
      origin: request.origin,
      format,
      flows,
      errors,
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey, response: result } : {}),
      ...(request.offset ? { offset: request.offset } : {}),
      ...(this.options.keepRaw ? { raw: request.rawBody ? { body: request.rawBody, lineCount: lines.length } : { lines } } : {}),
    });
    return { result, written };
  }

  private finish(request: IngestRequest, result: IngestResult, written: WriteBatchResult, startedMs: number): IngestResult {
    const metrics = this.options.metrics;
    metrics.databaseUp.set(1);
    if (written.duplicate) {
      return { ...(written.storedResponse as IngestResult), duplicate: true };
    }
    const labels = { format: result.format ?? 'unknown', cluster: request.clusterName };
    metrics.flowsAccepted.inc(labels, result.accepted);
    if (result.rejected > 0) metrics.linesRejected.inc(labels, result.rejected);
    if (result.skipped > 0) metrics.linesSkipped.inc(labels, result.skipped);
    metrics.rowsWritten.inc({ table: 'flows' }, written.rowsWritten);
    if (result.rejected > 0) metrics.rowsWritten.inc({ table: 'ingest_errors' }, result.rejected);
    metrics.batchSeconds.observe((performance.now() - startedMs) / 1000);
    return result;
  }
}

/** Splits a body into lines; a trailing newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (line.endsWith('\r')) lines[index] = line.slice(0, -1);
  }
  return lines;
}

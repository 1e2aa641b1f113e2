/**
 * `npm run collector -- --stdin --format hubble --cluster NAME`: reads lines from standard input in
 * batches (by size or after a short pause) and stores them; retries while the database is down.
 */
import type { Readable } from 'node:stream';
import type { FlowFormat } from '../../core/flow/types';
import { isDatabaseUnavailable } from '../writer/database-errors';
import { QueueFullError, UnknownFormatError, type IngestService, type IngestResult } from '../ingest/ingest-service';

export interface StdinSourceOptions {
  input: Readable;
  clusterDbId: number;
  clusterName: string;
  format?: FlowFormat;
  vpcFields?: string[];
  ingest: IngestService;
  maxBatchLines: number;
  flushMs: number;
  log: (message: string) => void;
}

export interface StdinSummary {
  accepted: number;
  rejected: number;
  skipped: number;
}

export async function runStdinSource(options: StdinSourceOptions): Promise<StdinSummary> {
  const summary: StdinSummary = { accepted: 0, rejected: 0, skipped: 0 };
  let pending: string[] = [];
  let partial = '';
  let linesSent = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const flush = (): void => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return;
    const lines = pending;
    const lineOffset = linesSent;
    pending = [];
    linesSent += lines.length;
    chain = chain.then(async () => {
      const result = await storeWithRetry(options, lines.join('\n') + '\n', lineOffset);
      summary.accepted += result.accepted;
      summary.rejected += result.rejected;
      summary.skipped += result.skipped;
      for (const error of result.errors) options.log(`line ${error.line}: ${error.reason}`);
    });
  };

  options.input.setEncoding('utf8');
  for await (const chunk of options.input as AsyncIterable<string>) {
    const text = partial + chunk;
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) pending.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (pending.length >= options.maxBatchLines) flush();
    else if (!timer && pending.length > 0) timer = setTimeout(flush, options.flushMs);
    await chain;
  }
  if (partial !== '') pending.push(partial);
  flush();
  await chain;
  return summary;
}

async function storeWithRetry(options: StdinSourceOptions, text: string, lineOffset: number): Promise<IngestResult> {
  const request = {
    clusterDbId: options.clusterDbId,
    clusterName: options.clusterName,
    text,
    ...(options.format ? { format: options.format } : {}),
    ...(options.vpcFields ? { vpcFields: options.vpcFields } : {}),
    origin: 'stdin',
    lineOffset,
  };
  for (;;) {
    try {
      return await options.ingest.ingest(request);
    } catch (error) {
      if (error instanceof UnknownFormatError) return await options.ingest.rejectAll(request, error.message);
      if (error instanceof QueueFullError || isDatabaseUnavailable(error)) {
        options.log('collector: database unavailable or queue full; retrying in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      throw error;
    }
  }
}

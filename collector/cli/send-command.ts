/**
 * `flowlens send FILE --url URL --token TOKEN [--format F] [--batch-lines N] [--max-wait-sec S]`
 *
 * Sends a flow log to a collector in batches of 5,000 lines, gzip-compressed, each under an
 * Idempotency-Key derived from the file's content and the batch's position — so a retry (or a rerun
 * of the same file) never stores a batch twice. 429 and 503 are retried after the collector's
 * Retry-After; network errors (collector restarting) are retried with backoff. Prints accepted /
 * rejected / skipped counts and, per rejected line, its line number in FILE and the reason.
 * Exit 0 when every batch was acknowledged with no rejected line, 1 otherwise, 2 on bad usage.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { FLOW_FORMATS, type FlowFormat } from '../../core/flow/types';

const USAGE = 'usage: flowlens send FILE --url http://collector:4800/v1/flows --token flk_… [--format F] [--batch-lines 5000] [--max-wait-sec 600]';
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export interface SendOptions {
  url: string;
  token: string;
  format?: FlowFormat;
  batchLines?: number;
  /** Give up on a batch after this long without an acknowledgement. */
  maxWaitMs?: number;
  log?: (message: string) => void;
  /** Seeds the idempotency keys; default: SHA-256 of the content. */
  keyPrefix?: string;
  sleep?: (ms: number) => Promise<void>;
}

export interface SendResult {
  batches: number;
  acknowledgedBatches: number;
  accepted: number;
  rejected: number;
  skipped: number;
  /** Rejected lines, numbered from 1 in the whole input. */
  rejectedLines: Array<{ line: number; reason: string }>;
  /** Batches given up on (never acknowledged), with their first and last line. */
  failedBatches: Array<{ firstLine: number; lastLine: number; reason: string }>;
  retries: number;
}

interface BatchAnswer {
  accepted?: number;
  rejected?: number;
  skipped?: number;
  errors?: Array<{ line: number; reason: string }>;
}

/** Sends `text` (lines) to the collector; resolves when every batch is acknowledged or given up on. */
export async function sendFlowLines(text: string, options: SendOptions): Promise<SendResult> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const batchLines = options.batchLines ?? 5000;
  const keyPrefix = options.keyPrefix ?? createHash('sha256').update(text).digest('hex').slice(0, 24);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log ?? (() => {});
  const url = new URL(options.url);
  if (options.format) url.searchParams.set('format', options.format);
  const result: SendResult = { batches: 0, acknowledgedBatches: 0, accepted: 0, rejected: 0, skipped: 0, rejectedLines: [], failedBatches: [], retries: 0 };

  let start = 0;
  while (start < lines.length) {
    let end = start;
    let bytes = 0;
    while (end < lines.length && end - start < batchLines) {
      const size = Buffer.byteLength(lines[end] as string) + 1;
      if (end > start && bytes + size > MAX_BATCH_BYTES) break;
      bytes += size;
      end += 1;
    }
    const batch = lines.slice(start, end);
    const key = `${keyPrefix}-${start + 1}-${end}`;
    const body = gzipSync(Buffer.from(batch.join('\n') + '\n'));
    result.batches += 1;
    const deadline = Date.now() + (options.maxWaitMs ?? 600_000);
    let attempt = 0;
    for (;;) {
      attempt += 1;
      let waitMs: number;
      let reason: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/x-ndjson',
            'content-encoding': 'gzip',
            'idempotency-key': key,
          },
          body: new Uint8Array(body),
        });
        const answerText = await response.text();
        if (response.ok) {
          const answer = JSON.parse(answerText) as BatchAnswer;
          result.acknowledgedBatches += 1;
          result.accepted += answer.accepted ?? 0;
          result.rejected += answer.rejected ?? 0;
          result.skipped += answer.skipped ?? 0;
          for (const error of answer.errors ?? []) result.rejectedLines.push({ line: start + error.line, reason: error.reason });
          log(`lines ${start + 1}-${end}: accepted ${answer.accepted ?? 0}, rejected ${answer.rejected ?? 0}, skipped ${answer.skipped ?? 0}`);
          break;
        }
        if (response.status !== 429 && response.status !== 503) {
          // A 4xx other than 429 will not change on retry (bad token, unknown format, too large).
          const message = safeMessage(answerText) ?? `HTTP ${response.status}`;
          result.failedBatches.push({ firstLine: start + 1, lastLine: end, reason: `HTTP ${response.status}: ${message}` });
          log(`lines ${start + 1}-${end}: refused, HTTP ${response.status}: ${message}`);
          break;
        }
        const retryAfterSec = Number(response.headers.get('retry-after'));
        waitMs = Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? Math.min(retryAfterSec, 60) * 1000 : backoffMs(attempt);
        reason = `HTTP ${response.status}`;
      } catch (error) {
        waitMs = backoffMs(attempt);
        reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      }
      if (Date.now() + waitMs > deadline) {
        result.failedBatches.push({ firstLine: start + 1, lastLine: end, reason: `gave up after ${attempt} attempts: ${reason}` });
        log(`lines ${start + 1}-${end}: gave up (${reason})`);
        break;
      }
      result.retries += 1;
      log(`lines ${start + 1}-${end}: ${reason}; retrying in ${Math.round(waitMs / 100) / 10} s`);
      await sleep(waitMs);
    }
    start = end;
  }
  return result;
}

function backoffMs(attempt: number): number {
  return Math.min(10_000, 200 * 2 ** Math.min(attempt - 1, 6));
}

function safeMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    return body.error?.message;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}

export async function sendCommand(args: string[]): Promise<number> {
  let file: string | undefined;
  const options: Partial<SendOptions> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--url') options.url = value();
    else if (flag === '--token') options.token = value();
    else if (flag === '--format') {
      const format = value();
      if (!FLOW_FORMATS.includes(format as FlowFormat)) return usage(`--format must be one of ${FLOW_FORMATS.join('|')}`);
      options.format = format as FlowFormat;
    } else if (flag === '--batch-lines') options.batchLines = Number(value());
    else if (flag === '--max-wait-sec') options.maxWaitMs = Number(value()) * 1000;
    else if (flag.startsWith('--')) return usage(`unknown option ${flag}`);
    else if (file === undefined) file = arg;
    else return usage(`unexpected argument ${arg}`);
  }
  options.token ??= process.env.FLOWLENS_TOKEN;
  if (!file || !options.url || !options.token) return usage('FILE, --url and --token (or FLOWLENS_TOKEN) are required');
  if (options.batchLines !== undefined && !(Number.isInteger(options.batchLines) && options.batchLines > 0 && options.batchLines <= 5000)) {
    return usage('--batch-lines must be 1-5000');
  }
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`flowlens send: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const result = await sendFlowLines(text, { ...(options as SendOptions), log: (message) => process.stderr.write(`${message}\n`) });
  for (const rejected of result.rejectedLines) process.stdout.write(`line ${rejected.line}: ${rejected.reason}\n`);
  for (const failed of result.failedBatches) process.stdout.write(`lines ${failed.firstLine}-${failed.lastLine} not stored: ${failed.reason}\n`);
  process.stdout.write(`accepted ${result.accepted}, rejected ${result.rejected}, skipped ${result.skipped} (${result.acknowledgedBatches}/${result.batches} batches acknowledged, ${result.retries} retries)\n`);
  return result.failedBatches.length === 0 && result.rejected === 0 ? 0 : 1;
}

function usage(message: string): number {
  process.stderr.write(`flowlens send: ${message}\n${USAGE}\n`);
  return 2;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

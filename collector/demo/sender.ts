/**
 * HTTP client for the collector's ingest API (POST /v1/inventory, POST /v1/flows). Retries what the
 * contract says to retry (429/503 with Retry-After, network errors while the collector starts or
 * restarts) with the same Idempotency-Key, so a retried batch is never stored twice; logs and skips
 * other 4xx answers, which mean a bug in the demo or the collector.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { DemoClusterName, DemoFlowFormat } from './topology';

const gzipAsync = promisify(gzip);

export interface ClusterTarget {
  cluster: DemoClusterName;
  format: DemoFlowFormat;
  token: string;
}

export interface IngestAnswer {
  accepted: number;
  rejected: number;
  skipped: number;
  errors: { line: number; reason: string }[];
}

export interface SenderOptions {
  collectorUrl: string;
  log: (message: string) => void;
  signal: AbortSignal;
  /** Generate and count, but send nothing (no collector needed). */
  dryRun?: boolean;
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as seconds or an HTTP date; falls back when absent or unreadable. */
function retryAfterMs(header: string | null, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(60_000, seconds * 1000);
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? fallbackMs : Math.min(60_000, Math.max(0, dateMs - Date.now()));
}

const MAX_SERVER_ERROR_RETRIES = 5;
const MAX_BACKOFF_MS = 15_000;

/** Warnings repeat at most this often per kind, so a down collector does not flood the terminal. */
const WARN_EVERY_MS = 10_000;

export class CollectorClient {
  private readonly lastWarnMs = new Map<string, number>();
  private reportedErrorLines = 0;

  constructor(private readonly options: SenderOptions) {}

  private warn(kind: string, message: string): void {
    const now = Date.now();
    if (now - (this.lastWarnMs.get(kind) ?? 0) < WARN_EVERY_MS) return;
    this.lastWarnMs.set(kind, now);
    this.options.log(message);
  }

  /**
   * POSTs with the contract's retry rules. Returns the parsed 200 body, or null when the request was
   * refused for good (logged). Throws AbortedError when the run is stopping.
   */
  private async post(path: string, headers: Record<string, string>, payload: Buffer | string, what: string): Promise<unknown> {
    const url = new URL(path, this.options.collectorUrl).toString();
    // fetch's BodyInit wants an ArrayBuffer-backed view; a pooled Buffer may not be one.
    const body = typeof payload === 'string' ? payload : new Uint8Array(payload);
    let backoffMs = 500;
    let serverErrors = 0;
    for (;;) {
      if (this.options.signal.aborted) throw new AbortedError();
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body, signal: this.options.signal });
      } catch (error) {
        if (this.options.signal.aborted) throw new AbortedError();
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        this.warn('network', `collector unreachable at ${this.options.collectorUrl} (${cause}); retrying ${what}`);
        await sleep(backoffMs, this.options.signal);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        continue;
      }
      if (response.ok) {
        try {
          return await response.json();
        } catch {
          this.warn('bad-json', `collector answered ${what} with a body that is not JSON`);
          return {};
        }
      }
      const text = await response.text().catch(() => '');
      if (response.status === 429 || response.status === 503) {
        const waitMs = retryAfterMs(response.headers.get('retry-after'), backoffMs);
        this.warn('throttled', `collector busy (${response.status}); retrying ${what} in ${Math.round(waitMs / 100) / 10}s`);
        await sleep(waitMs, this.options.signal);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        continue;
      }
      if (response.status >= 500 && serverErrors < MAX_SERVER_ERROR_RETRIES) {
        serverErrors++;
        this.warn('server-error', `collector error ${response.status} on ${what}: ${text.slice(0, 300)}; retrying`);
        await sleep(backoffMs, this.options.signal);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        continue;
      }
      // Any other refusal is a bug on one side of the contract: say so loudly, then go on.
      this.options.log(`BUG: collector refused ${what} with ${response.status}: ${text.slice(0, 500)}`);
      return null;
    }
  }

  async postInventory(target: ClusterTarget, list: unknown, takenAtMs: number): Promise<unknown> {
    if (this.options.dryRun) return { snapshotId: 'dry-run' };
    const query = new URLSearchParams({ takenAt: new Date(takenAtMs).toISOString() });
    return this.post(
      `/v1/inventory?${query.toString()}`,
      { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      JSON.stringify(list),
      `${target.cluster} inventory`,
    );
  }

  /** Sends one NDJSON batch (gzip) under an idempotency key; returns the collector's counts or null. */
  async postFlowBatch(target: ClusterTarget, lines: readonly string[], idempotencyKey: string): Promise<IngestAnswer | null> {
    if (lines.length === 0) return { accepted: 0, rejected: 0, skipped: 0, errors: [] };
    if (this.options.dryRun) return { accepted: lines.length, rejected: 0, skipped: 0, errors: [] };
    const body = await gzipAsync(Buffer.from(`${lines.join('\n')}\n`), { level: 4 });
    const answer = await this.post(
      `/v1/flows?format=${target.format}`,
      {
        authorization: `Bearer ${target.token}`,
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
        'idempotency-key': idempotencyKey,
      },
      body,
      `${target.cluster} batch ${idempotencyKey} (${lines.length} lines)`,
    );
    if (answer === null) return null;
    const parsed = readAnswer(answer, lines.length);
    if (parsed.rejected > 0 && this.reportedErrorLines < 20) {
      // Every generated line should parse: a rejection is a bug in the generator or the parser.
      for (const error of parsed.errors.slice(0, 3)) {
        this.reportedErrorLines++;
        this.options.log(`BUG: ${target.cluster} line ${error.line} rejected: ${error.reason}`);
      }
    }
    return parsed;
  }
}

function readAnswer(answer: unknown, lineCount: number): IngestAnswer {
  const record = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  const count = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  const errors = Array.isArray(record.errors)
    ? record.errors.map((entry: unknown) => {
        const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
        return { line: count(e.line, -1), reason: typeof e.reason === 'string' ? e.reason : JSON.stringify(entry) };
      })
    : [];
  return { accepted: count(record.accepted, lineCount), rejected: count(record.rejected, 0), skipped: count(record.skipped, 0), errors };
}

/** Splits lines into batches under both a line and a byte limit (the collector takes ≤ 5,000 lines / 8 MiB). */
export function chunkLines(lines: readonly string[], maxLines: number, maxBytes: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (current.length > 0 && (current.length >= maxLines || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Runs at most `limit` tasks at once; `run` waits for a free slot, `drain` for all. A task's failure
 * goes to `onError` (tasks are fire-and-forget batches; one failing must not stop the others).
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  constructor(
    private readonly limit: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    const promise: Promise<void> = task()
      .catch((error: unknown) => this.onError(error))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

export { sleep };

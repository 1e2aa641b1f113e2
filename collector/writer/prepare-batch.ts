/**
 * Turns canonical flows into what the writer sends: COPY text for `flows` and endpoint dictionary rows.
 * (Edge rollups are aggregated by Postgres from the flow rows; see the rollups_from_flows migration.)
 * Pure apart from the endpoint-id cache it is given.
 */
import { countsTowardTotals } from '../../core/flow';
import { decidingPolicy, pendingVerdict, policyHitKey } from '../../core/flow/deciding-policy';
import { endpointIdFromKey, endpointKey } from '../../core/flow/endpoint-key';
import type { Endpoint, Flow, PolicyHit } from '../../core/flow/types';
import { copyNumber, copyText } from './copy-text';

export const MAX_RAW_BYTES = 8 * 1024;

export interface FlowToWrite {
  flow: Flow;
  /** 1-based line of the batch the flow came from (its original text is kept in `raw_batches`). */
  line?: number;
}

export interface EndpointRow {
  id: string;
  endpoint: Endpoint;
}

export interface PreparedBatch {
  /**
   * COPY text in chunks of rows, already encoded: a chunk built by concatenation is a tree of thousands
   * of small string objects until it is flattened, and the batch may wait for the writer through several
   * garbage collections; as a Buffer it is one object outside the heap.
   */
  copyChunks: Buffer[];
  rowCount: number;
  newEndpoints: EndpointRow[];
  /** Earliest and latest flow start (epoch ms); 0 when the batch has no flows. */
  firstStartMs: number;
  lastStartMs: number;
  /** UTC days (YYYY-MM-DD) the rows fall in, for partition creation. */
  days: string[];
}

/** Bounded map of endpoint key → id; also remembers which ids are known to exist in the database. */
export class EndpointIdCache {
  private readonly ids = new Map<string, string>();
  /** Per cluster: ids known to be in the dictionary. */
  private readonly stored = new Map<number, Set<string>>();
  constructor(private readonly maxEntries = 200_000) {}

  idFor(endpoint: Endpoint): string {
    const key = endpointKey(endpoint);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = endpointIdFromKey(key);
      if (this.ids.size >= this.maxEntries) {
        this.ids.clear();
        this.stored.clear();
      }
      this.ids.set(key, id);
    }
    return id;
  }

  storedSet(clusterDbId: number): Set<string> {
    let set = this.stored.get(clusterDbId);
    if (!set) {
      set = new Set();
      this.stored.set(clusterDbId, set);
    }
    return set;
  }

  isStored(clusterDbId: number, id: string): boolean {
    return this.stored.get(clusterDbId)?.has(id) ?? false;
  }

  markStored(clusterDbId: number, ids: Iterable<string>): void {
    const set = this.storedSet(clusterDbId);
    for (const id of ids) set.add(id);
  }
}

const COPY_CHUNK_ROWS = 1000;
const DAY_MS = 86_400_000;
const NO_PENDING = { verdict: '\\N', json: '\\N' };

/**
 * @param batchId the ingest batch's id: the rollups aggregate a batch's flows by it (see
 * `rollup_pending_batches`), and it names the `raw_batches` row holding its original lines, when kept.
 */
export function prepareBatch(
  clusterDbId: number,
  flows: readonly FlowToWrite[],
  cache: EndpointIdCache,
  batchId: string,
): PreparedBatch {
  const copyChunks: Buffer[] = [];
  let chunk = '';
  let chunkRows = 0;
  const newEndpoints = new Map<string, EndpointRow>();
  let firstStartMs = Number.POSITIVE_INFINITY;
  let lastStartMs = Number.NEGATIVE_INFINITY;
  const days = new Set<string>();
  let lastDay = Number.NaN;
  const clusterText = String(clusterDbId);

  const stored = cache.storedSet(clusterDbId);
  // Parsers share trace arrays and Endpoint objects between the flows of a batch: describe each
  // distinct trace, and derive each endpoint's id, once.
  const describeTrace = memoByIdentity((trace: readonly PolicyHit[]) => ({
    keyText: copyText(policyHitKey(decidingPolicy(trace))),
    json: trace.length > 0 ? copyText(JSON.stringify(trace)) : '\\N',
  }));
  const describePending = memoByIdentity((trace: readonly PolicyHit[]) => ({
    verdict: pendingVerdict(trace) ?? '\\N',
    json: copyText(JSON.stringify(trace)),
  }));
  const idOf = memoByIdentity((endpoint: Endpoint) => cache.idFor(endpoint));
  const startIsoOf = isoFormatter();
  const endIsoOf = isoFormatter();
  for (const { flow, line } of flows) {
    const sourceId = idOf(flow.source);
    const destinationId = idOf(flow.destination);
    if (!stored.has(sourceId)) newEndpoints.set(sourceId, { id: sourceId, endpoint: flow.source });
    if (!stored.has(destinationId)) newEndpoints.set(destinationId, { id: destinationId, endpoint: flow.destination });
    const trace = describeTrace(flow.policyTrace);
    const pending = flow.pendingTrace && flow.pendingTrace.length > 0 ? describePending(flow.pendingTrace) : NO_PENDING;
    const startIso = startIsoOf(flow.startMs);
    const day = Math.floor(flow.startMs / DAY_MS);
    if (day !== lastDay) {
      lastDay = day;
      days.add(startIso.slice(0, 10));
    }

    chunk +=
      clusterText + '\t' +
      startIso + '\t' +
      endIsoOf(flow.endMs) + '\t' +
      sourceId + '\t' +
      destinationId + '\t' +
      flow.protocol + '\t' +
      copyNumber(flow.destinationPort) + '\t' +
      copyNumber(flow.sourcePort) + '\t' +
      flow.verdict + '\t' +
      (countsTowardTotals(flow) ? 't' : 'f') + '\t' +
      flow.reporter + '\t' +
      copyText(flow.dropReason) + '\t' +
      trace.keyText + '\t' +
      trace.json + '\t' +
      pending.json + '\t' +
      pending.verdict + '\t' +
      copyNumber(flow.bytesOut) + '\t' +
      copyNumber(flow.bytesIn) + '\t' +
      copyNumber(flow.packetsOut) + '\t' +
      copyNumber(flow.packetsIn) + '\t' +
      copyNumber(flow.connections) + '\t' +
      (flow.l7 ? copyText(JSON.stringify(flow.l7)) : '\\N') + '\t' +
      (flow.tcpFlags && flow.tcpFlags.length > 0 ? copyText(flow.tcpFlags.join(',')) : '\\N') + '\t' +
      flow.format + '\t' +
      batchId + '\t' + (line === undefined ? '\\N' : String(line)) + '\n';
    chunkRows += 1;
    if (chunkRows >= COPY_CHUNK_ROWS) {
      copyChunks.push(Buffer.from(chunk));
      chunk = '';
      chunkRows = 0;
    }
    if (flow.startMs < firstStartMs) firstStartMs = flow.startMs;
    if (flow.startMs > lastStartMs) lastStartMs = flow.startMs;
  }
  if (chunkRows > 0) copyChunks.push(Buffer.from(chunk));

  return {
    copyChunks,
    rowCount: flows.length,
    newEndpoints: [...newEndpoints.values()].sort((a, b) => compareIds(a.id, b.id)),
    firstStartMs: flows.length > 0 ? firstStartMs : 0,
    lastStartMs: flows.length > 0 ? lastStartMs : 0,
    days: [...days].sort(),
  };
}

/**
 * Any total order works for deadlock avoidance as long as every writer uses the same one, so ids are
 * compared as text (no BigInt parsing in the comparator).
 */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `compute` cached per argument object (for the lifetime of one batch's preparation). */
function memoByIdentity<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      value = compute(key);
      values.set(key, value);
    }
    return value;
  };
}

/**
 * ISO-8601 text of epoch milliseconds, reusing the text of the last whole second: a batch's flows
 * cluster in time, and Date#toISOString is a measurable share of preparing a COPY row.
 */
function isoFormatter(): (ms: number) => string {
  let lastSecond = Number.NaN;
  let lastSecondIso = '';
  return (ms: number): string => {
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastSecondIso = new Date(second * 1000).toISOString();
    }
    const millis = ms - second * 1000;
    return millis === 0 ? lastSecondIso : `${lastSecondIso.slice(0, 20)}${String(millis).padStart(3, '0')}Z`;
  };
}

/** Bounds a raw line to 8 KiB of UTF-8 (cutting on a character boundary). */
export function boundRaw(raw: string): string {
  if (raw.length * 3 <= MAX_RAW_BYTES) return raw;
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length <= MAX_RAW_BYTES) return raw;
  return bytes.subarray(0, MAX_RAW_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}

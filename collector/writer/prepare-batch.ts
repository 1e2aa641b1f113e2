/**
 * Turns canonical flows into what the writer sends: COPY text for `flows`, endpoint dictionary rows,
 * and 1-minute / 1-hour edge rollup aggregates. Pure apart from the endpoint-id cache it is given.
 */
import { countsTowardTotals } from '../../core/flow';
import { decidingPolicy, pendingVerdict, policyHitKey } from '../../core/flow/deciding-policy';
import { endpointIdFromKey, endpointKey } from '../../core/flow/endpoint-key';
import type { Endpoint, Flow, PolicyHit } from '../../core/flow/types';
import { copyNumber, copyText } from './copy-text';

export const MAX_RAW_BYTES = 8 * 1024;
const MINUTE_MS = 60_000;

export interface FlowToWrite {
  flow: Flow;
  /** 1-based line of the batch the flow came from (its original text is kept in `raw_batches`). */
  line?: number;
}

export interface EndpointRow {
  id: string;
  endpoint: Endpoint;
}

export interface RollupRow {
  clusterDbId: number;
  bucketMs: number;
  sourceId: string;
  destinationId: string;
  destinationPort: number;
  protocol: string;
  verdict: string;
  policyKey: string;
  pendingVerdict: string;
  flows: number;
  connections: number;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  lastSeenMs: number;
}

export interface PreparedBatch {
  copyChunks: string[];
  rowCount: number;
  newEndpoints: EndpointRow[];
  /** 1-minute rollup deltas keyed by the rollup primary key; merged across the batches of one transaction. */
  rollup1m: Map<string, RollupRow>;
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

/**
 * @param rawBatchId id of the `raw_batches` row holding the batch's original lines, or null when raw
 * lines are not kept.
 */
export function prepareBatch(
  clusterDbId: number,
  flows: readonly FlowToWrite[],
  cache: EndpointIdCache,
  rawBatchId: string | null = null,
): PreparedBatch {
  const copyChunks: string[] = [];
  let chunk = '';
  let chunkRows = 0;
  const newEndpoints = new Map<string, EndpointRow>();
  const rollup1m = new Map<string, RollupRow>();
  const days = new Set<string>();
  const clusterText = String(clusterDbId);

  const rawBatchText = rawBatchId ?? '\\N';
  const stored = cache.storedSet(clusterDbId);
  // Parsers share trace arrays between the flows of a batch: describe each distinct trace once.
  const traces = new Map<readonly PolicyHit[], { key: string; json: string }>();
  const describeTrace = (trace: readonly PolicyHit[]): { key: string; json: string } => {
    let described = traces.get(trace);
    if (!described) {
      described = { key: policyHitKey(decidingPolicy(trace)), json: trace.length > 0 ? copyText(JSON.stringify(trace)) : '\\N' };
      traces.set(trace, described);
    }
    return described;
  };
  const startIsoOf = isoFormatter();
  const endIsoOf = isoFormatter();
  for (const { flow, line } of flows) {
    const sourceId = cache.idFor(flow.source);
    const destinationId = cache.idFor(flow.destination);
    if (!stored.has(sourceId)) newEndpoints.set(sourceId, { id: sourceId, endpoint: flow.source });
    if (!stored.has(destinationId)) newEndpoints.set(destinationId, { id: destinationId, endpoint: flow.destination });
    const counted = countsTowardTotals(flow);
    const trace = describeTrace(flow.policyTrace);
    const policyKey = trace.key;
    const pending = flow.pendingTrace && flow.pendingTrace.length > 0 ? (pendingVerdict(flow.pendingTrace) ?? '') : '';
    const startIso = startIsoOf(flow.startMs);
    days.add(startIso.slice(0, 10));

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
      (counted ? 't' : 'f') + '\t' +
      flow.reporter + '\t' +
      copyText(flow.dropReason) + '\t' +
      copyText(policyKey) + '\t' +
      trace.json + '\t' +
      (flow.pendingTrace && flow.pendingTrace.length > 0 ? copyText(JSON.stringify(flow.pendingTrace)) : '\\N') + '\t' +
      (pending === '' ? '\\N' : pending) + '\t' +
      copyNumber(flow.bytesOut) + '\t' +
      copyNumber(flow.bytesIn) + '\t' +
      copyNumber(flow.packetsOut) + '\t' +
      copyNumber(flow.packetsIn) + '\t' +
      copyNumber(flow.connections) + '\t' +
      (flow.l7 ? copyText(JSON.stringify(flow.l7)) : '\\N') + '\t' +
      (flow.tcpFlags && flow.tcpFlags.length > 0 ? copyText(flow.tcpFlags.join(',')) : '\\N') + '\t' +
      flow.format + '\t' +
      (rawBatchId !== null && line !== undefined ? rawBatchText + '\t' + line : '\\N\t\\N') + '\n';
    chunkRows += 1;
    if (chunkRows >= COPY_CHUNK_ROWS) {
      copyChunks.push(chunk);
      chunk = '';
      chunkRows = 0;
    }

    const port = flow.destinationPort ?? -1;
    addRollup(rollup1m, clusterDbId, Math.floor(flow.startMs / MINUTE_MS) * MINUTE_MS, sourceId, destinationId, port, flow, policyKey, pending, counted);
  }
  if (chunkRows > 0) copyChunks.push(chunk);

  return {
    copyChunks,
    rowCount: flows.length,
    newEndpoints: [...newEndpoints.values()].sort((a, b) => compareIds(a.id, b.id)),
    rollup1m,
    days: [...days].sort(),
  };
}

function addRollup(
  target: Map<string, RollupRow>,
  clusterDbId: number,
  bucketMs: number,
  sourceId: string,
  destinationId: string,
  port: number,
  flow: Flow,
  policyKey: string,
  pending: string,
  counted: boolean,
): void {
  const key = `${clusterDbId}|${bucketMs}|${sourceId}|${destinationId}|${port}|${flow.protocol}|${flow.verdict}|${policyKey}|${pending}`;
  let row = target.get(key);
  if (!row) {
    row = {
      clusterDbId, bucketMs, sourceId, destinationId, destinationPort: port, protocol: flow.protocol, verdict: flow.verdict,
      policyKey, pendingVerdict: pending, flows: 0, connections: 0, bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0,
      lastSeenMs: flow.endMs,
    };
    target.set(key, row);
  }
  // A second report of the same connection (see countsTowardTotals) keeps the row — its policy was
  // seen — but adds nothing to the totals.
  if (counted) {
    row.flows += 1;
    row.connections += flow.connections;
    row.bytesOut += flow.bytesOut;
    row.bytesIn += flow.bytesIn;
    row.packetsOut += flow.packetsOut;
    row.packetsIn += flow.packetsIn;
  }
  if (flow.endMs > row.lastSeenMs) row.lastSeenMs = flow.endMs;
}

/**
 * Merges the rollups of the batches written in one transaction and sorts them into primary-key order,
 * so concurrent writers lock rows in the same order (no deadlock).
 */
export function mergeRollups(maps: ReadonlyArray<Map<string, RollupRow>>): RollupRow[] {
  if (maps.length === 1) return sortRollup([...(maps[0] as Map<string, RollupRow>).values()]);
  const merged = new Map<string, RollupRow>();
  for (const map of maps) {
    for (const [key, row] of map) {
      const existing = merged.get(key);
      if (!existing) {
        merged.set(key, { ...row });
        continue;
      }
      existing.flows += row.flows;
      existing.connections += row.connections;
      existing.bytesOut += row.bytesOut;
      existing.bytesIn += row.bytesIn;
      existing.packetsOut += row.packetsOut;
      existing.packetsIn += row.packetsIn;
      if (row.lastSeenMs > existing.lastSeenMs) existing.lastSeenMs = row.lastSeenMs;
    }
  }
  return sortRollup([...merged.values()]);
}

function sortRollup(rows: RollupRow[]): RollupRow[] {
  return rows.sort(
    (a, b) =>
      a.clusterDbId - b.clusterDbId ||
      a.bucketMs - b.bucketMs ||
      compareIds(a.sourceId, b.sourceId) ||
      compareIds(a.destinationId, b.destinationId) ||
      a.destinationPort - b.destinationPort ||
      compareText(a.protocol, b.protocol) ||
      compareText(a.verdict, b.verdict) ||
      compareText(a.policyKey, b.policyKey) ||
      compareText(a.pendingVerdict, b.pendingVerdict),
  );
}

/**
 * Any total order works for deadlock avoidance as long as every writer uses the same one, so ids are
 * compared as text (no BigInt parsing in the comparator).
 */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

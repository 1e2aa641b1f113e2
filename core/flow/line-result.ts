import type { EndpointResolver } from './endpoint-resolver';
import type { Flow } from './types';

/** Kinds of per-line failures. The UI and the ingest-error table word them by kind (STYLE.md 16). */
export type LineErrorKind =
  | 'invalid-json'
  | 'invalid-field'
  | 'missing-field'
  | 'invalid-line'
  | 'line-too-long'
  | 'unknown-format';

/** Outcome of parsing one line: a flow, a tagged error, or a record that is deliberately not a flow. */
export type LineResult =
  | { ok: true; flow: Flow }
  | { ok: false; kind: LineErrorKind; message: string }
  | { ok: 'skip'; reason: string };

/** Per-batch inputs every line parser needs. */
export interface LineParseContext {
  clusterId: string;
  resolver?: EndpointResolver;
  /** Time stamped on records that carry none (e.g. a VPC custom format without `start`/`end`). */
  defaultTimeMs: number;
}

/** Longest line accepted, in UTF-16 code units (≈ bytes for the ASCII these formats use). */
export const MAX_LINE_LENGTH = 64 * 1024;

/** Renders a value for an error message, bounded so a huge bad value cannot bloat the error table. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `field "dest_port": expected a number 0-65535, got "abc"` */
export function fieldError(field: string, expected: string, got: unknown): LineResult {
  return { ok: false, kind: got === undefined ? 'missing-field' : 'invalid-field', message: `field "${field}": expected ${expected}, got ${describeValue(got)}` };
}

export function lineError(kind: LineErrorKind, message: string): LineResult {
  return { ok: false, kind, message };
}

/** Thrown inside a parser to abort one line with a field error; caught per line, never escapes a parser. */
export class FieldError {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: unknown,
  ) {}
  toResult(): LineResult {
    return fieldError(this.field, this.expected, this.got);
  }
}

const memos = new WeakMap<LineParseContext, Map<string, Map<unknown, unknown>>>();
/** Entries per memo table before it is cleared, so a long-lived context cannot grow without bound. */
const MEMO_LIMIT = 10_000;

/**
 * A memo table scoped to one parse context (one batch in `parseFlowBatch`). Wire values such as policy-trace
 * entries, aggregate names and identity label sets repeat across most lines of a batch; parsing each once
 * saves time and — because the results are shared — memory. NOTE: flows from one batch may therefore share
 * `PolicyHit` and `labels` objects: treat parsed flows as immutable.
 */
export function contextMemo<K, V>(context: LineParseContext, table: string): Map<K, V> {
  let tables = memos.get(context);
  if (tables === undefined) {
    tables = new Map();
    memos.set(context, tables);
  }
  let memo = tables.get(table);
  if (memo === undefined || memo.size >= MEMO_LIMIT) {
    memo = new Map();
    tables.set(table, memo);
  }
  return memo as Map<K, V>;
}

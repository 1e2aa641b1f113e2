import 'server-only';
import type { FlowSort } from '../../api/flows';
import { AppError } from '../errors';

/** Keyset position after the last row of a page: the sort value, then (start_time, id) as tie-breakers. */
export interface FlowCursor {
  sort: FlowSort;
  dir: 'asc' | 'desc';
  /** bytes or connections of the last row (null for time sort). */
  value: number | null;
  /** start_time as Postgres text (keeps microseconds). */
  startText: string;
  id: string;
  /** The window the cursor belongs to, so a stale cursor is not applied to another view. */
  fromMs: number;
  toMs: number;
}

/** Opaque to clients: base64url JSON. It carries no authority: the filter and scope are re-applied on every page. */
export function encodeFlowCursor(cursor: FlowCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.dir, cursor.value, cursor.startText, cursor.id, cursor.fromMs, cursor.toMs])).toString('base64url');
}

export function decodeFlowCursor(text: string): FlowCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 7) throw new Error('shape');
    const [sort, dir, value, startText, id, fromMs, toMs] = parsed as unknown[];
    if (sort !== 'time' && sort !== 'bytes' && sort !== 'connections') throw new Error('sort');
    if (dir !== 'asc' && dir !== 'desc') throw new Error('dir');
    if (value !== null && typeof value !== 'number') throw new Error('value');
    if (typeof startText !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(startText)) throw new Error('time');
    if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw new Error('id');
    if (typeof fromMs !== 'number' || typeof toMs !== 'number') throw new Error('window');
    return { sort, dir, value, startText, id, fromMs, toMs };
  } catch {
    throw new AppError('bad_request', 'The cursor is not one this API issued (or it is from another view); start again from the first page.');
  }
}

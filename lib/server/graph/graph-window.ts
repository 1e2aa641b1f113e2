import 'server-only';

/** Windows up to 6 h read the minute rollup; longer ones the hour rollup (never raw flows). */
export const MINUTE_ROLLUP_MAX_WINDOW_MS = 6 * 60 * 60 * 1000;
/** The graph reads the daily rollup for windows of at least 3 days (see {@link graphQueryWindow}). */
export const DAY_ROLLUP_MIN_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export type RollupTable = 'edge_rollup_1m' | 'edge_rollup_1h' | 'edge_rollup_1d';

export interface GraphWindow {
  from: Date;
  to: Date;
  table: 'edge_rollup_1m' | 'edge_rollup_1h';
  rollup: '1m' | '1h';
}

/** One rollup read: buckets of `table` starting in [from, to). */
export interface RollupSegment {
  table: RollupTable;
  from: Date;
  to: Date;
}

export interface GraphQueryWindow {
  from: Date;
  to: Date;
  /** The rollup reads that together cover the window (UNION ALL). */
  segments: RollupSegment[];
  /** The finest rollup read (what the DTO reports). */
  rollup: '1m' | '1h' | '1d';
}

/** The rollup and bucket bounds for a window: buckets starting in [from floored to the bucket, to). */
export function graphWindow(fromMs: number, toMs: number): GraphWindow {
  const minute = toMs - fromMs <= MINUTE_ROLLUP_MAX_WINDOW_MS;
  const bucketMs = minute ? 60_000 : 3_600_000;
  return {
    from: new Date(Math.floor(fromMs / bucketMs) * bucketMs),
    to: new Date(toMs),
    table: minute ? 'edge_rollup_1m' : 'edge_rollup_1h',
    rollup: minute ? '1m' : '1h',
  };
}

/**
 * The graph's window, as the fewest rollup rows that cover it:
 * - up to 6 h: the minute rollup;
 * - from 3 days: whole UTC days of the daily rollup only. Choice: the first day is floored to midnight
 *   and the last day's bucket runs as far as it goes, so edge counts are approximate at the edges of the
 *   window — at most one extra partial day at the start (≤ 1/3 of a 3-day window, 1/7 of a week). Reading
 *   the partial days exactly from the hour rollup would scan up to 48 hours of hour rows, more than the
 *   whole week of daily rows; for "who talked to whom this week" the approximation does not matter;
 * - in between, exact: hours up to the first midnight, then whole days from the daily rollup, and the
 *   last partial day from the daily rollup too when the window ends now (today's bucket holds nothing
 *   later), else from hours. A 24 h window ending at noon reads 12 hours + 1 day instead of 24 hours.
 * `nowMs` tells whether the window ends now (`to` within a minute of it).
 */
export function graphQueryWindow(fromMs: number, toMs: number, nowMs: number): GraphQueryWindow {
  const to = new Date(toMs);
  if (toMs - fromMs >= DAY_ROLLUP_MIN_WINDOW_MS) {
    const dayFrom = new Date(Math.floor(fromMs / DAY_MS) * DAY_MS);
    return { from: dayFrom, to, segments: [{ table: 'edge_rollup_1d', from: dayFrom, to }], rollup: '1d' };
  }
  if (toMs - fromMs <= MINUTE_ROLLUP_MAX_WINDOW_MS) {
    const window = graphWindow(fromMs, toMs);
    return { from: window.from, to, segments: [{ table: window.table, from: window.from, to }], rollup: window.rollup };
  }
  const hourFromMs = Math.floor(fromMs / 3_600_000) * 3_600_000;
  const firstMidnightMs = Math.ceil(hourFromMs / DAY_MS) * DAY_MS;
  const lastMidnightMs = Math.floor(toMs / DAY_MS) * DAY_MS;
  const endsNow = toMs >= nowMs - 60_000;
  const segments: RollupSegment[] = [];
  const add = (table: RollupTable, startMs: number, endMs: number) => {
    if (endMs > startMs) segments.push({ table, from: new Date(startMs), to: new Date(endMs) });
  };
  if (firstMidnightMs > lastMidnightMs) {
    add('edge_rollup_1h', hourFromMs, toMs); // no midnight inside the window
  } else {
    add('edge_rollup_1h', hourFromMs, firstMidnightMs);
    add('edge_rollup_1d', firstMidnightMs, lastMidnightMs);
    if (endsNow) add('edge_rollup_1d', lastMidnightMs, toMs);
    else add('edge_rollup_1h', lastMidnightMs, toMs);
  }
  return { from: new Date(hourFromMs), to, segments, rollup: '1h' };
}

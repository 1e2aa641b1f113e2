import 'server-only';

/** Windows up to 6 h read the minute rollup; longer ones the hour, 6-hour and day rollups (never raw flows). */
export const MINUTE_ROLLUP_MAX_WINDOW_MS = 6 * 60 * 60 * 1000;
/** The graph reads the daily rollup for windows of at least 3 days (see {@link graphQueryWindow}). */
export const DAY_ROLLUP_MIN_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

const HOUR_MS = 60 * 60 * 1000;
const QUARTER_DAY_MS = 6 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;

export type RollupTable = 'edge_rollup_1m' | 'edge_rollup_1h' | 'edge_rollup_6h' | 'edge_rollup_1d';

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

interface RollupLevel {
  table: RollupTable;
  bucketMs: number;
}
const HOUR_LEVEL: RollupLevel = { table: 'edge_rollup_1h', bucketMs: HOUR_MS };
/** The rollups the graph covers a middle window with, coarsest first. */
const LADDER: readonly RollupLevel[] = [{ table: 'edge_rollup_1d', bucketMs: DAY_MS }, { table: 'edge_rollup_6h', bucketMs: QUARTER_DAY_MS }, HOUR_LEVEL];

/**
 * The graph's window, as the fewest rollup rows that cover it:
 * - up to 6 h: the minute rollup;
 * - from 3 days: whole UTC days of the daily rollup only. Choice: the first day is floored to midnight
 *   and the last day's bucket runs as far as it goes, so edge counts are approximate at the edges of the
 *   window — at most one extra partial day at the start (≤ 1/3 of a 3-day window, 1/7 of a week). Reading
 *   the partial days exactly from finer rollups would scan more rows than the whole week of daily rows;
 *   for "who talked to whom this week" the approximation does not matter;
 * - in between, exact to the hour: each stretch from the coarsest bucket that starts there and ends
 *   within the window — hours up to the first quarter day (00, 06, 12, 18 UTC), quarters up to the first
 *   midnight, whole days, then quarters and hours down to the end. A window that ends now may read the
 *   day (or quarter) bucket it ends in, since that bucket holds nothing later: a 24 h window ending at
 *   noon reads two quarter-day buckets and today's day instead of 12 hourly buckets and today's day.
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
  const hourFromMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const endsNow = toMs >= nowMs - 60_000;
  // Hour buckets starting before `to` count whole; a window ending now may end at the next midnight.
  const endBucketMs = endsNow ? DAY_MS : HOUR_MS;
  const endMs = Math.ceil(toMs / endBucketMs) * endBucketMs;
  const segments: RollupSegment[] = [];
  let atMs = hourFromMs;
  while (atMs < toMs) {
    const startMs = atMs;
    const level = LADDER.find((candidate) => startMs % candidate.bucketMs === 0 && startMs + candidate.bucketMs <= endMs) ?? HOUR_LEVEL;
    atMs = startMs + level.bucketMs;
    const segmentTo = new Date(Math.min(atMs, toMs));
    const last = segments.at(-1);
    if (last?.table === level.table && last.to.getTime() === startMs) last.to = segmentTo;
    else segments.push({ table: level.table, from: new Date(startMs), to: segmentTo });
  }
  return { from: new Date(hourFromMs), to, segments, rollup: '1h' };
}

import 'server-only';
import type { RollupView } from '@/lib/db/workload-edges';

/** Windows up to 6 h are exact to the minute (the minute rollup at their ends); longer ones to the hour (never raw flows). */
export const MINUTE_ROLLUP_MAX_WINDOW_MS = 6 * 60 * 60 * 1000;
/** The graph reads the daily rollup for windows of at least 3 days (see {@link graphQueryWindow}). */
export const DAY_ROLLUP_MIN_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

const HOUR_MS = 60 * 60 * 1000;
const QUARTER_DAY_MS = 6 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;

/** The rollup views (lib/db/workload-edges.ts names them for every reader). */
export type RollupTable = RollupView;

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
const MINUTE_LEVEL: RollupLevel = { table: 'edge_rollup_1m', bucketMs: 60_000 };
const HOUR_LEVEL: RollupLevel = { table: 'edge_rollup_1h', bucketMs: HOUR_MS };
/** The rollups a window is covered with, coarsest first, down to the hour. */
const LADDER: readonly RollupLevel[] = [{ table: 'edge_rollup_1d', bucketMs: DAY_MS }, { table: 'edge_rollup_6h', bucketMs: QUARTER_DAY_MS }, HOUR_LEVEL];

/**
 * The graph's window, as the fewest rollup rows that cover it. Each stretch is read from the coarsest
 * bucket that starts there and ends within the window: finer buckets up to the first whole hour,
 * quarter day (00, 06, 12, 18 UTC) or midnight, coarser ones in the middle, finer ones again down to the
 * end. A window that ends now may read the bucket it ends in from any rollup, since that bucket holds
 * nothing later: a 24 h window ending at noon reads two quarter-day buckets and today's day instead of
 * 12 hourly buckets and today's day, a 1 h window ending at 13:37 the minutes to 13:00 and one hour.
 * - up to 6 h: exact to the minute (the minute rollup at the ends);
 * - from 3 days: whole UTC days of the daily rollup only. Choice: the first day is floored to midnight
 *   and the last day's bucket runs as far as it goes, so edge counts are approximate at the edges of the
 *   window — at most one extra partial day at the start (≤ 1/3 of a 3-day window, 1/7 of a week). Reading
 *   the partial days exactly from finer rollups would scan more rows than the whole week of daily rows;
 *   for "who talked to whom this week" the approximation does not matter;
 * - in between: exact to the hour (hour buckets starting before `to` count whole).
 * `nowMs` tells whether the window ends now (`to` within a minute of it).
 */
export function graphQueryWindow(fromMs: number, toMs: number, nowMs: number): GraphQueryWindow {
  const to = new Date(toMs);
  if (toMs - fromMs >= DAY_ROLLUP_MIN_WINDOW_MS) {
    const dayFrom = new Date(Math.floor(fromMs / DAY_MS) * DAY_MS);
    return { from: dayFrom, to, segments: [{ table: 'edge_rollup_1d', from: dayFrom, to }], rollup: '1d' };
  }
  const minutes = toMs - fromMs <= MINUTE_ROLLUP_MAX_WINDOW_MS;
  const finest = minutes ? MINUTE_LEVEL : HOUR_LEVEL;
  const startMs = Math.floor(fromMs / finest.bucketMs) * finest.bucketMs;
  // Buckets of the finest rollup starting before `to` count whole; a window ending now may end at the next midnight.
  const endBucketMs = toMs >= nowMs - 60_000 ? DAY_MS : finest.bucketMs;
  const endMs = Math.ceil(toMs / endBucketMs) * endBucketMs;
  const levels = minutes ? [...LADDER, MINUTE_LEVEL] : LADDER;
  const segments: RollupSegment[] = [];
  let atMs = startMs;
  while (atMs < toMs) {
    const bucketStartMs = atMs;
    const level = levels.find((candidate) => bucketStartMs % candidate.bucketMs === 0 && bucketStartMs + candidate.bucketMs <= endMs) ?? finest;
    atMs = bucketStartMs + level.bucketMs;
    const segmentTo = new Date(Math.min(atMs, toMs));
    const last = segments.at(-1);
    if (last?.table === level.table && last.to.getTime() === bucketStartMs) last.to = segmentTo;
    else segments.push({ table: level.table, from: new Date(bucketStartMs), to: segmentTo });
  }
  return { from: new Date(startMs), to, segments, rollup: minutes ? '1m' : '1h' };
}

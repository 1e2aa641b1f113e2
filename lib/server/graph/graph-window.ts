import 'server-only';

/** Windows up to 6 h read the minute rollup; longer ones the hour rollup (never raw flows). */
export const MINUTE_ROLLUP_MAX_WINDOW_MS = 6 * 60 * 60 * 1000;

export type RollupTable = 'edge_rollup_1m' | 'edge_rollup_1h';

export interface GraphWindow {
  from: Date;
  to: Date;
  table: RollupTable;
  rollup: '1m' | '1h';
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

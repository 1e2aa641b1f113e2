import { describe, expect, it } from 'vitest';
import { graphQueryWindow } from './graph-window';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const noon = Date.UTC(2026, 10, 20, 12);
const iso = (date: Date) => date.toISOString();
const describeSegments = (fromMs: number, toMs: number, nowMs: number) =>
  graphQueryWindow(fromMs, toMs, nowMs).segments.map((segment) => `${segment.table} ${iso(segment.from)} ${iso(segment.to)}`);

describe('graphQueryWindow', () => {
  it('reads minutes up to 6 hours', () => {
    expect(describeSegments(noon - 6 * HOUR_MS, noon, noon)).toEqual(['edge_rollup_1m 2026-11-20T06:00:00.000Z 2026-11-20T12:00:00.000Z']);
  });

  it('reads hours up to midnight and today from the daily rollup for a 24 h window ending now', () => {
    expect(describeSegments(noon - DAY_MS, noon, noon)).toEqual([
      'edge_rollup_1h 2026-11-19T12:00:00.000Z 2026-11-20T00:00:00.000Z',
      'edge_rollup_1d 2026-11-20T00:00:00.000Z 2026-11-20T12:00:00.000Z',
    ]);
  });

  it('reads the last partial day from hours when the window ends in the past', () => {
    expect(describeSegments(noon - 2 * DAY_MS, noon, noon + DAY_MS)).toEqual([
      'edge_rollup_1h 2026-11-18T12:00:00.000Z 2026-11-19T00:00:00.000Z',
      'edge_rollup_1d 2026-11-19T00:00:00.000Z 2026-11-20T00:00:00.000Z',
      'edge_rollup_1h 2026-11-20T00:00:00.000Z 2026-11-20T12:00:00.000Z',
    ]);
  });

  it('reads hours only when no midnight falls inside the window', () => {
    expect(describeSegments(noon - 8 * HOUR_MS, noon, noon)).toEqual(['edge_rollup_1h 2026-11-20T04:00:00.000Z 2026-11-20T12:00:00.000Z']);
  });

  it('reads whole days only from 3 days on (approximate at the first day)', () => {
    const window = graphQueryWindow(noon - 7 * DAY_MS, noon, noon);
    expect(window.rollup).toBe('1d');
    expect(describeSegments(noon - 7 * DAY_MS, noon, noon)).toEqual(['edge_rollup_1d 2026-11-13T00:00:00.000Z 2026-11-20T12:00:00.000Z']);
  });
});

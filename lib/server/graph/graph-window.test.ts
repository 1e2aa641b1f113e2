import { describe, expect, it } from 'vitest';
import { graphQueryWindow } from './graph-window';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const noon = Date.UTC(2026, 10, 20, 12);
const iso = (date: Date) => date.toISOString();
const describeSegments = (fromMs: number, toMs: number, nowMs: number) =>
  graphQueryWindow(fromMs, toMs, nowMs).segments.map((segment) => `${segment.table} ${iso(segment.from)} ${iso(segment.to)}`);
const BUCKET_MS: Record<string, number> = { edge_rollup_1m: 60_000, edge_rollup_1h: HOUR_MS, edge_rollup_6h: 6 * HOUR_MS, edge_rollup_1d: DAY_MS };

describe('graphQueryWindow', () => {
  it('reads up to 6 hours exact to the minute, whole hours and quarter days from their rollups', () => {
    expect(describeSegments(noon - 6 * HOUR_MS, noon, noon)).toEqual(['edge_rollup_6h 2026-11-20T06:00:00.000Z 2026-11-20T12:00:00.000Z']);
    expect(graphQueryWindow(noon - HOUR_MS, noon, noon).rollup).toBe('1m');
    const nowMs = noon + HOUR_MS + 37 * 60_000;
    expect(describeSegments(nowMs - HOUR_MS, nowMs, nowMs)).toEqual([
      'edge_rollup_1m 2026-11-20T12:37:00.000Z 2026-11-20T13:00:00.000Z',
      'edge_rollup_1h 2026-11-20T13:00:00.000Z 2026-11-20T13:37:00.000Z', // ends now: the hour holds nothing later
    ]);
    expect(describeSegments(nowMs - HOUR_MS, nowMs, nowMs + DAY_MS)).toEqual(['edge_rollup_1m 2026-11-20T12:37:00.000Z 2026-11-20T13:37:00.000Z']);
    expect(describeSegments(nowMs - 5 * HOUR_MS, nowMs, nowMs + DAY_MS)).toEqual([
      'edge_rollup_1m 2026-11-20T08:37:00.000Z 2026-11-20T09:00:00.000Z',
      'edge_rollup_1h 2026-11-20T09:00:00.000Z 2026-11-20T13:00:00.000Z',
      'edge_rollup_1m 2026-11-20T13:00:00.000Z 2026-11-20T13:37:00.000Z',
    ]);
  });

  it('reads quarter days up to midnight and today from the daily rollup for a 24 h window ending now', () => {
    expect(describeSegments(noon - DAY_MS, noon, noon)).toEqual([
      'edge_rollup_6h 2026-11-19T12:00:00.000Z 2026-11-20T00:00:00.000Z',
      'edge_rollup_1d 2026-11-20T00:00:00.000Z 2026-11-20T12:00:00.000Z',
    ]);
  });

  it('reads hours up to the first quarter day, and today from the daily rollup, for a 24 h window ending now at 13:37', () => {
    const nowMs = noon + HOUR_MS + 37 * 60_000;
    expect(describeSegments(nowMs - DAY_MS, nowMs, nowMs)).toEqual([
      'edge_rollup_1h 2026-11-19T13:00:00.000Z 2026-11-19T18:00:00.000Z',
      'edge_rollup_6h 2026-11-19T18:00:00.000Z 2026-11-20T00:00:00.000Z',
      'edge_rollup_1d 2026-11-20T00:00:00.000Z 2026-11-20T13:37:00.000Z',
    ]);
  });

  it('steps down to quarter days and hours at the end when the window ends in the past', () => {
    expect(describeSegments(noon - 2 * DAY_MS, noon, noon + DAY_MS)).toEqual([
      'edge_rollup_6h 2026-11-18T12:00:00.000Z 2026-11-19T00:00:00.000Z',
      'edge_rollup_1d 2026-11-19T00:00:00.000Z 2026-11-20T00:00:00.000Z',
      'edge_rollup_6h 2026-11-20T00:00:00.000Z 2026-11-20T12:00:00.000Z',
    ]);
    // The last hour bucket starting before `to` counts whole (the hour rollup's resolution).
    expect(describeSegments(noon - DAY_MS + HOUR_MS, noon + 3 * HOUR_MS + 30 * 60_000, noon + DAY_MS)).toEqual([
      'edge_rollup_1h 2026-11-19T13:00:00.000Z 2026-11-19T18:00:00.000Z',
      'edge_rollup_6h 2026-11-19T18:00:00.000Z 2026-11-20T12:00:00.000Z',
      'edge_rollup_1h 2026-11-20T12:00:00.000Z 2026-11-20T15:30:00.000Z',
    ]);
  });

  it('reads no daily bucket when no midnight falls inside the window', () => {
    expect(describeSegments(noon - 8 * HOUR_MS, noon, noon)).toEqual([
      'edge_rollup_1h 2026-11-20T04:00:00.000Z 2026-11-20T06:00:00.000Z',
      'edge_rollup_6h 2026-11-20T06:00:00.000Z 2026-11-20T12:00:00.000Z',
    ]);
    expect(describeSegments(noon - 8 * HOUR_MS, noon, noon + DAY_MS)).toEqual([
      'edge_rollup_1h 2026-11-20T04:00:00.000Z 2026-11-20T06:00:00.000Z',
      'edge_rollup_6h 2026-11-20T06:00:00.000Z 2026-11-20T12:00:00.000Z',
    ]);
  });

  it('covers every hour of a window exactly once, each bucket whole and aligned, at any start minute', () => {
    for (let startMs = noon - 2 * DAY_MS; startMs < noon - DAY_MS; startMs += 17 * 60_000) {
      for (const [lengthMs, endsNow] of [[DAY_MS, true], [DAY_MS, false], [7 * HOUR_MS, true], [2 * DAY_MS + 5 * HOUR_MS, false], [HOUR_MS, true], [HOUR_MS, false], [6 * HOUR_MS, false]] as const) {
        const toMs = startMs + lengthMs;
        const window = graphQueryWindow(startMs, toMs, endsNow ? toMs : toMs + DAY_MS);
        const resolutionMs = lengthMs <= 6 * HOUR_MS ? 60_000 : HOUR_MS;
        let atMs = Math.floor(startMs / resolutionMs) * resolutionMs;
        for (const segment of window.segments) {
          const bucketMs = BUCKET_MS[segment.table] ?? Number.NaN;
          expect(segment.from.getTime()).toBe(atMs);
          expect(segment.from.getTime() % bucketMs).toBe(0);
          const bucketsEndMs = Math.ceil(segment.to.getTime() / bucketMs) * bucketMs;
          // A bucket may run past `to` only where nothing later exists (the window ends now) or within the
          // minute or hour `to` falls in (the window's resolution: the same rows as that bucket).
          if (bucketsEndMs > toMs) expect(endsNow || bucketsEndMs - toMs < resolutionMs).toBe(true);
          else expect(segment.to.getTime() % bucketMs).toBe(0);
          atMs = segment.to.getTime();
        }
        expect(atMs).toBe(toMs);
        expect(window.segments.length).toBeLessThanOrEqual(5);
        expect(window.rollup).toBe(lengthMs <= 6 * HOUR_MS ? '1m' : '1h');
      }
    }
  });

  it('reads whole days only from 3 days on (approximate at the first day)', () => {
    const window = graphQueryWindow(noon - 7 * DAY_MS, noon, noon);
    expect(window.rollup).toBe('1d');
    expect(describeSegments(noon - 7 * DAY_MS, noon, noon)).toEqual(['edge_rollup_1d 2026-11-13T00:00:00.000Z 2026-11-20T12:00:00.000Z']);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sql } from 'postgres';
import { PAST_DAY_RUN_DELAY_MS, startPostureJob } from './posture-job';

afterEach(() => {
  vi.useRealTimers();
});

describe('posture job schedule', () => {
  it('runs soon after past-day flows, once per burst, and again after a run that was already reading', async () => {
    vi.useFakeTimers();
    const started: number[] = [];
    let finishRun: () => void = () => {};
    const job = startPostureJob({
      sql: {} as Sql,
      intervalMs: 3_600_000,
      firstRunDelayMs: 3_600_000,
      nowMs: () => Date.now(),
      log: () => {},
      refresh: () => {
        started.push(Date.now());
        return new Promise<void>((resolve) => (finishRun = resolve));
      },
    });
    const t0 = Date.now();
    job.runSoon();
    job.runSoon();
    await vi.advanceTimersByTimeAsync(PAST_DAY_RUN_DELAY_MS - 1);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([t0 + PAST_DAY_RUN_DELAY_MS]);

    // More past-day flows while that run is still reading: one more run, after it ends.
    job.runSoon();
    await vi.advanceTimersByTimeAsync(PAST_DAY_RUN_DELAY_MS);
    expect(started).toHaveLength(1);
    finishRun();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(2);
    finishRun();
    await job.stop();
  });
});

describe('postureIntervalMs', () => {
  it('reads 0 as off, refuses intervals under 10 s, and defaults', async () => {
    const { postureIntervalMs, DEFAULT_POSTURE_INTERVAL_MS } = await import('./posture-job');
    expect(postureIntervalMs({ FLOWLENS_POSTURE_INTERVAL_MS: '0' })).toBe(0);
    expect(postureIntervalMs({ FLOWLENS_POSTURE_INTERVAL_MS: '5000' })).toBe(DEFAULT_POSTURE_INTERVAL_MS);
    expect(postureIntervalMs({ FLOWLENS_POSTURE_INTERVAL_MS: '60000' })).toBe(60_000);
    expect(postureIntervalMs({})).toBe(DEFAULT_POSTURE_INTERVAL_MS);
  });
});

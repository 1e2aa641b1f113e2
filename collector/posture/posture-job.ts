/**
 * The collector's scheduled posture job: shortly after start and then every `intervalMs` (default
 * 2 min, `FLOWLENS_POSTURE_INTERVAL_MS`), recompute today's posture snapshot per cluster and backfill
 * days that have rollups but no snapshot (lib/db/posture); and soon after flows for a past day are
 * stored (a first start's demo backfill, late data), so the week's trend does not wait for the tick. Runs never overlap; a failed run is
 * logged and retried at the next tick (the database may be down: the collector degrades, not dies).
 */
import type { Sql } from 'postgres';
import { refreshPostureSnapshots } from '../../lib/db/posture/refresh-posture-snapshots';

export const DEFAULT_POSTURE_INTERVAL_MS = 2 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 5_000;
/** How soon a run follows flows written for a past day (a backfill, or late data). */
export const PAST_DAY_RUN_DELAY_MS = 15_000;

export interface PostureJobOptions {
  sql: Sql;
  /** What a run does (default: refresh the snapshots through `sql`); the schedule is the job's own part. */
  refresh?: (nowMs: number) => Promise<void>;
  intervalMs?: number;
  firstRunDelayMs?: number;
  pastDayRunDelayMs?: number;
  nowMs?: () => number;
  log: (message: string) => void;
}

export interface PostureJob {
  /** Runs once now (waits for a run in progress instead of starting a second one). */
  runNow(): Promise<void>;
  /**
   * Flows for a past day were just stored: run within {@link PAST_DAY_RUN_DELAY_MS} instead of at the
   * next tick, after any run in progress (which may have read the day before they landed). Calls while
   * one is scheduled add nothing, so a long backfill re-runs the job every 15 s and once right after it.
   */
  runSoon(): void;
  /** Stops the schedule and waits for a run in progress, so the pool can close under no query. */
  stop(): Promise<void>;
}

export function startPostureJob(options: PostureJobOptions): PostureJob {
  const intervalMs = options.intervalMs ?? DEFAULT_POSTURE_INTERVAL_MS;
  // 0: this collector does not run the job (another one does, or a benchmark times it itself).
  if (intervalMs === 0) return { runNow: () => Promise.resolve(), runSoon: () => {}, stop: () => Promise.resolve() };
  const nowMs = options.nowMs ?? (() => Date.now());
  const refresh = options.refresh ?? ((atMs: number) => refreshPostureSnapshots(options.sql, { nowMs: atMs, log: options.log }));
  let running: Promise<void> | null = null;
  let failing = false;
  const run = (): Promise<void> => {
    running ??= refresh(nowMs())
      .then(() => {
        if (failing) options.log('posture: snapshots up to date again');
        failing = false;
      })
      .catch((error: unknown) => {
        // Log the first failure of a streak only: a database outage must not flood the log.
        if (!failing) options.log(`posture: snapshot run failed (${error instanceof Error ? error.message : String(error)}); retrying every ${Math.round(intervalMs / 1000)} s`);
        failing = true;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  let soon: NodeJS.Timeout | null = null;
  const runSoon = (): void => {
    if (soon !== null) return;
    soon = setTimeout(() => {
      soon = null;
      void (running ?? Promise.resolve()).then(run);
    }, options.pastDayRunDelayMs ?? PAST_DAY_RUN_DELAY_MS);
    soon.unref();
  };
  const first = setTimeout(() => void run(), options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
  const timer = setInterval(() => void run(), intervalMs);
  first.unref();
  timer.unref();
  return {
    runNow: run,
    runSoon,
    async stop() {
      clearTimeout(first);
      if (soon !== null) clearTimeout(soon);
      clearInterval(timer);
      await running;
    },
  };
}

/** `FLOWLENS_POSTURE_INTERVAL_MS`: 0 (off) or at least 10 s, else the default. */
export function postureIntervalMs(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env.FLOWLENS_POSTURE_INTERVAL_MS);
  if (env.FLOWLENS_POSTURE_INTERVAL_MS?.trim() === '0') return 0;
  return Number.isFinite(value) && value >= 10_000 ? value : DEFAULT_POSTURE_INTERVAL_MS;
}

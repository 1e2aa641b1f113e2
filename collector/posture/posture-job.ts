/**
 * The collector's scheduled posture job: shortly after start and then every `intervalMs` (default
 * 2 min, `FLOWLENS_POSTURE_INTERVAL_MS`), recompute today's posture snapshot per cluster and backfill
 * days that have rollups but no snapshot (lib/db/posture). Runs never overlap; a failed run is
 * logged and retried at the next tick (the database may be down: the collector degrades, not dies).
 */
import type { Sql } from 'postgres';
import { refreshPostureSnapshots } from '../../lib/db/posture/refresh-posture-snapshots';

export const DEFAULT_POSTURE_INTERVAL_MS = 2 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 5_000;

export interface PostureJobOptions {
  sql: Sql;
  intervalMs?: number;
  firstRunDelayMs?: number;
  nowMs?: () => number;
  log: (message: string) => void;
}

export interface PostureJob {
  /** Runs once now (waits for a run in progress instead of starting a second one). */
  runNow(): Promise<void>;
  /** Stops the schedule and waits for a run in progress, so the pool can close under no query. */
  stop(): Promise<void>;
}

export function startPostureJob(options: PostureJobOptions): PostureJob {
  const intervalMs = options.intervalMs ?? DEFAULT_POSTURE_INTERVAL_MS;
  const nowMs = options.nowMs ?? (() => Date.now());
  let running: Promise<void> | null = null;
  let failing = false;
  const run = (): Promise<void> => {
    running ??= refreshPostureSnapshots(options.sql, { nowMs: nowMs(), log: options.log })
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
  const first = setTimeout(() => void run(), options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
  const timer = setInterval(() => void run(), intervalMs);
  first.unref();
  timer.unref();
  return {
    runNow: run,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/** `FLOWLENS_POSTURE_INTERVAL_MS` (at least 10 s), else the default. */
export function postureIntervalMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.FLOWLENS_POSTURE_INTERVAL_MS);
  return Number.isFinite(value) && value >= 10_000 ? value : DEFAULT_POSTURE_INTERVAL_MS;
}

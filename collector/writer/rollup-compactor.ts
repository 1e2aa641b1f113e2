/**
 * Folds the flows of pending batches (`rollup_pending_batches`) into the stored 1-minute, 1-hour,
 * 6-hour and 1-day rollups every few seconds. One collector at a time compacts (advisory lock); the
 * fold is one statement, so a crash leaves each batch either pending or folded, never both. The
 * edge_rollup_* views read stores + the aggregate of pending batches, so compaction changes nothing a
 * reader sees — it only keeps the pending set (and what each rollup read aggregates on the fly) small.
 */
import type { Sql } from 'postgres';
import { compactRollups } from '../../lib/db/compact-rollups';
import { isDatabaseUnavailable } from './database-errors';

export class RollupCompactor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  totalFolded = 0;

  constructor(
    private readonly sql: Sql,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    const tick = (): void => {
      this.compactOnce()
        .catch((error: unknown) => {
          if (!isDatabaseUnavailable(error)) this.log(`collector: rollup compaction failed: ${error instanceof Error ? error.message : String(error)}`);
        })
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
    await this.compactOnce().catch(() => 0);
  }

  /** Folds what is pending now; returns the number of batches folded (0 when another collector holds the lock). */
  compactOnce(): Promise<number> {
    this.running ??= (async () => {
      try {
        const folded = await compactRollups(this.sql, { wait: false });
        this.totalFolded += folded;
        return folded;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

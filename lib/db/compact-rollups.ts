/**
 * Folds the flows of pending batches (`rollup_pending_batches`) into the rollup stores, in one
 * statement (`flowlens_compact_rollups()`), under the advisory lock that lets one process at a time
 * fold. Used by the collector's compactor every few seconds and by readers that then read the stores
 * directly (the posture snapshots), so they never aggregate pending flows themselves.
 */
import type { Sql } from 'postgres';

/** 'roll'; the rollup migration takes the same lock (1919904876) while it rebuilds the stores. */
const COMPACTOR_LOCK = 0x726f6c6c;

/**
 * Returns the number of batches folded. With `wait: false` it returns 0 at once when another process is
 * folding; with `wait: true` it waits for that fold and then folds what is left, so the stores hold
 * every batch committed before the call.
 */
export async function compactRollups(sql: Sql, options: { wait: boolean }): Promise<number> {
  return sql.begin(async (tx) => {
    if (options.wait) {
      await tx`select pg_advisory_xact_lock(${COMPACTOR_LOCK})`;
    } else {
      const [lock] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(${COMPACTOR_LOCK}) as locked`;
      if (!lock?.locked) return 0;
    }
    const [row] = await tx<{ folded: string }[]>`select flowlens_compact_rollups()::text as folded`;
    return Number(row?.folded ?? 0);
  });
}

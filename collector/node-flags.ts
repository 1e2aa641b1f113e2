/**
 * Node flags the collector runs with, wherever it is started (npm script, launcher, tests, compose).
 * A capped old generation makes V8 collect the garbage of finished batches promptly instead of
 * growing toward its multi-gigabyte default; admission control (FLOWLENS_QUEUE_MAX_BATCHES) keeps
 * the live set well below the cap.
 */
export const COLLECTOR_HEAP_MB = Number(process.env.FLOWLENS_COLLECTOR_HEAP_MB ?? 256);

export function collectorNodeArgs(): string[] {
  return [`--max-old-space-size=${COLLECTOR_HEAP_MB}`, '--import', 'tsx'];
}

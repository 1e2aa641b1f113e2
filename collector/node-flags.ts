/**
 * Node flags the collector runs with, wherever it is started (npm script, launcher, tests, compose).
 * A capped old generation makes V8 collect the garbage of finished batches promptly instead of
 * growing toward its multi-gigabyte default; admission control (FLOWLENS_QUEUE_MAX_BATCHES) keeps
 * the live set well below the cap.
 */
export const COLLECTOR_HEAP_MB = Number(process.env.FLOWLENS_COLLECTOR_HEAP_MB ?? 256);

/**
 * A larger young generation: parsing allocates many short-lived objects per line, and with the default
 * 16 MB semi-spaces the scavenger ran often enough to cost a sixth of the collector's CPU.
 */
export const COLLECTOR_SEMI_SPACE_MB = Number(process.env.FLOWLENS_COLLECTOR_SEMI_SPACE_MB ?? 32);

export function collectorNodeArgs(): string[] {
  return [`--max-old-space-size=${COLLECTOR_HEAP_MB}`, `--max-semi-space-size=${COLLECTOR_SEMI_SPACE_MB}`, '--import', 'tsx'];
}

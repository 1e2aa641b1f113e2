/**
 * Node flags the collector runs with, wherever it is started (npm script, launcher, tests, compose).
 * A capped old generation makes V8 collect the garbage of finished batches promptly instead of
 * growing toward its multi-gigabyte default; admission control (FLOWLENS_QUEUE_MAX_BATCHES) keeps
 * the live set well below the cap.
 */
export const COLLECTOR_HEAP_MB = Number(process.env.FLOWLENS_COLLECTOR_HEAP_MB ?? 256);

/**
 * The young generation's semi-space. 16 MB keeps the collector's peak RSS under 300 MB while it ingests
 * 20k+ flows/s (bench:ingest: 285 MB); 32 MB saved ~10% of its CPU in scavenges but peaked near 340 MB.
 */
export const COLLECTOR_SEMI_SPACE_MB = Number(process.env.FLOWLENS_COLLECTOR_SEMI_SPACE_MB ?? 16);

export function collectorNodeArgs(): string[] {
  return [`--max-old-space-size=${COLLECTOR_HEAP_MB}`, `--max-semi-space-size=${COLLECTOR_SEMI_SPACE_MB}`, '--import', 'tsx'];
}

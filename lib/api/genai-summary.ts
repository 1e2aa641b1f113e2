/** External LLM / model-hub endpoints seen in flows, found by domain (the full classifier comes later). */
export interface GenaiSummaryDto {
  /** The domain patterns that were matched, so the page can say what it looked for. */
  domainPatterns: string[];
  endpoints: {
    clusterName: string;
    domain: string;
    flowsLast24h: number;
    sourcesLast24h: number;
  }[];
}

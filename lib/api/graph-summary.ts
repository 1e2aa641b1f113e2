/** What the graph will draw, counted per cluster (endpoint dictionary + hourly rollup). */
export interface GraphSummaryDto {
  clusters: {
    name: string;
    endpoints: number;
    workloads: number;
    externalPeers: number;
    namespaces: number;
    /** Distinct source → destination:port/protocol edges seen in the last 24 h. */
    edgesLast24h: number;
    deniedEdgesLast24h: number;
  }[];
}

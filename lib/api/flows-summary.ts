import type { EndpointLabelDto } from './endpoint-label';

/** Denied traffic in the last hour, per cluster and the busiest denied edges (from the minute rollup). */
export interface FlowsSummaryDto {
  generatedAtMs: number;
  windowMs: number;
  clusters: { name: string; allowedFlows: number; deniedFlows: number }[];
  topDeniedEdges: {
    clusterName: string;
    source: EndpointLabelDto | null;
    destination: EndpointLabelDto | null;
    destinationPort: number | null;
    protocol: string;
    policyKey: string;
    flows: number;
  }[];
}

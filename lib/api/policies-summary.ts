/** The policies that decided traffic in the last 24 h, and what has been uploaded per cluster. */
export interface PoliciesSummaryDto {
  clusters: { name: string; inventorySnapshots: number; lastInventoryAtMs: number | null; policySets: number }[];
  decidingPolicies: {
    clusterName: string;
    /** `kind|tier|namespace|name|action|rule`, '' = no policy reported. */
    policyKey: string;
    allowedFlows: number;
    deniedFlows: number;
  }[];
}

import type { PoliciesSummaryDto } from '@/lib/api/policies-summary';
import { describePolicyKey } from '@/lib/api/policy-key';
import { formatCount } from '@/components/ui/format-count';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';

/** Uploaded inventories/policy sets per cluster, and the policies that decided the most traffic. */
export function PoliciesSummaryView(props: { summary: PoliciesSummaryDto }) {
  const { summary } = props;
  return (
    <>
      <Panel title="Policies that decided the most flows, last 24 h">
        {summary.decidingPolicies.length === 0 ? (
          <p className="muted">No flows in the last 24 hours.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Policy</th>
                  <th scope="col" className="num">Allowed</th>
                  <th scope="col" className="num">Denied</th>
                </tr>
              </thead>
              <tbody>
                {summary.decidingPolicies.map((policy) => (
                  <tr key={`${policy.clusterName}|${policy.policyKey}`}>
                    <td>{policy.clusterName}</td>
                    <td>{describePolicyKey(policy.policyKey)}</td>
                    <td className="num">{formatCount(policy.allowedFlows)}</td>
                    <td className="num">{formatCount(policy.deniedFlows)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <Panel title="Inventory and policy sets per cluster">
        {summary.clusters.length === 0 ? (
          <p className="muted">No clusters yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col" className="num">Inventory snapshots</th>
                  <th scope="col">Latest inventory</th>
                  <th scope="col" className="num">Policy sets</th>
                </tr>
              </thead>
              <tbody>
                {summary.clusters.map((cluster) => (
                  <tr key={cluster.name}>
                    <th scope="row">{cluster.name}</th>
                    <td className="num">{formatCount(cluster.inventorySnapshots)}</td>
                    <td>{cluster.lastInventoryAtMs === null ? 'none uploaded' : formatUtcTime(cluster.lastInventoryAtMs)}</td>
                    <td className="num">{formatCount(cluster.policySets)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </>
  );
}

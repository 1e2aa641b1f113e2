'use client';
import type { CoverageDto, WorkloadCoverageDto } from '@/lib/api/policies';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';
import { Stat } from '@/components/ui/stat';
import { formatPolicyRef } from './policy-format';

function Governed(props: { governed: boolean; policies: WorkloadCoverageDto['ingressPolicies'] }) {
  if (!props.governed) return <span className="policy-no">no policy</span>;
  return (
    <span>
      <span className="policy-yes">yes</span> <span className="muted small">{props.policies.map(formatPolicyRef).join(', ')}</span>
    </span>
  );
}

/** Which workloads the cluster's policies govern per direction (unprotected ones first and marked), and default deny per namespace. */
export function CoveragePanel(props: { coverage: CoverageDto; onRecommend?: (workload: string) => void }) {
  const { coverage } = props;
  if (coverage.snapshotId === null) {
    return (
      <Panel title="Coverage" testId="policy-coverage">
        <p className="muted">No inventory uploaded for {coverage.cluster} yet: upload one (`kubectl get namespaces,pods,deployments,…,networkpolicies -A -o json`) to evaluate its policies.</p>
      </Panel>
    );
  }
  const withoutDefaultDeny = coverage.namespaces.filter((entry) => entry.defaultDenyIngress.length === 0 || entry.defaultDenyEgress.length === 0);
  return (
    <Panel
      title="Coverage"
      testId="policy-coverage"
      actions={<span className="muted small">inventory of {coverage.inventoryTakenAtMs !== null ? formatUtcTime(coverage.inventoryTakenAtMs) : '—'}</span>}
    >
      <div className="stat-grid">
        <Stat label="Workloads" value={coverage.workloads.length} />
        <Stat label="Unprotected" value={coverage.unprotectedCount} tone={coverage.unprotectedCount > 0 ? 'denied' : undefined} note="no policy selects them, either direction" testId="unprotected-count" />
        <Stat label="Policies" value={coverage.policyCount} />
        <Stat label="Namespaces without default deny" value={withoutDefaultDeny.length} note={`of ${coverage.namespaces.length}`} />
      </div>
      <div className="table-scroll">
        <table className="data" data-testid="coverage-table">
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col">Kind</th>
              <th scope="col">Ingress governed</th>
              <th scope="col">Egress governed</th>
              {props.onRecommend ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {coverage.workloads.map((workload) => {
              const unprotected = !workload.ingressGoverned && !workload.egressGoverned;
              return (
                <tr key={`${workload.workload}|${workload.kind}`} className={unprotected ? 'policy-unprotected' : undefined} data-testid="coverage-row" data-workload={workload.workload} data-unprotected={unprotected ? 'true' : 'false'}>
                  <th scope="row">
                    {workload.workload}
                    {unprotected ? <span className="policy-badge">unprotected</span> : null}
                  </th>
                  <td>{workload.kind}</td>
                  <td><Governed governed={workload.ingressGoverned} policies={workload.ingressPolicies} /></td>
                  <td><Governed governed={workload.egressGoverned} policies={workload.egressPolicies} /></td>
                  {props.onRecommend ? (
                    <td>
                      <button type="button" className="policy-link-button" onClick={() => props.onRecommend?.(workload.workload)}>
                        Recommend policy
                      </button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3 className="policy-subheading">Namespaces</h3>
      <div className="table-scroll">
        <table className="data" data-testid="namespace-table">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Default deny ingress</th>
              <th scope="col">Default deny egress</th>
              <th scope="col" className="num">Policies</th>
            </tr>
          </thead>
          <tbody>
            {coverage.namespaces.map((entry) => (
              <tr key={entry.namespace} data-testid="namespace-row" data-namespace={entry.namespace}>
                <th scope="row">{entry.namespace}</th>
                <td>{entry.defaultDenyIngress.length > 0 ? entry.defaultDenyIngress.map(formatPolicyRef).join(', ') : <span className="policy-no">none</span>}</td>
                <td>{entry.defaultDenyEgress.length > 0 ? entry.defaultDenyEgress.map(formatPolicyRef).join(', ') : <span className="policy-no">none</span>}</td>
                <td className="num">{entry.policyCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

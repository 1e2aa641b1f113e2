import 'server-only';
import type { Sql } from 'postgres';
import type { PolicyRef } from '@/core/inventory';
import type { CoverageDto, CoverageRequest, PolicyRefDto } from '../../api/policies';
import { isNamespaceVisible, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { loadPolicyCluster } from './policy-cluster';

function refDto(ref: PolicyRef): PolicyRefDto {
  return { kind: ref.kind, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}), name: ref.name };
}

/** `namespace/name[Kind]` → its parts. */
function parsePeerName(peer: string): { namespace: string; name: string; kind: string } {
  const match = /^([^/]+)\/(.+)\[([A-Za-z]+)\]$/.exec(peer);
  return match ? { namespace: match[1] ?? '', name: match[2] ?? '', kind: match[3] ?? '' } : { namespace: '', name: peer, kind: '' };
}

/**
 * Coverage of one cluster's latest inventory: every workload with whether ingress and egress are
 * governed and by which policies, unprotected first; namespaces with their default-deny policies.
 * Namespaces outside the user's scope are left out.
 */
export async function getPolicyCoverage(request: CoverageRequest, options: { scope: DataScope; sql?: Sql }): Promise<CoverageDto> {
  const sql = options.sql ?? getSql();
  const cluster = await loadPolicyCluster(sql, options.scope, request.cluster);
  const base = { cluster: cluster.name, clusters: cluster.clusters };
  if (!cluster.snapshot) {
    return { ...base, snapshotId: null, inventoryTakenAtMs: null, workloads: [], namespaces: [], policyCount: 0, unprotectedCount: 0 };
  }
  const { coverage, inventory } = cluster.snapshot;
  const visible = (namespace: string): boolean => isNamespaceVisible(options.scope, cluster.id, namespace);
  const workloads = coverage.workloads
    .filter((entry) => visible(entry.namespace))
    .map((entry) => {
      const { name, kind } = parsePeerName(entry.peer);
      const refs = (direction: typeof entry.ingress) => [...direction.adminNetworkPolicies, ...direction.networkPolicies, ...direction.baselineAdminNetworkPolicies].map(refDto);
      return {
        workload: `${entry.namespace}/${name}`,
        namespace: entry.namespace,
        name,
        kind,
        ingressGoverned: entry.ingress.governed,
        egressGoverned: entry.egress.governed,
        ingressPolicies: refs(entry.ingress),
        egressPolicies: refs(entry.egress),
      };
    })
    .sort((a, b) => Number(a.ingressGoverned && a.egressGoverned) - Number(b.ingressGoverned && b.egressGoverned) ||
      Number(a.ingressGoverned || a.egressGoverned) - Number(b.ingressGoverned || b.egressGoverned) ||
      a.workload.localeCompare(b.workload));
  const namespaces = coverage.namespaces
    .filter((entry) => visible(entry.namespace))
    .map((entry) => ({
      namespace: entry.namespace,
      defaultDenyIngress: entry.defaultDenyIngress.map(refDto),
      defaultDenyEgress: entry.defaultDenyEgress.map(refDto),
      policyCount: inventory.networkPolicies.filter((policy) => policy.namespace === entry.namespace).length,
    }))
    .sort((a, b) => Number(a.defaultDenyIngress.length > 0) - Number(b.defaultDenyIngress.length > 0) || a.namespace.localeCompare(b.namespace));
  return {
    ...base,
    snapshotId: cluster.snapshot.id,
    inventoryTakenAtMs: cluster.snapshot.takenAtMs,
    workloads,
    namespaces,
    policyCount: inventory.networkPolicies.filter((policy) => visible(policy.namespace)).length + inventory.adminNetworkPolicies.length + inventory.baselineAdminNetworkPolicies.length,
    unprotectedCount: workloads.filter((entry) => !entry.ingressGoverned && !entry.egressGoverned).length,
  };
}

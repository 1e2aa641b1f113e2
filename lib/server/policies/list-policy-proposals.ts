import 'server-only';
import type { Sql } from 'postgres';
import type { ProposalsDto } from '../../api/policies';
import type { DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { loadPolicyCluster } from './policy-cluster';

/** Proposed policy sets stored for a cluster by what-if runs (`policy_sets.source = 'proposed'`), newest first. */
export async function listPolicyProposals(request: { cluster: string }, options: { scope: DataScope; sql?: Sql }): Promise<ProposalsDto> {
  const sql = options.sql ?? getSql();
  const cluster = await loadPolicyCluster(sql, options.scope, request.cluster);
  const rows = await sql<{ id: string; name: string; createdAt: Date; createdBy: string | null; policyCount: number }[]>`
    select id, name, created_at as "createdAt", created_by as "createdBy",
           case when jsonb_typeof(objects) = 'array' then jsonb_array_length(objects) else 0 end as "policyCount"
    from policy_sets
    where cluster_id = ${cluster.id} and source = 'proposed'
    order by created_at desc
    limit 50`;
  return {
    cluster: cluster.name,
    proposals: rows.map((row) => ({ id: row.id, name: row.name, createdAtMs: row.createdAt.getTime(), createdBy: row.createdBy, policyCount: row.policyCount })),
  };
}

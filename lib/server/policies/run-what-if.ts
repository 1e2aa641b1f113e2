import 'server-only';
import type { Sql } from 'postgres';
import { parseAllDocuments } from 'yaml';
import { loadManifestDocuments, type PolicyRef } from '@/core/inventory';
import { mergePolicySets, whatIf } from '@/core/policy';
import { policyRangeWindow, type WhatIfDto, type WhatIfRequest } from '../../api/policies';
import { recordAudit } from '../audit/record-audit';
import type { DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { loadPolicyCluster, snapshotOrThrow } from './policy-cluster';
import { queryObservedEdges } from './query-observed-edges';

/** The UI lists this many changed edges; the rest are counted. */
const MAX_CHANGED_EDGES = 500;
const POLICY_KINDS = new Set(['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

export interface RunWhatIfOptions {
  scope: DataScope;
  sql?: Sql;
  nowMs?: number;
  /** Who uploaded it and from where, for the audit log and `policy_sets.created_by`; omitted by the benchmark. */
  actor?: { id: string; username: string; ip: string };
}

/** The policy objects of the proposal, as plain JSON, for `policy_sets.objects` (documents with errors are skipped). */
function proposalObjects(files: WhatIfRequest['files'], loaded: ReadonlySet<string>): unknown[] {
  const objects: unknown[] = [];
  for (const file of files) {
    const documents = parseAllDocuments(file.text);
    for (const document of Array.isArray(documents) ? documents : []) {
      if (document.errors.length > 0) continue;
      const value: unknown = document.toJS({ maxAliasCount: 100 });
      const items = value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items) ? (value as { items: unknown[] }).items : [value];
      for (const item of items) {
        if (!item || typeof item !== 'object') continue;
        const { kind, metadata } = item as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
        if (!POLICY_KINDS.has(String(kind))) continue;
        const namespace = kind === 'NetworkPolicy' ? String(metadata?.namespace ?? 'default') : '';
        // Only what loaded: a document the loader rejected is reported, not stored.
        if (loaded.has(`${String(kind)}/${namespace}/${String(metadata?.name)}`)) objects.push(item);
      }
    }
  }
  return objects;
}

function refOf(policy: PolicyRef): { kind: string; namespace?: string; name: string } {
  return { kind: policy.kind, ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}), name: policy.name };
}

/**
 * What-if: the proposed policy set (the current one with the proposal added, same-name policies
 * replaced — or the proposal alone) replayed against the traffic stored for the window, on the rollups.
 * Returns the edges whose verdict would change, grouped, with counts and examples. Malformed documents
 * are reported by file, document and field; the rest of the proposal still applies. Every upload is
 * audit-logged (`policy.upload`); with `saveAs` the proposal is stored in `policy_sets` (source `proposed`).
 */
export async function runWhatIf(request: WhatIfRequest, options: RunWhatIfOptions): Promise<WhatIfDto> {
  const started = performance.now();
  const sql = options.sql ?? getSql();
  const nowMs = options.nowMs ?? Date.now();
  const cluster = await loadPolicyCluster(sql, options.scope, request.cluster);
  const snapshot = snapshotOrThrow(cluster);
  const loaded = loadManifestDocuments(request.files.map((file) => ({ path: file.name, text: file.text })));
  const proposal = loaded.inventory;
  const proposed = mergePolicySets(snapshot.inventory, proposal, request.mode);
  const { fromMs, toMs } = policyRangeWindow(request.range, nowMs);
  const observed = await queryObservedEdges(sql, options.scope, { clusterId: cluster.id, fromMs, toMs });
  const result = whatIf({ inventory: snapshot.inventory, current: snapshot.inventory, proposed, edges: observed.edges });
  const proposedPolicies = [...proposal.networkPolicies, ...proposal.adminNetworkPolicies, ...proposal.baselineAdminNetworkPolicies].map((policy) =>
    refOf({ kind: policy.kind, ...(policy.kind === 'NetworkPolicy' ? { namespace: policy.namespace } : {}), name: policy.name }),
  );
  let proposalId: string | null = null;
  if (request.saveAs !== undefined) {
    const [row] = await sql<{ id: string }[]>`
      insert into policy_sets (id, cluster_id, name, source, objects, created_by)
      values (gen_random_uuid(), ${cluster.id}, ${request.saveAs}, 'proposed', ${sql.json(proposalObjects(request.files, new Set(proposedPolicies.map((ref) => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`))) as never)}, ${options.actor?.username ?? null})
      returning id`;
    proposalId = row?.id ?? null;
  }
  if (options.actor) {
    await recordAudit({
      actor: { id: options.actor.id, username: options.actor.username },
      action: 'policy.upload',
      target: `${cluster.name}/${request.saveAs ?? 'what-if'}`,
      ip: options.actor.ip,
      details: {
        files: request.files.map((file) => file.name),
        mode: request.mode,
        range: request.range,
        documents: loaded.documentCount,
        errors: loaded.errors.length,
        policies: proposedPolicies.length,
        proposalId,
        changedEdges: result.changed.length,
      },
    });
  }
  return {
    cluster: cluster.name,
    fromMs,
    toMs,
    rollup: observed.rollup,
    mode: request.mode,
    documentCount: loaded.documentCount,
    proposedPolicies,
    errors: loaded.errors.map((error) => ({
      file: error.file,
      document: error.document,
      ...(error.object !== undefined ? { object: error.object } : {}),
      ...(error.field !== undefined ? { field: error.field } : {}),
      message: error.message,
    })),
    changed: result.changed.slice(0, MAX_CHANGED_EDGES).map((edge) => ({ ...edge, examples: [...edge.examples] })),
    changedTotal: result.changed.length,
    evaluatedEdges: result.evaluatedEdges,
    evaluatedFlows: result.evaluatedFlows,
    newlyDeniedFlows: result.newlyDeniedFlows,
    newlyAllowedFlows: result.newlyAllowedFlows,
    skipped: { ...result.skipped } as WhatIfDto['skipped'],
    rowCount: observed.rowCount,
    proposalId,
    tookMs: Math.round(performance.now() - started),
  };
}

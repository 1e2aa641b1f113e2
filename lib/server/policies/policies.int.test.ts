/**
 * The /policies server functions against a real PostgreSQL: a seeded cluster with the demo-like
 * inventory snapshot, its endpoints and a day of hour rollups. Coverage, explanation, what-if (with
 * the audit entry and the stored proposal), recommendation and proposals, and the data scope.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Sql } from 'postgres';
import { parse } from 'yaml';
import { createSql } from '@/lib/db/sql';
import { makeDemoLikeEdges, makeDemoLikeObjects } from '@/core/testing';
import { FULL_SCOPE, type DataScope } from '../auth/data-scope';

vi.mock('server-only', () => ({}));

const { getPolicyCoverage } = await import('./get-policy-coverage');
const { explainPolicyFlow } = await import('./explain-policy-flow');
const { runWhatIf } = await import('./run-what-if');
const { getPolicyRecommendation } = await import('./get-policy-recommendation');
const { listPolicyProposals } = await import('./list-policy-proposals');

const HOUR_MS = 3_600_000;
const NOW_MS = Date.UTC(2026, 0, 10, 12);
const CLUSTER = `policies-it-${Date.now().toString(36)}`;
const LLM_DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: llm }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: broken, namespace: llm }
spec: { podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }
`;

let sql: Sql;
let clusterId: number;

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  sql = createSql(inject('databaseUrl'), { max: 4 });
  const [cluster] = await sql<{ id: number }[]>`insert into clusters (name) values (${CLUSTER}) returning id`;
  clusterId = cluster?.id ?? 0;
  await sql`insert into inventory_snapshots (id, cluster_id, taken_at, objects, counts)
            values (gen_random_uuid(), ${clusterId}, ${new Date(NOW_MS - 48 * HOUR_MS)}, ${sql.json(makeDemoLikeObjects() as never)}, '{}'::jsonb)`;
  for (let day = -2; day <= 0; day += 1) {
    await sql`select flowlens_ensure_day_partitions(${new Date(NOW_MS + day * 24 * HOUR_MS).toISOString().slice(0, 10)}::date)`;
  }
  // Endpoints: one per distinct end of the demo-like edges (workloads by namespace/name, externals by IP).
  const ids = new Map<string, number>();
  const edges = makeDemoLikeEdges();
  const endpointId = async (end: (typeof edges)[number]['source']): Promise<number> => {
    const key = end.external ? `ip:${end.ip}` : `w:${end.namespace}/${end.workload}`;
    const found = ids.get(key);
    if (found !== undefined) return found;
    const id = ids.size + 1;
    ids.set(key, id);
    // Labels as the collector writes them today (a JSON string); the query accepts both shapes.
    await sql`insert into endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, labels)
              values (${clusterId}, ${id}, ${end.external ? 'external' : 'workload'}, ${end.namespace ?? null}, ${end.workload ?? 'pub'},
                      ${end.workloadKind ?? null}, ${end.external ? null : `${end.workload}-0`}, ${end.ip ?? null}, ${sql.json(JSON.stringify(end.labels ?? {}))})`;
    return id;
  };
  for (const [index, edge] of edges.entries()) {
    const source = await endpointId(edge.source);
    const destination = await endpointId(edge.destination);
    const bucket = new Date(NOW_MS - (2 + (index % 5)) * HOUR_MS);
    await sql`insert into edge_rollup_1h_store (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
                                          flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
              values (${clusterId}, ${bucket}, ${source}, ${destination}, ${edge.port ?? -1}, ${edge.protocol}, ${edge.verdict},
                      ${edge.verdict === 'denied' ? 'NetworkPolicy|default|data|default-deny|deny|-1' : ''}, '', ${edge.flows}, ${edge.flows}, 0, 0, 0, 0, ${new Date(bucket.getTime() + 60_000)})`;
  }
});

afterAll(async () => {
  await sql?.end();
});

const scopeOnly = (namespaces: string[]): DataScope => ({ clusterIds: [clusterId], namespaces: new Map([[clusterId, new Set(namespaces)]]) });

describe('policies server', () => {
  it('coverage lists the llm workloads as unprotected, first, and namespaces without default deny', async () => {
    const coverage = await getPolicyCoverage({ cluster: CLUSTER }, { scope: FULL_SCOPE, sql });
    const unprotected = coverage.workloads.filter((entry) => !entry.ingressGoverned && !entry.egressGoverned).map((entry) => entry.workload);
    expect(unprotected).toEqual(['kube-system/coredns', 'llm/tei-embed', 'llm/tei-rerank', 'llm/vllm', 'monitoring/prometheus']);
    expect(coverage.workloads.slice(0, 5).map((entry) => entry.workload)).toEqual(unprotected);
    expect(coverage.workloads.find((entry) => entry.workload === 'data/postgres')?.ingressPolicies.map((ref) => ref.name)).toContain('default-deny');
    expect(coverage.namespaces.find((entry) => entry.namespace === 'llm')?.defaultDenyIngress).toEqual([]);
    expect(coverage.namespaces.find((entry) => entry.namespace === 'payments')?.defaultDenyEgress.map((ref) => ref.name)).toContain('default-deny');
  });

  it('explains an edge next to the observed verdicts and flags a mismatch', async () => {
    const denied = await explainPolicyFlow({ cluster: CLUSTER, src: 'chat/chat-ui', dst: 'payments/payments-db', port: 5432, protocol: 'TCP', range: '7d' }, { scope: FULL_SCOPE, sql, nowMs: NOW_MS });
    expect(denied.policy?.verdict).toBe('denied');
    expect(denied.policy?.ingress.text).toContain("NetworkPolicy 'payments/default-deny'");
    expect(denied.observedDeniedFlows).toBe(535);
    expect(denied.mismatch).toBeNull();
    // Observed allowed, but the current policies deny it: chat-ui is not allowed into rag-api on 9999 — fake the observation.
    const mismatch = await explainPolicyFlow({ cluster: CLUSTER, src: 'chat/rag-api', dst: 'data/postgres', port: 5432, protocol: 'TCP', range: '7d' }, { scope: FULL_SCOPE, sql, nowMs: NOW_MS });
    expect(mismatch.policy?.verdict).toBe('allowed');
    expect(mismatch.observedAllowedFlows).toBe(227);
    const external = await explainPolicyFlow({ cluster: CLUSTER, src: 'llm/vllm', dst: '18.239.50.80', port: 443, protocol: 'TCP', range: '7d' }, { scope: FULL_SCOPE, sql, nowMs: NOW_MS });
    expect(external.policy?.verdict).toBe('allowed');
    expect(external.observedAllowedFlows).toBe(26);
  });

  it('what-if: default deny on llm lists exactly the edges into and out of llm, reports the bad document, audits and stores', async () => {
    const actor = { id: '00000000-0000-4000-8000-000000000001', username: 'analyst-it', ip: '127.0.0.9' };
    const result = await runWhatIf(
      { cluster: CLUSTER, range: '7d', mode: 'merge', files: [{ name: 'llm.yaml', text: LLM_DEFAULT_DENY }], saveAs: 'llm lockdown' },
      { scope: FULL_SCOPE, sql, nowMs: NOW_MS, actor },
    );
    expect(result.changed.map((edge) => edge.edgeId).sort()).toEqual([
      'chat/rag-api->llm/tei-embed:80/TCP',
      'chat/rag-api->llm/tei-rerank:80/TCP',
      'chat/rag-api->llm/vllm:8000/TCP',
      'llm/vllm->18.239.50.80:443/TCP',
      'llm/vllm->kube-system/coredns:53/UDP',
      'monitoring/prometheus->llm/tei-embed:80/TCP',
      'monitoring/prometheus->llm/tei-rerank:80/TCP',
      'monitoring/prometheus->llm/vllm:8000/TCP',
    ]);
    expect(result.changed.every((edge) => edge.before.verdict === 'allowed' && edge.after.verdict === 'denied')).toBe(true);
    expect(result.errors).toEqual([expect.objectContaining({ file: 'llm.yaml', document: 2, field: expect.stringContaining('port') })]);
    expect(result.proposedPolicies).toEqual([{ kind: 'NetworkPolicy', namespace: 'llm', name: 'default-deny' }]);
    expect(result.rollup).toBe('1h');
    expect(result.proposalId).not.toBeNull();
    const [audit] = await sql<{ action: string; actor_name: string; target: string; ip: string }[]>`
      select action, actor_name, target, ip from audit_log where action = 'policy.upload' order by id desc limit 1`;
    expect(audit).toEqual({ action: 'policy.upload', actor_name: 'analyst-it', target: `${CLUSTER}/llm lockdown`, ip: '127.0.0.9' });
    const proposals = await listPolicyProposals({ cluster: CLUSTER }, { scope: FULL_SCOPE, sql });
    expect(proposals.proposals).toEqual([expect.objectContaining({ id: result.proposalId, name: 'llm lockdown', createdBy: 'analyst-it', policyCount: 1 })]);
  });

  it('recommends rag-api\'s least-privilege policy with evidence', async () => {
    const recommendation = await getPolicyRecommendation({ cluster: CLUSTER, workload: 'chat/rag-api', range: '7d' }, { scope: FULL_SCOPE, sql, nowMs: NOW_MS });
    expect(recommendation.recommendations).toHaveLength(1);
    const manifest = parse(recommendation.yaml) as { kind: string; spec: { podSelector: unknown; ingress: unknown[]; egress: unknown[] } };
    expect(manifest.kind).toBe('NetworkPolicy');
    expect(manifest.spec.podSelector).toEqual({ matchLabels: { app: 'rag-api' } });
    expect(manifest.spec.ingress).toHaveLength(2);
    expect(recommendation.recommendations[0]?.egress.find((rule) => rule.peer === 'vectordb/qdrant')?.flows).toBe(728);
    expect(recommendation.fileName).toMatch(/chat-rag-api-networkpolicy\.yaml$/);
  });

  it('applies the data scope: other namespaces are hidden, peers outside it are masked and left out of recommendations', async () => {
    const coverage = await getPolicyCoverage({ cluster: CLUSTER }, { scope: scopeOnly(['llm']), sql });
    expect(new Set(coverage.workloads.map((entry) => entry.namespace))).toEqual(new Set(['llm']));
    const result = await runWhatIf({ cluster: CLUSTER, range: '7d', mode: 'merge', files: [{ name: 'llm.yaml', text: LLM_DEFAULT_DENY }] }, { scope: scopeOnly(['llm']), sql, nowMs: NOW_MS });
    expect(result.changed.map((edge) => edge.source)).toContain('outside your scope');
    expect(JSON.stringify(result.changed)).not.toContain('rag-api');
    const recommendation = await getPolicyRecommendation({ cluster: CLUSTER, workload: 'llm/vllm', range: '7d' }, { scope: scopeOnly(['llm']), sql, nowMs: NOW_MS });
    expect(recommendation.yaml).not.toContain('rag-api');
    expect(recommendation.recommendations[0]?.excluded.some((entry) => entry.reason === 'peer-outside-scope')).toBe(true);
    await expect(getPolicyRecommendation({ cluster: CLUSTER, workload: 'chat/rag-api', range: '7d' }, { scope: scopeOnly(['llm']), sql, nowMs: NOW_MS })).rejects.toThrow(/scope/);
    await expect(getPolicyCoverage({ cluster: CLUSTER }, { scope: { clusterIds: [], namespaces: null }, sql })).rejects.toThrow(/No cluster/);
  });
});

/**
 * GenAI analysis against a real Postgres: an inventory snapshot and minute rollups seeded for one
 * cluster prove the "reads the PII database and sends to an external LLM API" finding, and a user scoped
 * to one namespace sees neither the finding nor the workloads outside that namespace.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createSql } from '@/lib/db/sql';

// `server-only` throws outside Next's server bundle; under vitest it is an empty module.
vi.mock('server-only', () => ({}));

const CLUSTER = 'it-genai';
let sql: Sql;
let clusterId: number;
const nowMs = Date.now();
const adminId = randomUUID();
const scopedId = randomUUID();

type Session = { id: string; user: { id: string; username: string; displayName: null; role: 'admin' | 'analyst' }; expiresAtMs: number };
const session = (id: string, role: 'admin' | 'analyst'): Session => ({ id: 'test', user: { id, username: `u-${id.slice(0, 8)}`, displayName: null, role }, expiresAtMs: nowMs + 3_600_000 });

const deployment = (namespace: string, name: string, image: string, port: number, env: string[] = [], kind = 'Deployment') => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image, ports: [{ containerPort: port }], env: env.map((variable) => ({ name: variable, value: 'x' })) }] },
    },
  },
});

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  sql = createSql(inject('databaseUrl'), { max: 2 });
  const [cluster] = await sql<{ id: number }[]>`insert into clusters (name) values (${CLUSTER}) returning id`;
  clusterId = cluster?.id ?? 0;
  await sql`insert into users (id, username, role, updated_at) values (${adminId}, ${`u-${adminId.slice(0, 8)}`}, 'admin', now())`;
  await sql`insert into users (id, username, role, scope_namespaces, updated_at) values (${scopedId}, ${`u-${scopedId.slice(0, 8)}`}, 'analyst', ${[`${CLUSTER}/llm`]}, now())`;
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'chat', labels: {} } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data', labels: { 'data-classification': 'pii' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm', labels: {} } },
    deployment('chat', 'rag-api', 'example.com/rag-api:1.0', 8000, ['OPENAI_API_KEY', 'QDRANT_URL']),
    deployment('data', 'postgres', 'postgres:16', 5432, [], 'StatefulSet'),
    deployment('llm', 'vllm', 'vllm/vllm-openai:v0.6.0', 8000),
  ];
  await sql`insert into inventory_snapshots (id, cluster_id, taken_at, objects, counts) values (${randomUUID()}, ${clusterId}, now(), ${sql.json(objects)}, ${sql.json({})})`;
  await sql`insert into endpoints (cluster_id, id, kind, namespace, name, workload_kind, domain) values
    (${clusterId}, 1, 'workload', 'chat', 'rag-api', 'Deployment', null),
    (${clusterId}, 2, 'workload', 'data', 'postgres', 'StatefulSet', null),
    (${clusterId}, 3, 'workload', 'llm', 'vllm', 'Deployment', null),
    (${clusterId}, 4, 'external', null, 'api.openai.com', null, 'api.openai.com')`;
  const bucket = new Date(Math.floor((nowMs - 10 * 60_000) / 60_000) * 60_000);
  await sql`select flowlens_ensure_day_partitions(${bucket.toISOString().slice(0, 10)}::date)`;
  const row = (src: number, dst: number, port: number, policyKey: string) =>
    sql`insert into edge_rollup_1m (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
          flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
        values (${clusterId}, ${bucket}, ${src}, ${dst}, ${port}, 'TCP', 'allowed', ${policyKey}, '', 10, 10, 5000, 5000, 10, 10, ${bucket})`;
  await row(1, 2, 5432, 'NetworkPolicy||data|allow-rag-api|allow|0');
  await row(1, 4, 443, '');
  await row(1, 3, 8000, '');
});

afterAll(async () => {
  await sql?.end();
});

describe('analyseGenAi', () => {
  it('raises "rag-api reads the PII database and sends to api.openai.com" with its path and the allowing policy', async () => {
    const { getGenAiFindings } = await import('./get-genai-findings');
    const { getGenAiPaths } = await import('./get-genai-paths');
    const query = { clusters: [CLUSTER], fromMs: nowMs - 3_600_000, toMs: nowMs, severity: [], kind: [] };
    const findings = await getGenAiFindings(session(adminId, 'admin') as never, query, { sql, nowMs });
    const finding = findings.findings.find((entry) => entry.kind === 'sensitive-data-to-external-llm');
    expect(finding?.title).toMatch(/rag-api reads the PII database data\/postgres and sends to api\.openai\.com/);
    expect(finding?.severity).toBe('critical');
    expect(finding?.path).toEqual([`${CLUSTER}/data/workload/postgres`, `${CLUSTER}/chat/workload/rag-api`, `${CLUSTER}/-/external/api.openai.com`]);
    expect(finding?.graphHref).toContain('highlight=');
    const paths = await getGenAiPaths(session(adminId, 'admin') as never, query, { sql, nowMs });
    const toStore = paths.paths.find((path) => path.targetNodeId === `${CLUSTER}/data/workload/postgres`);
    expect(toStore?.hops.at(-1)?.policies).toEqual(['NetworkPolicy data/allow-rag-api']);
    const toApi = paths.paths.find((path) => path.target === 'external-llm-api');
    expect(toApi?.hops.at(-1)?.policies).toEqual([]);
  });

  it('applies the data scope: a user scoped to namespace llm sees neither the PII finding nor other namespaces', async () => {
    const { getGenAiFindings } = await import('./get-genai-findings');
    const { getGenAiComponents } = await import('./get-genai-components');
    const { getGenAiOverlay } = await import('./get-genai-overlay');
    const scoped = session(scopedId, 'analyst') as never;
    const query = { clusters: [], fromMs: nowMs - 3_600_000, toMs: nowMs };
    const findings = await getGenAiFindings(scoped, { ...query, severity: [], kind: [] }, { sql, nowMs });
    expect(findings.findings.filter((entry) => entry.kind === 'sensitive-data-to-external-llm')).toEqual([]);
    const components = await getGenAiComponents(scoped, query, { sql, nowMs });
    const ids = components.components.map((component) => component.id);
    expect(ids).toContain(`${CLUSTER}/llm/workload/vllm`);
    expect(ids.some((id) => id.includes('/chat/') || id.includes('/data/'))).toBe(false);
    const overlay = await getGenAiOverlay(scoped, query, { sql, nowMs });
    expect(Object.keys(overlay.roles).some((id) => id.includes('/chat/') || id.includes('/data/'))).toBe(false);
    // The hidden caller of vllm is drawn as "outside your scope", never by name.
    expect(JSON.stringify(overlay)).not.toContain('rag-api');
  });

  it('answers 404 for a cluster outside the scope', async () => {
    const { getGenAiComponents } = await import('./get-genai-components');
    await sql`update users set scope_clusters = ${['elsewhere']}, scope_namespaces = ${[]} where id = ${scopedId}`;
    await expect(getGenAiComponents(session(scopedId, 'analyst') as never, { clusters: [CLUSTER], fromMs: nowMs - 3_600_000, toMs: nowMs }, { sql, nowMs })).rejects.toMatchObject({ code: 'not_found' });
  });
});

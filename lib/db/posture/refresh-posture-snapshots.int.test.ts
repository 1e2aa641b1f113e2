/**
 * The posture job's backfill on 30 days of seeded rollups (real Postgres): one snapshot per day with
 * rollups, shaped by the data — coverage rises the day a default-deny policy appears in the
 * inventory, the score drops on the three days denied flows spike — and a second run is idempotent.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createSql } from '../sql';
import { DAY_MS, dayText } from './compute-day-snapshot';
import { refreshPostureSnapshots } from './refresh-posture-snapshots';

const TODAY_MS = Date.UTC(2026, 10, 20);
const NOW_MS = TODAY_MS + 10 * 3_600_000;
const DAYS = 30;
const POLICY_DAY = 15; // day index (0 = oldest) from which llm has a default deny
const SPIKE_FROM = 27; // the last three days see many denied flows

let sql: Sql;
let clusterId: number;
const clusterName = `posture-it-${Date.now().toString(36)}`;

function deployment(namespace: string, name: string, image: string, labels: Record<string, string> = {}) {
  const podLabels = { app: name, ...labels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace, name, labels: podLabels },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: podLabels }, spec: { containers: [{ name, image, ports: [{ containerPort: 8000 }] }] } } },
  };
}
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
const defaultDeny = (ns: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: ns, name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });

function objects(withLlmPolicy: boolean): unknown[] {
  return [
    namespace('llm'),
    namespace('data'),
    namespace('chat'),
    deployment('llm', 'vllm', 'vllm/vllm-openai:v0.6.0'),
    deployment('llm', 'tei-embed', 'ghcr.io/huggingface/text-embeddings-inference:1.5'),
    deployment('data', 'postgres', 'postgres:16', { 'data-classification': 'pii' }),
    deployment('chat', 'rag-api', 'registry.example/rag-api:1.0'),
    defaultDeny('data'),
    ...(withLlmPolicy ? [defaultDeny('llm')] : []),
  ];
}

const ENDPOINTS = [
  { id: '101', kind: 'workload', namespace: 'chat', name: 'rag-api', domain: null },
  { id: '102', kind: 'workload', namespace: 'llm', name: 'vllm', domain: null },
  { id: '103', kind: 'workload', namespace: 'data', name: 'postgres', domain: null },
  { id: '104', kind: 'external', namespace: null, name: 'api.openai.com', domain: 'api.openai.com' },
  { id: '105', kind: 'workload', namespace: 'chat', name: 'chat-ui', domain: null },
];

beforeAll(async () => {
  sql = createSql(inject('databaseUrl'), { max: 4 });
  const [cluster] = await sql<{ id: number }[]>`insert into clusters (name) values (${clusterName}) returning id`;
  clusterId = (cluster as { id: number }).id;
  for (const endpoint of ENDPOINTS) {
    await sql`insert into endpoints (cluster_id, id, kind, namespace, name, domain) values (${clusterId}, ${endpoint.id}, ${endpoint.kind}, ${endpoint.namespace}, ${endpoint.name}, ${endpoint.domain})`;
  }
  const firstDayMs = TODAY_MS - DAYS * DAY_MS;
  for (const [takenAtMs, withPolicy] of [
    [firstDayMs, false],
    [firstDayMs + POLICY_DAY * DAY_MS + 3_600_000, true],
  ] as const) {
    await sql`insert into inventory_snapshots (id, cluster_id, taken_at, objects, counts)
              values (gen_random_uuid(), ${clusterId}, ${new Date(takenAtMs)}, ${sql.json(objects(withPolicy) as never)}, ${sql.json({})})`;
  }
  const rows: Record<string, unknown>[] = [];
  for (let day = 0; day < DAYS; day++) {
    const dayMs = firstDayMs + day * DAY_MS;
    await sql`select flowlens_ensure_day_partitions(${dayText(dayMs)}::date)`;
    const bucket = new Date(dayMs);
    const row = (src: string, dst: string, port: number, verdict: string, policyKey: string, flows: number) => ({
      cluster_id: clusterId, bucket, src_id: src, dst_id: dst, dst_port: port, protocol: 'TCP', verdict, policy_key: policyKey, pending_verdict: '',
      flows, connections: flows, bytes_out: flows * 1000, bytes_in: flows * 100, packets_out: flows, packets_in: flows, last_seen: bucket,
    });
    rows.push(
      row('101', '103', 5432, 'allowed', 'NetworkPolicy||data|allow-rag|allow|0', 100),
      row('101', '102', 8000, 'allowed', '', 100),
      row('101', '104', 443, 'allowed', '', 10),
      row('105', '103', 5432, 'denied', 'NetworkPolicy||data|default-deny|deny|-1', day >= SPIKE_FROM ? 500 : 5),
    );
  }
  // Each row's bucket is its day's start, so the same rows are the hourly and the daily rollup (as the
  // compactor would have written them).
  await sql`insert into edge_rollup_1h ${sql(rows as never[])}`;
  await sql`insert into edge_rollup_1d ${sql(rows as never[])}`;
});

afterAll(async () => {
  await sql?.end();
});

describe('refreshPostureSnapshots', () => {
  it('backfills one snapshot per day whose shape follows the data, then only refreshes what is stale', async () => {
    const first = await refreshPostureSnapshots(sql, { nowMs: NOW_MS, clusterIds: [clusterId] });
    expect(first.ran).toBe(true);
    expect(first.computed).toHaveLength(DAYS);

    const snapshots = await sql<{ day: string; score: number; coveragePct: number | null; deniedFlows: number; findings: { counts: Record<string, number>; items: { kind: string }[] }; components: { version: number; posture: { risks: { namespace: string; action: { text: string } }[] } } }[]>`
      select to_char(day, 'YYYY-MM-DD') as day, score, coverage_pct as "coveragePct", denied_flows::float8 as "deniedFlows", findings, components
      from posture_snapshots where cluster_id = ${clusterId} order by day`;
    expect(snapshots.map((snapshot) => snapshot.day)).toEqual(Array.from({ length: DAYS }, (_, day) => dayText(TODAY_MS - (DAYS - day) * DAY_MS)));
    expect(snapshots.map((snapshot) => snapshot.deniedFlows)).toEqual(Array.from({ length: DAYS }, (_, day) => (day >= SPIKE_FROM ? 500 : 5)));

    // Coverage steps up the day llm gets its default deny (the inventory in force that day).
    const coverage = snapshots.map((snapshot) => snapshot.coveragePct as number);
    expect(new Set(coverage.slice(0, POLICY_DAY)).size).toBe(1);
    expect(new Set(coverage.slice(POLICY_DAY)).size).toBe(1);
    expect(coverage[POLICY_DAY]).toBeGreaterThan(coverage[0] as number);
    const scores = snapshots.map((snapshot) => snapshot.score);
    expect(scores[POLICY_DAY]).toBeGreaterThan(scores[0] as number);
    // The denied spike costs score on its first day against the baseline of the quiet days before.
    expect(scores[SPIKE_FROM]).toBeLessThan(scores[SPIKE_FROM - 1] as number);

    // Before the policy, llm is a top risk with the default-deny action; the PII → external LLM finding is open.
    const before = snapshots[0]?.components.posture.risks ?? [];
    expect(before.find((risk) => risk.namespace === 'llm')?.action.text).toMatch(/^add a default-deny policy to `llm`: covers 2 workloads/);
    expect(snapshots[0]?.findings.items.map((item) => item.kind)).toContain('sensitive-data-to-external-llm');

    const second = await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 60_000, clusterIds: [clusterId] });
    expect(second.computed).toEqual([]); // every past day settled; today has no rollups
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from posture_snapshots where cluster_id = ${clusterId}`;
    expect(count?.n).toBe(DAYS);
  });

  it('recomputes a settled day when late flows land in it (a backfill, an agent catching up)', async () => {
    const lateDayMs = TODAY_MS - 5 * DAY_MS;
    const bucket = new Date(lateDayMs);
    // Through the daily view, which is what the job compares against the count each snapshot saw.
    await sql`insert into edge_rollup_1d ${sql([{ cluster_id: clusterId, bucket, src_id: '105', dst_id: '103', dst_port: 5432, protocol: 'TCP', verdict: 'denied', policy_key: 'NetworkPolicy||data|default-deny|deny|-1', pending_verdict: '', flows: 7, connections: 7, bytes_out: 0, bytes_in: 0, packets_out: 7, packets_in: 0, last_seen: bucket }] as never[])}`;
    const late = await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 120_000, clusterIds: [clusterId] });
    expect(late.computed).toEqual([`${clusterName}/${dayText(lateDayMs)}`]);
    const again = await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 180_000, clusterIds: [clusterId] });
    expect(again.computed).toEqual([]);
  });

  it('recomputes every day when the GenAI rules change, so the trend compares like with like', async () => {
    const scoreOf = async (dayMs: number) =>
      (await sql<{ score: number; method: string }[]>`
        select score, components->>'method' as method from posture_snapshots where cluster_id = ${clusterId} and day = ${dayText(dayMs)}::date`)[0];
    const firstDayMs = TODAY_MS - DAYS * DAY_MS;
    const before = await scoreOf(firstDayMs);
    // The admin turns off the default rule that makes api.openai.com an external LLM API: the critical
    // PII → external LLM finding goes away on every day.
    const rules = [{ kind: 'role', id: 'domain-openai', role: 'external-llm-api', confidence: 0.95, match: [{ kind: 'domain', pattern: 'api.openai.com' }], enabled: false }];
    await sql`insert into genai_rule_sets (id, rules) values ('default', ${sql.json(rules as never)})`;
    try {
      const refreshed = await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 200_000, clusterIds: [clusterId] });
      expect(refreshed.computed).toHaveLength(DAYS);
      const after = await scoreOf(firstDayMs);
      expect(after?.method).not.toBe(before?.method);
      expect(after?.score).toBeGreaterThan(before?.score as number);
      expect((await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 210_000, clusterIds: [clusterId] })).computed).toEqual([]);
    } finally {
      await sql`delete from genai_rule_sets where id = 'default'`;
    }
    // Back to the default rules: recomputed once more.
    expect((await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 220_000, clusterIds: [clusterId] })).computed).toHaveLength(DAYS);
    expect((await scoreOf(firstDayMs))?.score).toBe(before?.score);
  });

  it('counts the flows of batches not yet folded into the rollup stores (it folds them first)', async () => {
    const dayMs = TODAY_MS - 3 * DAY_MS; // a spike day: 500 denied flows in the seeded rollups
    const [batch] = await sql<{ id: string }[]>`select nextval('ingest_batches_id_seq')::text as id`;
    const start = new Date(dayMs + 7_200_000);
    for (let n = 0; n < 3; n++) {
      await sql`insert into flows (cluster_id, start_time, end_time, src_id, dst_id, protocol, dst_port, verdict, counted, reporter, policy_key, format, batch_id)
                values (${clusterId}, ${start}, ${start}, 105, 103, 'TCP', 5432, 'denied', true, 'dst', 'NetworkPolicy||data|default-deny|deny|-1', 'native', ${batch?.id ?? '0'})`;
    }
    await sql`insert into rollup_pending_batches (batch_id, cluster_id, first_start, last_start) values (${batch?.id ?? '0'}, ${clusterId}, ${start}, ${start})`;

    const refreshed = await refreshPostureSnapshots(sql, { nowMs: NOW_MS + 240_000, clusterIds: [clusterId] });
    expect(refreshed.computed).toEqual([`${clusterName}/${dayText(dayMs)}`]);
    const [snapshot] = await sql<{ deniedFlows: number }[]>`
      select denied_flows::float8 as "deniedFlows" from posture_snapshots where cluster_id = ${clusterId} and day = ${dayText(dayMs)}::date`;
    expect(snapshot?.deniedFlows).toBe(503);
    const [pending] = await sql<{ n: number }[]>`select count(*)::int as n from rollup_pending_batches where batch_id = ${batch?.id ?? '0'}`;
    expect(pending?.n).toBe(0);
  });
});

/**
 * The graph query against a real Postgres: endpoints, the four rollup stores (written straight into
 * `edge_rollup_*_store`, as the compactor leaves them) and an inventory snapshot for one cluster. Checks
 * the levels (workload, namespace, an expanded namespace), the overlays (denied, allowed with no policy,
 * unprotected), which rollup answers each window, pods folding into their workload, the namespace filter,
 * and that the user's data scope filters and masks.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createSql } from '@/lib/db/sql';
import { graphRequestSchema } from '@/lib/api/graph';
import type { DataScope } from '@/lib/server/auth/data-scope';

// `server-only` throws outside Next's server bundle; under vitest it is an empty module.
vi.mock('server-only', () => ({}));

const CLUSTER = 'it-graph';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Noon UTC today: the 1h window, the day's hours and the week's days all have buckets before it.
const nowMs = Math.floor(Date.now() / DAY_MS) * DAY_MS + 12 * HOUR_MS;
let sql: Sql;
let clusterId: number;

const deployment = (namespace: string, name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `example.com/${name}:1` }] } } },
});

const DENY = 'NetworkPolicy||data|default-deny|deny|-1';

beforeAll(async () => {
  sql = createSql(inject('databaseUrl'), { max: 2 });
  const [cluster] = await sql<{ id: number }[]>`insert into clusters (name) values (${CLUSTER}) returning id`;
  clusterId = cluster?.id ?? 0;
  const objects = [
    ...['chat', 'data', 'llm'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: {} } })),
    deployment('chat', 'chat-ui'),
    deployment('chat', 'rag-api'),
    deployment('data', 'postgres'),
    deployment('llm', 'vllm'),
    // data is default-deny; chat and llm have no policy at all.
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'data' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  ];
  await sql`insert into inventory_snapshots (id, cluster_id, taken_at, objects, counts) values (${randomUUID()}, ${clusterId}, ${new Date(nowMs - DAY_MS)}, ${sql.json(objects)}, ${sql.json({})})`;
  await sql`insert into endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, domain) values
    (${clusterId}, 1, 'workload', 'chat', 'chat-ui', 'Deployment', 'chat-ui-7d9f-abcde', '10.0.0.1', null),
    (${clusterId}, 2, 'workload', 'chat', 'rag-api', 'Deployment', 'rag-api-5c6b-fghij', '10.0.0.2', null),
    (${clusterId}, 3, 'workload', 'data', 'postgres', 'Deployment', 'postgres-0', '10.0.1.1', null),
    (${clusterId}, 4, 'workload', 'llm', 'vllm', 'Deployment', 'vllm-0', '10.0.2.1', null),
    (${clusterId}, 5, 'external', null, 'pub', null, null, '203.0.113.66', null)`;
  for (let day = 8; day >= 0; day -= 1) {
    await sql`select flowlens_ensure_day_partitions(${new Date(nowMs - day * DAY_MS).toISOString().slice(0, 10)}::date)`;
  }
  // src, dst, port, verdict, policy key, flows
  const edges: [number, number, number, 'allowed' | 'denied', string, number][] = [
    [1, 2, 8000, 'allowed', '', 10],
    [2, 4, 8000, 'allowed', '', 20],
    [1, 3, 5432, 'denied', DENY, 3],
    [1, 5, 443, 'allowed', '', 1],
  ];
  const insert = async (table: string, bucketMs: number, scale: number) => {
    for (const [src, dst, port, verdict, policyKey, flows] of edges) {
      await sql`insert into ${sql(table)} (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
                  flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
                values (${clusterId}, ${new Date(bucketMs)}, ${src}, ${dst}, ${port}, 'TCP', ${verdict}, ${policyKey}, '',
                  ${flows * scale}, ${flows * scale}, ${flows * scale * 100}, ${flows * scale * 200}, ${flows * scale}, ${flows * scale}, ${new Date(bucketMs + 30_000)})`;
    }
  };
  await insert('edge_rollup_1m_store', nowMs - 10 * 60_000, 1);
  await insert('edge_rollup_1h_store', nowMs - HOUR_MS, 1); // 11:00, holding 11:50: the 1 h window ending now
  await insert('edge_rollup_1h_store', nowMs - 14 * HOUR_MS, 10); // yesterday 22:00
  await insert('edge_rollup_6h_store', nowMs - 18 * HOUR_MS, 10); // yesterday 18:00, holding 22:00: the 24 h window's quarter-day part
  await insert('edge_rollup_1d_store', Math.floor((nowMs - 3 * DAY_MS) / DAY_MS) * DAY_MS, 100);
});

afterAll(async () => {
  await sql?.end();
});

async function graphFor(query: Record<string, string>, scope?: DataScope) {
  const { getGraph } = await import('./get-graph');
  return getGraph(graphRequestSchema.parse({ cluster: CLUSTER, ...query }), { sql, nowMs, ...(scope ? { scope } : {}) });
}

const id = (namespace: string, kind: string, name: string) => `${CLUSTER}/${namespace}/${kind}/${name}`;

describe('getGraph', () => {
  it('draws workloads with the denied, no-policy and unprotected overlays (1 h: minute resolution)', async () => {
    const result = await graphFor({ range: '1h', level: 'workload' });
    expect(result.rollup).toBe('1m');
    const nodes = new Map(result.graph.nodes.map((node) => [node.id, node]));
    expect([...nodes.keys()].sort()).toEqual(
      [id('chat', 'workload', 'chat-ui'), id('chat', 'workload', 'rag-api'), id('data', 'workload', 'postgres'), id('llm', 'workload', 'vllm'), id('-', 'external', 'internet')].sort(),
    );
    expect(nodes.get(id('llm', 'workload', 'vllm'))?.unprotected).toBe(true);
    expect(nodes.get(id('data', 'workload', 'postgres'))?.unprotected).toBe(false);
    const edges = new Map(result.graph.edges.map((edge) => [edge.id, edge]));
    const denied = edges.get(`${id('chat', 'workload', 'chat-ui')}->${id('data', 'workload', 'postgres')}:*/*`);
    expect(denied?.overlays).toMatchObject({ denied: true, deniedOnly: true });
    expect(denied?.deniedFlows).toBe(3);
    expect(denied?.policies[0]?.hit).toMatchObject({ kind: 'NetworkPolicy', namespace: 'data', name: 'default-deny', action: 'deny' });
    const noPolicy = edges.get(`${id('chat', 'workload', 'rag-api')}->${id('llm', 'workload', 'vllm')}:*/*`);
    expect(noPolicy?.overlays.allowedNoPolicy).toBe(true);
    // Pods and workload IPs fold away unless pods are drawn.
    expect(nodes.get(id('chat', 'workload', 'chat-ui'))?.members.every((member) => member.ip === null)).toBe(true);
    // 11:45 → 11:55, ended: the minute rollup only.
    const minutes = await graphFor({ range: 'custom', from: new Date(nowMs - 15 * 60_000).toISOString(), to: new Date(nowMs - 5 * 60_000).toISOString(), level: 'workload' });
    expect(minutes.graph.edges.find((edge) => edge.id === `${id('chat', 'workload', 'chat-ui')}->${id('data', 'workload', 'postgres')}:*/*`)?.deniedFlows).toBe(3);
  });

  it('collapses to namespaces and expands one on request', async () => {
    const collapsed = await graphFor({ range: '1h', level: 'namespace' });
    const chat = collapsed.graph.nodes.find((node) => node.id === id('chat', 'namespace', 'chat'));
    expect(chat?.workloadCount).toBe(2);
    expect(collapsed.graph.nodes.find((node) => node.id === id('llm', 'namespace', 'llm'))?.unprotected).toBe(true);
    expect(collapsed.graph.edges.map((edge) => edge.id)).toContain(`${id('chat', 'namespace', 'chat')}->${id('data', 'namespace', 'data')}:*/*`);

    const expanded = await graphFor({ range: '1h', level: 'namespace', expand: `${CLUSTER}/chat` });
    const ids = expanded.graph.nodes.map((node) => node.id);
    expect(ids).toContain(id('chat', 'workload', 'chat-ui'));
    expect(ids).toContain(id('data', 'namespace', 'data'));
    expect(ids).not.toContain(id('chat', 'namespace', 'chat'));
  });

  it('reads the hour and 6-hour rollups beyond 6 hours and the daily rollup from 3 days', async () => {
    const day = await graphFor({ range: '24h', level: 'workload' });
    expect(day.rollup).toBe('1h');
    const week = await graphFor({ range: '7d', level: 'workload' });
    expect(week.rollup).toBe('1d');
    const deniedId = `${id('chat', 'workload', 'chat-ui')}->${id('data', 'workload', 'postgres')}:*/*`;
    expect(day.graph.edges.find((edge) => edge.id === deniedId)?.flows).toBe(30);
    expect(week.graph.edges.find((edge) => edge.id === deniedId)?.flows).toBe(300);
    // Yesterday 20:00 → today 10:00 (in the past): hours until 00:00, so the 22:00 hour, not its quarter day.
    const hours = await graphFor({ range: 'custom', from: new Date(nowMs - 16 * HOUR_MS).toISOString(), to: new Date(nowMs - 2 * HOUR_MS).toISOString(), level: 'workload' });
    expect(hours.graph.edges.find((edge) => edge.id === deniedId)?.flows).toBe(30);
  });

  it('folds the pods of a workload into one node and merges their rows, unless pods are drawn; filters by namespace', async () => {
    const cluster = 'it-graph-pods';
    const [row] = await sql<{ id: number }[]>`insert into clusters (name) values (${cluster}) returning id`;
    const podsClusterId = row?.id ?? 0;
    await sql`insert into endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, domain) values
      (${podsClusterId}, 11, 'workload', 'web', 'frontend', 'Deployment', 'frontend-a', '10.1.0.1', null),
      (${podsClusterId}, 12, 'workload', 'web', 'frontend', 'Deployment', 'frontend-b', '10.1.0.2', null),
      (${podsClusterId}, 21, 'workload', 'api', 'orders', 'Deployment', 'orders-a', '10.1.1.1', null),
      (${podsClusterId}, 22, 'workload', 'api', 'orders', 'Deployment', 'orders-b', '10.1.1.2', null)`;
    // Every pod pair, flows 1, 2, 4 and 8, in two minutes: 8 minute rows, one workload pair. Written to every
    // rollup as the compactor folds them (through the views, whose insert trigger adds to what is there).
    const pairs: [number, number][] = [[11, 21], [11, 22], [12, 21], [12, 22]];
    const levels: [string, number][] = [['edge_rollup_1m', 60_000], ['edge_rollup_1h', HOUR_MS], ['edge_rollup_6h', 6 * HOUR_MS], ['edge_rollup_1d', DAY_MS]];
    for (const [index, [src, dst]] of pairs.entries()) {
      for (const minute of [10, 20]) {
        const atMs = nowMs - minute * 60_000;
        for (const [view, bucketMs] of levels) {
          await sql`insert into ${sql(view)} (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
                      flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
                    values (${podsClusterId}, ${new Date(Math.floor(atMs / bucketMs) * bucketMs)}, ${src}, ${dst}, 8080, 'TCP', 'allowed', '', '',
                      ${2 ** index}, 1, 100, 200, 1, 1, ${new Date(atMs + index * 1000)})`;
        }
      }
    }
    const podsId = (namespace: string, kind: string, name: string) => `${cluster}/${namespace}/${kind}/${name}`;
    const workloads = await graphFor({ range: '1h', level: 'workload', cluster });
    expect(workloads.rowCount).toBe(1);
    expect(workloads.graph.edges).toHaveLength(1);
    expect(workloads.graph.edges[0]).toMatchObject({ id: `${podsId('web', 'workload', 'frontend')}->${podsId('api', 'workload', 'orders')}:*/*`, flows: 30, connections: 8, bytesOut: 800, lastSeenMs: nowMs - 10 * 60_000 + 3000 });
    expect(workloads.graph.nodes.map((node) => node.memberCount)).toEqual([0, 0]); // pod names and workload IPs fold away

    const pods = await graphFor({ range: '1h', level: 'pod', cluster });
    expect(pods.rowCount).toBe(4);
    expect(pods.graph.edges.map((edge) => [edge.id, edge.flows])).toContainEqual([`${podsId('web', 'pod', 'frontend-b')}->${podsId('api', 'pod', 'orders-a')}:*/*`, 8]);

    expect((await graphFor({ range: '1h', level: 'workload', cluster, ns: 'api' })).graph.edges).toHaveLength(1);
    expect((await graphFor({ range: '1h', level: 'workload', cluster, ns: 'chat' })).graph.edges).toHaveLength(0);
  });

  it('applies the data scope: other namespaces become "outside your scope", other clusters disappear', async () => {
    const scoped = await graphFor({ range: '1h', level: 'workload' }, { clusterIds: [clusterId], namespaces: new Map([[clusterId, new Set(['chat'])]]) });
    const ids = scoped.graph.nodes.map((node) => node.id);
    expect(ids).toContain(id('chat', 'workload', 'chat-ui'));
    expect(ids).not.toContain(id('data', 'workload', 'postgres'));
    expect(ids).not.toContain(id('llm', 'workload', 'vllm'));
    expect(scoped.graph.nodes.some((node) => node.label === 'outside your scope')).toBe(true);
    expect(scoped.namespaces).toEqual(['chat']);

    const otherCluster = await graphFor({ range: '1h', level: 'workload', cluster: '' }, { clusterIds: [], namespaces: null });
    expect(otherCluster.graph.nodes).toHaveLength(0);
    expect(otherCluster.clusters).toHaveLength(0);
  });
});

/**
 * Rollups stay exact while batches are pending: right after a batch commits, the edge_rollup_* views
 * already count its flows (aggregated from the flow rows); after compaction the stores hold exactly
 * the rows the views showed and no batch is left pending.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { makeFlow } from '../../core/testing';
import { ensureCluster } from '../../lib/db/collector-tokens';
import { createSql } from '../../lib/db/sql';
import { FlowWriter } from './flow-writer';
import { RollupCompactor } from './rollup-compactor';

let sql: Sql;
beforeAll(() => {
  sql = createSql(inject('databaseUrl'), { max: 4 });
});
afterAll(async () => {
  await sql.end();
});

/** `count` flows one second apart from `baseMs`, over `ports` destination ports, every `deniedEvery`-th denied. */
function flowsEverySecond(clusterId: string, baseMs: number, count: number, options: { ports: number; deniedEvery: number; bytesOut: number }) {
  return Array.from({ length: count }, (_, index) =>
    makeFlow({
      clusterId,
      startMs: baseMs + index * 1000,
      endMs: baseMs + index * 1000 + 500,
      destinationPort: 8000 + (index % options.ports),
      verdict: index % options.deniedEvery === 0 ? 'denied' : 'allowed',
      bytesOut: options.bytesOut,
      connections: 1,
    }),
  );
}

describe('edge rollups', () => {
  it('count a batch at commit, and keep the same totals after compaction in 1m, 1h, 6h and 1d', async () => {
    const clusterName = `rollup-${Date.now().toString(36)}`;
    const clusterDbId = await ensureCluster(sql, clusterName);
    const writer = new FlowWriter(sql, { concurrency: 2, maxGroupFlows: 1000 });
    const baseMs = Date.UTC(2026, 10, 25, 10, 59, 30);
    const flows = flowsEverySecond(clusterName, baseMs, 300, { ports: 3, deniedEvery: 10, bytesOut: 100 }); // crosses a minute, an hour boundary (11:00)
    // The source's report of a connection the destination reports too: its row stays (its policy was
    // seen), but it adds nothing to the totals. And a flow without a port (ICMP) rolls up on port -1.
    const secondReport = makeFlow({
      clusterId: clusterName, startMs: baseMs + 5000, endMs: baseMs + 90_000, reporter: 'source', bytesOut: 7, destination: { name: 'reported-twice' },
    });
    const icmp = makeFlow({ clusterId: clusterName, startMs: baseMs + 6000, endMs: baseMs + 6500, protocol: 'ICMP', destinationPort: undefined, bytesOut: 0, connections: 1 });
    await Promise.all(
      [0, 100, 200].map((offset) =>
        writer.writeBatch({ clusterDbId, origin: 'test', format: 'native', flows: flows.slice(offset, offset + 100).map((flow) => ({ flow })), errors: [] }),
      ),
    );
    await writer.writeBatch({ clusterDbId, origin: 'test', format: 'native', flows: [{ flow: secondReport }, { flow: icmp }], errors: [] });
    const totals = async (view: string) => {
      const [row] = await sql<{ flows: number; bytes: number; denied: number }[]>`
        select coalesce(sum(flows), 0)::int as flows, coalesce(sum(bytes_out), 0)::int as bytes,
               coalesce(sum(flows) filter (where verdict = 'denied'), 0)::int as denied
        from ${sql(view)} where cluster_id = ${clusterDbId}`;
      return row;
    };
    const expected = { flows: 301, bytes: 30_000, denied: 30 };
    for (const view of ['edge_rollup_1m', 'edge_rollup_1h', 'edge_rollup_6h', 'edge_rollup_1d']) expect(await totals(view)).toEqual(expected);
    // Readers sum a view's rows per key (a key can have a stored row and a pending one).
    const viewRows = async (view: string) =>
      sql`select bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict, sum(flows)::int as flows,
                 sum(connections)::int as connections, sum(bytes_out)::int as bytes_out, sum(bytes_in)::int as bytes_in,
                 sum(packets_out)::int as packets_out, sum(packets_in)::int as packets_in, max(last_seen) as last_seen
          from ${sql(view)} where cluster_id = ${clusterDbId}
          group by bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict
          order by bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict`;
    const before = { m: await viewRows('edge_rollup_1m'), h: await viewRows('edge_rollup_1h'), q: await viewRows('edge_rollup_6h'), d: await viewRows('edge_rollup_1d') };
    const [uncounted] = await sql<{ flows: number; lastSeen: Date }[]>`
      select flows::int, last_seen as "lastSeen" from edge_rollup_1m
      where cluster_id = ${clusterDbId} and dst_id = (select dst_id from flows where cluster_id = ${clusterDbId} and reporter = 'source')`;
    expect(uncounted).toEqual({ flows: 0, lastSeen: new Date(baseMs + 90_000) });
    const [noPort] = await sql<{ port: number }[]>`select dst_port as port from edge_rollup_1m where cluster_id = ${clusterDbId} and protocol = 'ICMP'`;
    expect(noPort?.port).toBe(-1);

    const compactor = new RollupCompactor(sql, 60_000, () => {});
    expect(await compactor.compactOnce()).toBeGreaterThan(0);
    const [pending] = await sql<{ count: number }[]>`select count(*)::int as count from rollup_pending_batches where cluster_id = ${clusterDbId}`;
    expect(pending?.count).toBe(0);
    expect({ m: await viewRows('edge_rollup_1m'), h: await viewRows('edge_rollup_1h'), q: await viewRows('edge_rollup_6h'), d: await viewRows('edge_rollup_1d') }).toEqual(before);
    expect((await viewRows('edge_rollup_1m_store')).length).toBe(before.m.length);
    const hours = await sql<{ bucket: Date; flows: number }[]>`
      select bucket, sum(flows)::int as flows from edge_rollup_1h_store where cluster_id = ${clusterDbId} group by bucket order by bucket`;
    expect(hours.map((row) => [row.bucket.toISOString(), row.flows])).toEqual([
      ['2026-11-25T10:00:00.000Z', 31],
      ['2026-11-25T11:00:00.000Z', 270],
    ]);
    const [minutes] = await sql<{ count: number }[]>`
      select count(distinct bucket)::int as count from edge_rollup_1m_store where cluster_id = ${clusterDbId}`;
    expect(minutes?.count).toBe(6);
  });

  // NOTE: the graph reads the 6-hour rollup for windows between 6 hours and 3 days (migration
  // 20261128000200_rollups_from_flows, flowlens_rollup_levels); a later migration that redefines
  // flowlens_compact_rollups or flowlens_ensure_day_partitions must keep it, or the 24 h graph loses rows.
  it('fold into 6-hour buckets starting at 00, 06, 12 and 18 UTC with the totals of the other rollups', async () => {
    const clusterName = `quarter-${Date.now().toString(36)}`;
    const clusterDbId = await ensureCluster(sql, clusterName);
    const writer = new FlowWriter(sql, { concurrency: 1, maxGroupFlows: 1000 });
    const baseMs = Date.UTC(2026, 10, 26, 5, 58, 0);
    const flows = flowsEverySecond(clusterName, baseMs, 240, { ports: 2, deniedEvery: 8, bytesOut: 10 }); // 05:58:00 → 06:01:59: two quarter days
    await writer.writeBatch({ clusterDbId, origin: 'test', format: 'native', flows: flows.slice(0, 150).map((flow) => ({ flow })), errors: [] });
    await writer.writeBatch({ clusterDbId, origin: 'test', format: 'native', flows: flows.slice(150).map((flow) => ({ flow })), errors: [] });

    const quarters = async (table: string) =>
      (
        await sql<{ bucket: Date; flows: number; denied: number; bytes: number }[]>`
          select bucket, sum(flows)::int as flows, (sum(flows) filter (where verdict = 'denied'))::int as denied, sum(bytes_out)::int as bytes
          from ${sql(table)} where cluster_id = ${clusterDbId} group by bucket order by bucket`
      ).map((row) => [row.bucket.toISOString(), row.flows, row.denied, row.bytes]);
    const expected = [
      ['2026-11-26T00:00:00.000Z', 120, 15, 1_200],
      ['2026-11-26T06:00:00.000Z', 120, 15, 1_200],
    ];
    expect(await quarters('edge_rollup_6h')).toEqual(expected); // pending batches, through the view

    const compactor = new RollupCompactor(sql, 60_000, () => {});
    expect(await compactor.compactOnce()).toBeGreaterThan(0);
    expect(await quarters('edge_rollup_6h_store')).toEqual(expected);
    expect(await quarters('edge_rollup_6h')).toEqual(expected); // no batch counted twice
    const [day] = await sql<{ flows: number }[]>`select sum(flows)::int as flows from edge_rollup_1d_store where cluster_id = ${clusterDbId}`;
    expect(day?.flows).toBe(240);
    const [partition] = await sql<{ name: string | null }[]>`select to_regclass('edge_rollup_6h_p20261126')::text as name`;
    expect(partition?.name).toBe('edge_rollup_6h_p20261126');
  });
});

describe('endpoint dictionary', () => {
  it('stores labels as a JSON object, not a JSON-encoded string', async () => {
    const clusterName = `labels-${Date.now().toString(36)}`;
    const clusterDbId = await ensureCluster(sql, clusterName);
    const writer = new FlowWriter(sql, { concurrency: 1, maxGroupFlows: 1000 });
    const flow = makeFlow({ clusterId: clusterName, startMs: Date.UTC(2026, 10, 25, 10), endMs: Date.UTC(2026, 10, 25, 10, 0, 5) });
    const labelled = { ...flow, source: { ...flow.source, labels: { app: 'rag-api', 'data-classification': 'pii' } } };
    await writer.writeBatch({ clusterDbId, origin: 'test', format: 'native', flows: [{ flow: labelled }], errors: [] });
    const rows = await sql<{ type: string; app: string | null }[]>`
      select jsonb_typeof(labels) as type, labels->>'app' as app from endpoints where cluster_id = ${clusterDbId} order by app nulls last`;
    expect(rows[0]).toEqual({ type: 'object', app: 'rag-api' });
  });
});

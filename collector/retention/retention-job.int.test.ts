/**
 * Retention against real Postgres: whole day partitions past the configured age are dropped (raw flows,
 * raw batches and minute rollups by `rawFlowDays`, hourly, 6-hour and daily rollups by `rollupDays`),
 * recent ones and their rows stay, and idempotency records older than 7 days are pruned.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createSql } from '../../lib/db/sql';
import { runRetention } from './retention-job';

let sql: Sql;
beforeAll(() => {
  sql = createSql(inject('databaseUrl'), { max: 2 });
});
afterAll(async () => {
  await sql.end();
});

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const suffix = (ms: number) => day(ms).replace(/-/g, '');

async function partitions(): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname in ('flows', 'raw_batches', 'edge_rollup_1m_store', 'edge_rollup_1h_store', 'edge_rollup_6h_store', 'edge_rollup_1d_store')`;
  return rows.map((row) => row.name);
}

describe('retention job', () => {
  it('drops old day partitions by retention and prunes idempotency records', async () => {
    const nowMs = Date.now();
    const old = nowMs - 40 * DAY_MS;
    const ancient = nowMs - 500 * DAY_MS;
    for (const at of [old, ancient, nowMs]) await sql`select flowlens_ensure_day_partitions(${day(at)}::date)`;
    await sql`insert into settings (key, value) values ('retention', ${sql.json({ rawFlowDays: 30, rollupDays: 400 })})
      on conflict (key) do update set value = excluded.value`;
    await sql`insert into ingest_batches (cluster_id, idempotency_key, received_at, response) values
      (999, 'old-key', ${new Date(nowMs - 8 * DAY_MS)}, '{}'), (999, 'new-key', ${new Date(nowMs - DAY_MS)}, '{}')`;

    const before = await partitions();
    expect(before).toEqual(expect.arrayContaining([`flows_p${suffix(old)}`, `edge_rollup_1h_p${suffix(old)}`, `flows_p${suffix(nowMs)}`]));
    const result = await runRetention(sql, { nowMs });
    const after = await partitions();

    for (const parent of ['flows', 'raw_batches', 'edge_rollup_1m']) {
      expect(after).not.toContain(`${parent}_p${suffix(old)}`);
      expect(after).not.toContain(`${parent}_p${suffix(ancient)}`);
      expect(after).toContain(`${parent}_p${suffix(nowMs)}`);
    }
    for (const parent of ['edge_rollup_1h', 'edge_rollup_6h', 'edge_rollup_1d']) {
      expect(after).toContain(`${parent}_p${suffix(old)}`); // hourly, 6-hour and daily rollups keep 400 days
      expect(after).not.toContain(`${parent}_p${suffix(ancient)}`);
    }
    expect(result.dropped).toEqual(expect.arrayContaining([`flows_p${suffix(old)}`, `edge_rollup_1h_p${suffix(ancient)}`]));
    expect(result.skipped).toEqual([]);
    const keys = await sql<{ idempotency_key: string }[]>`select idempotency_key from ingest_batches where cluster_id = 999`;
    expect(keys.map((row) => row.idempotency_key)).toEqual(['new-key']);
  });
});

/**
 * The live tail against a real Postgres: flow ids come from one sequence but transactions commit in any
 * order, so a row whose (lower) id commits after a higher one must still reach the tail — exactly once.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Sql } from 'postgres';
import { FlowWriter } from '../../../collector/writer/flow-writer';
import { makeFlow } from '../../../core/testing';
import { flowFilterSchema, type FlowLiveEventDto } from '../../api/flows';
import { createSql } from '../../db/sql';
import type { DataScope } from '../auth/data-scope';

vi.mock('server-only', () => ({}));

const FULL: DataScope = { clusterIds: null, namespaces: null };
let sql: Sql;
let clusterId: number;
let clusterName: string;
let writer: FlowWriter;

beforeAll(async () => {
  sql = createSql(inject('databaseUrl'), { max: 4 });
  clusterName = `live-${Date.now().toString(36)}`;
  const [row] = await sql<{ id: number }[]>`insert into clusters (name) values (${clusterName}) returning id`;
  clusterId = row!.id;
  writer = new FlowWriter(sql);
});

afterAll(async () => {
  await sql?.end();
});

function write(name: string): Promise<unknown> {
  const nowMs = Date.now();
  const flow = makeFlow({ clusterId: clusterName, startMs: nowMs - 60_000, endMs: nowMs - 55_000, destination: { namespace: 'shop', name, pod: `${name}-0` }, verdict: 'denied' });
  return writer.writeBatch({ clusterDbId: clusterId, origin: 'test', format: 'native', flows: [{ flow, line: 1 }], errors: [] });
}

/** Reads server-sent events from the stream until `done` says so (or the timeout passes). */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, seen: FlowLiveEventDto[], done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  let buffer = '';
  while (!done() && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now()))]);
    if (chunk === null || chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!event.includes('event: flows')) continue;
      const data = event.split('\n').find((line) => line.startsWith('data: '));
      if (data) seen.push(JSON.parse(data.slice(6)) as FlowLiveEventDto);
    }
  }
}

describe('live flow tail', () => {
  it('delivers a row whose transaction commits after a later row’s, once', async () => {
    const { streamLiveFlows } = await import('./stream-live-flows');
    await write('before-the-tail');
    const abort = new AbortController();
    const filter = flowFilterSchema.parse({ cluster: clusterName, verdict: 'all' });
    const stream = await streamLiveFlows(sql, filter, FULL, { afterId: null, signal: abort.signal, now: () => Date.now() });
    const reader = stream.getReader();
    const events: FlowLiveEventDto[] = [];
    const names = () => events.flatMap((event) => event.rows.map((row) => row.destination.name));
    try {
      // A transaction takes its flow id first and commits last.
      const [endpoints] = await sql<{ srcId: string; dstId: string }[]>`
        select src_id::text as "srcId", dst_id::text as "dstId" from flows where cluster_id = ${clusterId} limit 1`;
      const slow = await sql.reserve();
      try {
        await slow`begin`;
        // As every writer of flows does: the transaction has its xid before it takes a flow id.
        await slow`select pg_current_xact_id()`;
        const startedAt = new Date(Date.now() - 30_000);
        await slow`insert into flows (cluster_id, start_time, end_time, src_id, dst_id, protocol, dst_port, verdict, counted, reporter, format, batch_id)
                   values (${clusterId}, ${startedAt}, ${startedAt}, ${endpoints!.srcId}, ${endpoints!.dstId}, 'TCP', 5432, 'denied', true, 'destination', 'native', 0)`;
        await write('committed-first');
        await readEvents(reader, events, () => names().includes('committed-first'));
        expect(names()).toEqual(['committed-first']);
        await slow`commit`;
      } finally {
        slow.release();
      }
      await readEvents(reader, events, () => names().length >= 2);
      // The late row (its destination is the first flow's) arrives, and nothing twice.
      expect(names()).toEqual(['committed-first', 'before-the-tail']);
      await write('after');
      await readEvents(reader, events, () => names().includes('after'), 5_000);
      await readEvents(reader, events, () => false, 2_500);
      expect(names()).toEqual(['committed-first', 'before-the-tail', 'after']);
    } finally {
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
  }, 40_000);
});

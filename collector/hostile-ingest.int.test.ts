/**
 * Hostile bodies at the collector, beyond collector.int.test.ts: NUL characters (which PostgreSQL
 * text and jsonb cannot hold) must not poison a batch; truncated or trailing-garbage gzip, a bomb
 * sent chunked (no Content-Length) and a body over the limit are refused with the right status and
 * store nothing; the collector stays up.
 */
import { gzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createCollectorToken } from '../lib/db/collector-tokens';
import { createSql } from '../lib/db/sql';
import { startCollector, type RunningCollector } from './testing/start-collector';

let sql: Sql;
let collector: RunningCollector;

beforeAll(async () => {
  sql = createSql(inject('databaseUrl'), { max: 2 });
  collector = await startCollector({ databaseUrl: inject('databaseUrl'), env: { FLOWLENS_MAX_BODY_BYTES: String(1024 * 1024), FLOWLENS_MAX_INFLATED_BYTES: String(4 * 1024 * 1024) } });
});
afterAll(async () => {
  await collector?.stop();
  await sql?.end();
});

function line(name: string, startMs: number): string {
  return JSON.stringify({
    v: 1,
    startMs,
    endMs: startMs + 1000,
    source: { kind: 'workload', namespace: 'chat', name, labels: { app: name } },
    destination: { kind: 'external', name: 'x', domain: `${name}.example`, labels: {} },
    protocol: 'TCP',
    destinationPort: 443,
    verdict: 'allowed',
    reporter: 'source',
    policyTrace: [],
    bytesOut: 1,
    bytesIn: 1,
    packetsOut: 1,
    packetsIn: 1,
    connections: 1,
    format: 'native',
  });
}

async function post(token: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const response = await fetch(`${collector.url}/v1/flows?format=native`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

describe('hostile bodies at the collector', () => {
  it('stores flows whose names carry NUL and control characters, next to good ones', async () => {
    const { token, clusterId } = await createCollectorToken(sql, { clusterName: `nul-${Date.now().toString(36)}`, tokenName: 't' });
    const nowMs = Date.now() - 60_000;
    const body = [line('good', nowMs), line('evil\u0000name\u0007\u001b[31m', nowMs + 1), 'raw\u0000byte not json', line('<script>x</script>', nowMs + 2)].join('\n');
    const result = await post(token, body);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ accepted: 3, rejected: 1 });
    const names = await sql<{ name: string }[]>`select e.name from flows f join endpoints e on e.cluster_id = f.cluster_id and e.id = f.src_id where f.cluster_id = ${clusterId} order by f.start_time`;
    expect(names.map((row) => row.name)).toEqual(['good', 'evil\ufffdname\u0007\u001b[31m', '<script>x</script>']);
    const [kept] = await sql<{ raw: string }[]>`select raw from ingest_errors where cluster_id = ${clusterId}`;
    expect(kept?.raw).toBe('raw\ufffdbyte not json');
  });

  it('refuses truncated gzip, trailing garbage, a chunked bomb and an oversized body, storing nothing', async () => {
    const { token, clusterId } = await createCollectorToken(sql, { clusterName: `gz-${Date.now().toString(36)}`, tokenName: 't' });
    const good = gzipSync(Buffer.from(line('a', Date.now() - 60_000)));
    expect((await post(token, good.subarray(0, good.length - 6), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(token, Buffer.concat([good, Buffer.from('garbage')]), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(token, Buffer.alloc(2 * 1024 * 1024, 0x7b))).status).toBe(413);
    // A bomb streamed with Transfer-Encoding: chunked (no Content-Length to refuse early).
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${collector.url}/v1/flows?format=native`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      for (let offset = 0; offset < bomb.length; offset += 16 * 1024) request.write(bomb.subarray(offset, offset + 16 * 1024));
      request.end();
    });
    expect(status).toBe(413);
    const [stored] = await sql<{ rows: number }[]>`select count(*)::int as rows from flows where cluster_id = ${clusterId}`;
    expect(stored?.rows).toBe(0);
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
  });
});

/**
 * The collector end to end: real process, real HTTP, real Postgres. Each format's real samples go in
 * through POST /v1/flows and come back out of the flow tables with the right workloads, verdicts and
 * policy traces; bad input is kept and reported; resends are idempotent; tokens are bound to clusters.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createCollectorToken } from '../lib/db/collector-tokens';
import { readRawLine } from '../lib/db/read-raw-line';
import { createSql } from '../lib/db/sql';
import { readSample, sharedAvailable, sharedMissingReason } from '../lib/testing/shared-samples';
import { startCollector, type RunningCollector } from './testing/start-collector';

let sql: Sql;
let collector: RunningCollector;
let clusterSeq = 0;

beforeAll(async () => {
  sql = createSql(inject('databaseUrl'), { max: 4 });
  collector = await startCollector({ databaseUrl: inject('databaseUrl'), env: { FLOWLENS_MAX_FLOW_AGE_DAYS: '36500' } });
});

afterAll(async () => {
  await collector?.stop();
  await sql?.end();
});

async function newCluster(prefix: string): Promise<{ name: string; id: number; token: string }> {
  clusterSeq += 1;
  const name = `${prefix}-${clusterSeq}-${Date.now().toString(36)}`;
  const created = await createCollectorToken(sql, { clusterName: name, tokenName: 'test' });
  return { name, id: created.clusterId, token: created.token };
}

async function post(path: string, token: string | null, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${collector.url}${path}`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

interface FlowRow {
  src_namespace: string | null;
  src_name: string;
  src_kind: string;
  dst_namespace: string | null;
  dst_name: string;
  dst_kind: string;
  dst_port: number | null;
  protocol: string;
  verdict: string;
  policy_key: string;
  policy_trace: unknown;
  drop_reason: string | null;
  bytes_in: string;
  batch_id: string | null;
  raw_line: number | null;
  counted: boolean;
}

function flowsOf(clusterId: number): Promise<FlowRow[]> {
  return sql<FlowRow[]>`
    select s.namespace as src_namespace, s.name as src_name, s.kind as src_kind,
           d.namespace as dst_namespace, d.name as dst_name, d.kind as dst_kind,
           f.dst_port, f.protocol, f.verdict, f.policy_key, f.policy_trace, f.drop_reason, f.bytes_in, f.batch_id, f.raw_line, f.counted
    from flows f
    join endpoints s on s.cluster_id = f.cluster_id and s.id = f.src_id
    join endpoints d on d.cluster_id = f.cluster_id and d.id = f.dst_id
    where f.cluster_id = ${clusterId}
    order by f.start_time, f.id`;
}

describe.skipIf(!sharedAvailable)(`real samples through HTTP into Postgres${sharedAvailable ? '' : ` (skipped: ${sharedMissingReason})`}`, () => {
  it('stores the Calico deny with its two-tier policy trace', async () => {
    const cluster = await newCluster('calico');
    const result = await post('/v1/flows?format=calico', cluster.token, readSample('flows/calico/tigera-observability-clinic-flows.log'));
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ format: 'calico', accepted: 1, rejected: 0 });
    const [flow] = await flowsOf(cluster.id);
    expect(flow).toMatchObject({
      src_namespace: 'default',
      dst_namespace: 'hipstershop',
      dst_name: 'checkoutservice',
      dst_port: 5050,
      protocol: 'TCP',
      verdict: 'denied',
      bytes_in: '300',
    });
    expect(flow?.policy_key).toContain('app-hipstershop.checkoutservice');
    expect(flow?.policy_key).toMatch(/\|deny\|-1$/);
    expect(JSON.stringify(flow?.policy_trace)).toContain('security');
    const raw = await readRawLine(sql, cluster.id, flow?.batch_id ?? '0', flow?.raw_line ?? 0);
    expect(raw).toContain('"dest_name_aggr":"checkoutservice-598d5b586d-*"');
    const [blob] = await sql<{ codec: string }[]>`select codec from raw_batches where cluster_id = ${cluster.id} and id = ${flow?.batch_id ?? '0'}`;
    expect(blob?.codec).toBe('br');
    // Batches stored before Brotli keep their gzip body and still read back.
    await sql`update raw_batches set codec = 'gzip', body = ${gzipSync(Buffer.from(`first\n${raw ?? ''}\r\n`))} where cluster_id = ${cluster.id} and id = ${flow?.batch_id ?? '0'}`;
    expect(await readRawLine(sql, cluster.id, flow?.batch_id ?? '0', 2)).toBe(raw);
    const [rollup] = await sql<{ flows: string; verdict: string }[]>`
      select sum(flows)::text as flows, min(verdict) as verdict from edge_rollup_1m where cluster_id = ${cluster.id}`;
    expect(rollup).toEqual({ flows: '1', verdict: 'denied' });
  });

  it('auto-detects Hubble, windows the events and keeps the policy-denied drop', async () => {
    const cluster = await newCluster('hubble');
    const tcp = await post('/v1/flows', cluster.token, readSample('flows/hubble/basic-sample-400-tcp-flows.json'));
    expect(tcp.status).toBe(200);
    expect(tcp.json).toMatchObject({ format: 'hubble', rejected: 0 });
    expect(tcp.json.accepted as number).toBeGreaterThan(5);
    expect(tcp.json.accepted as number).toBeLessThan(400); // events were aggregated into windows
    const dropped = await post('/v1/flows', cluster.token, readSample('flows/hubble/cilium-docs-export-dropped-fieldmask.jsonl'));
    expect(dropped.json).toMatchObject({ format: 'hubble', accepted: 2, rejected: 0 });
    const flows = await flowsOf(cluster.id);
    const deathstar = flows.find((flow) => flow.dst_name === 'deathstar');
    expect(deathstar).toMatchObject({ src_name: 'xwing', dst_namespace: 'default', dst_port: 80, verdict: 'denied', drop_reason: 'POLICY_DENIED' });
    expect(flows.some((flow) => flow.dst_namespace === 'bookinfo' || flow.src_namespace === 'bookinfo')).toBe(true);
  });

  it('reads AWS VPC flow logs with a configured field order, counting NODATA as skipped', async () => {
    const cluster = await newCluster('vpc');
    const fields = encodeURIComponent(readSample('flows/aws-vpc/01-default-v2-accept-reject.format').trim());
    const result = await post(`/v1/flows?format=vpc&vpcFields=${fields}`, cluster.token, readSample('flows/aws-vpc/01-default-v2-accept-reject.log'));
    expect(result.json).toMatchObject({ format: 'vpc', accepted: 2, rejected: 0 });
    const flows = await flowsOf(cluster.id);
    expect(flows.map((flow) => [flow.dst_port, flow.verdict])).toEqual([
      [22, 'allowed'],
      [3389, 'denied'],
    ]);
    const nodata = await post(`/v1/flows?format=vpc&vpcFields=${fields}`, cluster.token, readSample('flows/aws-vpc/02-default-v2-nodata-skipdata.log'));
    expect(nodata.json).toMatchObject({ accepted: 0, rejected: 0, skipped: 2 });
  });

  it('accepts gzip bodies', async () => {
    const cluster = await newCluster('gzip');
    const body = gzipSync(readSample('flows/hubble/basic-sample-10-flows.json'));
    const result = await post('/v1/flows?format=hubble', cluster.token, body, { 'content-encoding': 'gzip' });
    expect(result.status).toBe(200);
    expect(result.json.rejected).toBe(0);
    expect(result.json.accepted as number).toBeGreaterThan(0);
  });
});

describe('bad input is kept, reported and refused with the right status', () => {
  const goodNative = (cluster: string, port: number) =>
    JSON.stringify({
      v: 1,
      clusterId: cluster,
      startMs: Date.now() - 60_000,
      endMs: Date.now() - 50_000,
      source: { kind: 'workload', namespace: 'chat', name: 'rag-api', labels: {} },
      destination: { kind: 'workload', namespace: 'llm', name: 'vllm', labels: {} },
      protocol: 'TCP',
      destinationPort: port,
      verdict: 'allowed',
      reporter: 'source',
      policyTrace: [],
      bytesOut: 10,
      bytesIn: 20,
      packetsOut: 1,
      packetsIn: 1,
      connections: 1,
      format: 'native',
    });

  it('stores good lines and keeps bad lines in ingest_errors with their reason', async () => {
    const cluster = await newCluster('bad');
    const body = [goodNative(cluster.name, 8000), '{"v":1,"clusterId":', goodNative(cluster.name, 8001), '{"v":1,"startMs":"soon"}'].join('\n');
    const result = await post('/v1/flows?format=native', cluster.token, body);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ accepted: 2, rejected: 2 });
    const errors = result.json.errors as Array<{ line: number; reason: string }>;
    expect(errors.map((error) => error.line)).toEqual([2, 4]);
    expect(errors[1]?.reason).toMatch(/startMs|clusterId|source/);
    const stored = await sql<{ line_number: number; raw: string; reason: string }[]>`
      select line_number, raw, reason from ingest_errors where cluster_id = ${cluster.id} order by line_number`;
    expect(stored.map((row) => row.line_number)).toEqual([2, 4]);
    expect(stored[0]?.raw).toBe('{"v":1,"clusterId":');
    expect((await flowsOf(cluster.id)).map((flow) => flow.dst_port)).toEqual([8000, 8001]);
  });

  it('does not store a batch twice when it is resent with the same Idempotency-Key', async () => {
    const cluster = await newCluster('idem');
    const body = [goodNative(cluster.name, 9000), goodNative(cluster.name, 9001)].join('\n');
    const first = await post('/v1/flows', cluster.token, body, { 'idempotency-key': 'batch-1' });
    const second = await post('/v1/flows', cluster.token, body, { 'idempotency-key': 'batch-1' });
    expect(first.json).toMatchObject({ accepted: 2, duplicate: false });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ accepted: 2, duplicate: true });
    expect(await flowsOf(cluster.id)).toHaveLength(2);
    await post('/v1/flows', cluster.token, body, { 'idempotency-key': 'batch-2' });
    expect(await flowsOf(cluster.id)).toHaveLength(4);
  });

  it('binds a token to its cluster', async () => {
    const east = await newCluster('east');
    const west = await newCluster('west');
    const wrongParam = await post(`/v1/flows?cluster=${west.name}`, east.token, goodNative(west.name, 1));
    expect(wrongParam.status).toBe(403);
    const wrongRecord = await post('/v1/flows', east.token, goodNative(west.name, 1));
    expect(wrongRecord.json).toMatchObject({ accepted: 0, rejected: 1 });
    expect((wrongRecord.json.errors as Array<{ reason: string }>)[0]?.reason).toContain(west.name);
    expect(await flowsOf(west.id)).toHaveLength(0);
    expect(await flowsOf(east.id)).toHaveLength(0);
  });

  it('answers 401, 413, 415 and 400 with a reason', async () => {
    const cluster = await newCluster('status');
    expect((await post('/v1/flows', null, 'x')).status).toBe(401);
    expect((await post('/v1/flows', 'flk_not-a-token', 'x')).status).toBe(401);
    const unknown = await post('/v1/flows?format=netflow9', cluster.token, 'x');
    expect(unknown.status).toBe(415);
    expect((unknown.json.error as { message: string }).message).toContain('netflow9');
    const gibberish = await post('/v1/flows', cluster.token, 'hello world\nthis is not a flow log\n');
    expect(gibberish.status).toBe(415);
    const badGzip = await post('/v1/flows', cluster.token, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20));
    const bombResult = await post('/v1/flows', cluster.token, bomb, { 'content-encoding': 'gzip' });
    expect(bombResult.status).toBe(413);
    const tooLarge = await post('/v1/flows', cluster.token, Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect(tooLarge.status).toBe(413);
  });

  it('revoked tokens stop working at once', async () => {
    const cluster = await newCluster('revoke');
    expect((await post('/v1/flows', cluster.token, goodNative(cluster.name, 1))).status).toBe(200);
    await sql`update collector_tokens set revoked_at = now() where cluster_id = ${cluster.id}`;
    expect((await post('/v1/flows', cluster.token, goodNative(cluster.name, 1))).status).toBe(401);
  });
});

describe('health and metrics', () => {
  it('serves healthz, readyz and Prometheus metrics', async () => {
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${collector.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE flowlens_flows_accepted_total counter');
    expect(metrics).toMatch(/flowlens_flows_accepted_total\{format="native",cluster="[^"]+"\} \d+/);
    expect(metrics).toContain('flowlens_batch_duration_seconds_bucket');
    expect(metrics).toContain('flowlens_queue_depth');
  });
});

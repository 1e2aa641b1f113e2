/**
 * The collector's other doors: standard input (`--stdin --format F --cluster NAME`) and back-pressure
 * (a full queue answers 429 with Retry-After instead of buffering without bound).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { createCollectorToken } from '../lib/db/collector-tokens';
import { createSql } from '../lib/db/sql';
import { readSample, sharedAvailable, sharedMissingReason } from '../lib/testing/shared-samples';
import { startCollector } from './testing/start-collector';

let sql: Sql;
beforeAll(() => {
  sql = createSql(inject('databaseUrl'), { max: 2 });
});
afterAll(async () => {
  await sql.end();
});

describe.skipIf(!sharedAvailable)(`stdin${sharedAvailable ? '' : ` (skipped: ${sharedMissingReason})`}`, () => {
  it('stores piped Hubble events under the named cluster, reporting bad lines', async () => {
    const cluster = `stdin-${Date.now().toString(36)}`;
    const collector = await startCollector({
      databaseUrl: inject('databaseUrl'),
      args: ['--stdin', '--format', 'hubble', '--cluster', cluster],
      env: { FLOWLENS_MAX_FLOW_AGE_DAYS: '36500' },
      waitForHttp: false,
    });
    const input = readSample('flows/hubble/basic-sample-330-dns-flows.json') + '{"flow": truncated\n';
    collector.process.stdin?.end(input);
    const exitCode = await new Promise<number | null>((resolve) => collector.process.once('exit', (code) => resolve(code)));
    expect(exitCode).toBe(1); // one bad line
    expect(collector.output()).toMatch(/line 331: /);
    const [row] = await sql<{ flows: number; dns: number }[]>`
      select count(*)::int as flows, count(*) filter (where f.l7 ? 'dns')::int as dns
      from flows f join clusters c on c.id = f.cluster_id where c.name = ${cluster}`;
    expect(row?.flows).toBeGreaterThan(10);
    expect(row?.dns).toBeGreaterThan(0);
    const [error] = await sql<{ line_number: number; origin: string }[]>`
      select e.line_number, e.origin from ingest_errors e join clusters c on c.id = e.cluster_id where c.name = ${cluster}`;
    expect(error).toEqual({ line_number: 331, origin: 'stdin' });
  });
});

describe('back-pressure', () => {
  it('answers 429 with Retry-After when the queue is full, and stores every batch it accepted', async () => {
    const { token, clusterId } = await createCollectorToken(sql, { clusterName: `queue-${Date.now().toString(36)}`, tokenName: 'test' });
    const collector = await startCollector({
      databaseUrl: inject('databaseUrl'),
      env: { FLOWLENS_WRITER_CONCURRENCY: '1', FLOWLENS_QUEUE_MAX_BATCHES: '0', FLOWLENS_RETRY_AFTER_SEC: '3' },
    });
    try {
      const line = (port: number) =>
        JSON.stringify({
          v: 1, startMs: Date.now() - 5000, endMs: Date.now() - 4000,
          source: { kind: 'workload', namespace: 'a', name: 'x', labels: {} },
          destination: { kind: 'workload', namespace: 'b', name: 'y', labels: {} },
          protocol: 'TCP', destinationPort: port, verdict: 'allowed', reporter: 'source', policyTrace: [],
          bytesOut: 1, bytesIn: 1, packetsOut: 1, packetsIn: 1, connections: 1, format: 'native',
        });
      const body = Array.from({ length: 3000 }, (_, index) => line(index % 65535)).join('\n');
      const responses = await Promise.all(
        Array.from({ length: 12 }, () =>
          fetch(`${collector.url}/v1/flows?format=native`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
      const refused = responses.find((response) => response.status === 429);
      expect(refused?.headers.get('retry-after')).toBe('3');
      const accepted = statuses.filter((status) => status === 200).length;
      const [row] = await sql<{ flows: number }[]>`select count(*)::int as flows from flows where cluster_id = ${clusterId}`;
      expect(row?.flows).toBe(accepted * 3000);
    } finally {
      await collector.stop();
    }
  });
});

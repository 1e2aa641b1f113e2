/**
 * The flow explorer's queries against a real Postgres: flows written by the collector's writer, then read
 * back through lib/server/flows and the route handlers. Proves filters (with negation), keyset pagination,
 * grouping, the histogram total, export row counts, scope masking, and that hostile input is a 4xx or
 * literal text — never a 500.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Sql } from 'postgres';
import { makeFlow } from '../../../core/testing';
import type { Flow, PolicyHit } from '../../../core/flow/types';
import { FlowWriter } from '../../../collector/writer/flow-writer';
import { createSql } from '../../db/sql';
import { flowExportRequestSchema, flowFilterSchema, flowGroupsRequestSchema, flowListRequestSchema } from '../../api/flows';
import type { DataScope } from '../auth/data-scope';

vi.mock('server-only', () => ({}));
const session = { current: null as null | { id: string; user: { id: string; username: string; displayName: null; role: string }; expiresAtMs: number } };
vi.mock('../auth/require-session', async () => {
  const { AppError } = await import('../errors');
  return {
    requireSession: async (options: { roles?: string[] } = {}) => {
      if (!session.current) throw new AppError('unauthenticated', 'Sign in first.');
      if (options.roles && !options.roles.includes(session.current.user.role)) throw new AppError('forbidden', 'wrong role');
      return session.current;
    },
  };
});

let sql: Sql;
let clusterId: number;
let clusterName: string;
const BASE_MS = Date.UTC(2026, 10, 20, 10);
const FULL: DataScope = { clusterIds: null, namespaces: null };

const deny: PolicyHit = { kind: 'NetworkPolicy', tier: 'default', namespace: 'payments', name: 'default-deny', action: 'deny', ruleIndex: -1, staged: false };
const allow: PolicyHit = { kind: 'NetworkPolicy', tier: 'default', namespace: 'shop', name: 'allow-web', action: 'allow', ruleIndex: 0, staged: false };

function seedFlows(): Flow[] {
  const flows: Flow[] = [];
  // 250 denied probes chat/chat-ui → payments/payments-db:5432, one per 10 s.
  for (let index = 0; index < 250; index += 1) {
    flows.push(makeFlow({
      clusterId: 'it', startMs: BASE_MS + index * 10_000, endMs: BASE_MS + index * 10_000 + 5_000,
      source: { namespace: 'chat', name: 'chat-ui', pod: 'chat-ui-7d9-abc', ip: '10.1.0.5' },
      destination: { namespace: 'payments', name: 'payments-db', workloadKind: 'StatefulSet', pod: 'payments-db-0', ip: '10.2.0.9' },
      destinationPort: 5432, verdict: 'denied', dropReason: 'POLICY_DENIED', policyTrace: [deny], bytesOut: index, bytesIn: 0,
    }));
  }
  // 100 allowed shop/frontend → shop/checkout:8080 (destination-reported, counted).
  for (let index = 0; index < 100; index += 1) {
    flows.push(makeFlow({ clusterId: 'it', startMs: BASE_MS + index * 20_000, endMs: BASE_MS + index * 20_000 + 1000, policyTrace: [allow], bytesOut: 1000 + index }));
  }
  // 30 denied to an external IP, with a hostile-looking name.
  for (let index = 0; index < 30; index += 1) {
    flows.push(makeFlow({
      clusterId: 'it', startMs: BASE_MS + index * 30_000, endMs: BASE_MS + index * 30_000 + 1000,
      source: { namespace: 'chat', name: 'chat-ui', pod: 'chat-ui-7d9-abc', ip: '10.1.0.5' },
      destination: { kind: 'external', namespace: undefined, name: "=cmd|' /C calc'!A0, \"x\"", ip: '203.0.113.66', workloadKind: undefined },
      destinationPort: 443, verdict: 'denied', policyTrace: [],
    }));
  }
  return flows;
}

async function setSession(role: string, scope: { clusters?: string[]; namespaces?: string[] } = {}) {
  const userId = randomUUID();
  await sql`insert into users (id, username, role, scope_clusters, scope_namespaces, updated_at)
    values (${userId}, ${`u-${userId}`}, ${role}, ${scope.clusters ?? []}, ${scope.namespaces ?? []}, now())`;
  session.current = { id: 'x', user: { id: userId, username: 'u', displayName: null, role }, expiresAtMs: Date.now() + 60_000 };
}

const window = { range: 'custom', from: String(BASE_MS - 60_000), to: String(BASE_MS + 3 * 3_600_000) };

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  sql = createSql(inject('databaseUrl'), { max: 4 });
  clusterName = `it-${Date.now().toString(36)}`;
  const [row] = await sql<{ id: number }[]>`insert into clusters (name) values (${clusterName}) returning id`;
  clusterId = row!.id;
  const writer = new FlowWriter(sql);
  const flows = seedFlows();
  await writer.writeBatch({ clusterDbId: clusterId, origin: 'test', format: 'native', flows: flows.map((flow, index) => ({ flow, line: index + 1 })), errors: [], raw: { lines: flows.map((flow, index) => `line ${index + 1} ${flow.destination.name}`) } });
});

afterAll(async () => {
  await sql?.end();
  const { getSql } = await import('../db');
  await getSql().end();
});

describe('flow explorer queries', () => {
  it('filters, negates and paginates by keyset without gaps or repeats', async () => {
    const { listFlows } = await import('./list-flows');
    const base = { ...window, cluster: clusterName };
    const denied = flowListRequestSchema.parse({ ...base, dstNs: 'payments', limit: '100' });
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    let previousStart = Infinity;
    do {
      const page = await listFlows(sql, { ...denied, ...(cursor ? { cursor } : {}) }, FULL, BASE_MS + 4 * 3_600_000);
      for (const row of page.rows) {
        expect(seen.has(row.key)).toBe(false);
        seen.add(row.key);
        expect(row.startMs).toBeLessThanOrEqual(previousStart);
        previousStart = row.startMs;
        expect(row.destination.name).toBe('payments-db');
        expect(row.policyText).toContain('NetworkPolicy `payments/default-deny`');
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(250);
    expect(pages).toBe(3);

    const notPayments = await listFlows(sql, flowListRequestSchema.parse({ ...base, dstNs: 'payments', not: 'dstNs', limit: '500' }), FULL, 0);
    expect(notPayments.rows).toHaveLength(30);
    const allowed = await listFlows(sql, flowListRequestSchema.parse({ ...base, verdict: 'allowed', limit: '500' }), FULL, 0);
    expect(allowed.rows).toHaveLength(100);
    const byPortAndIp = await listFlows(sql, flowListRequestSchema.parse({ ...base, port: '443', dstIp: '203.0.113.0/24', limit: '500' }), FULL, 0);
    expect(byPortAndIp.rows).toHaveLength(30);
    const byWorkload = await listFlows(sql, flowListRequestSchema.parse({ ...base, srcWorkload: 'chat/chat-ui', policy: 'payments/default-deny', limit: '500' }), FULL, 0);
    expect(byWorkload.rows).toHaveLength(250);
    const text = await listFlows(sql, flowListRequestSchema.parse({ ...base, verdict: 'all', q: 'payments-db', limit: '500' }), FULL, 0);
    expect(text.rows).toHaveLength(250);
    const bytesSorted = await listFlows(sql, flowListRequestSchema.parse({ ...base, dstNs: 'payments', sort: 'bytes', limit: '10' }), FULL, 0);
    expect(bytesSorted.rows.map((row) => row.bytesOut)).toEqual([249, 248, 247, 246, 245, 244, 243, 242, 241, 240]);
    const next = await listFlows(sql, flowListRequestSchema.parse({ ...base, dstNs: 'payments', sort: 'bytes', limit: '10', cursor: bytesSorted.nextCursor! }), FULL, 0);
    expect(next.rows[0]?.bytesOut).toBe(239);
  });

  it('groups with counts and a histogram whose total is the export row count', async () => {
    const { getFlowGroups } = await import('./get-flow-groups');
    const { getFlowHistogram } = await import('./get-flow-histogram');
    const { exportFlows } = await import('./export-flows');
    const base = { ...window, cluster: clusterName, verdict: 'all' };
    const groups = await getFlowGroups(sql, flowGroupsRequestSchema.parse({ ...base, by: 'destination' }), FULL, 0);
    expect(groups.groups.map((group) => [group.value, group.flows, group.denied])).toEqual([
      ['payments/payments-db', 250, 250],
      ['shop/checkout', 100, 0],
      ["=cmd|' /C calc'!A0, \"x\"", 30, 30],
    ]);
    const histogram = await getFlowHistogram(sql, flowFilterSchema.parse(base), FULL, 0);
    expect(histogram.total).toBe(380);
    expect(histogram.source).toBe('raw');
    const csv = await new Response((await exportFlows(sql, flowExportRequestSchema.parse({ ...base, format: 'csv' }), FULL, 0)).stream).text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(381);
    // The hostile name is quoted, its quotes doubled and its formula defused.
    expect(csv).toContain('"\'=cmd|\' /C calc\'!A0, ""x"""');
    const ndjson = await new Response((await exportFlows(sql, flowExportRequestSchema.parse({ ...base, format: 'ndjson', dstNs: 'payments' }), FULL, 0)).stream).text();
    expect(ndjson.trimEnd().split('\n')).toHaveLength(250);
  });

  it('masks ends outside a namespace-scoped user and hides flows with no end in scope', async () => {
    const { listFlows } = await import('./list-flows');
    const scope: DataScope = { clusterIds: [clusterId], namespaces: new Map([[clusterId, new Set(['payments'])]]) };
    const page = await listFlows(sql, flowListRequestSchema.parse({ ...window, verdict: 'all', limit: '500' }), scope, 0);
    expect(page.rows).toHaveLength(250);
    expect(page.rows[0]?.source).toMatchObject({ masked: true, name: 'outside your scope', ip: null, pod: null });
    expect(page.rows[0]?.destination).toMatchObject({ masked: false, name: 'payments-db' });
    const none: DataScope = { clusterIds: [], namespaces: null };
    expect((await listFlows(sql, flowListRequestSchema.parse({ ...window, verdict: 'all' }), none, 0)).rows).toHaveLength(0);
  });

  it('explains one flow: trace in words, raw line', async () => {
    const { listFlows } = await import('./list-flows');
    const { getFlowDetail } = await import('./get-flow-detail');
    const [row] = (await listFlows(sql, flowListRequestSchema.parse({ ...window, cluster: clusterName, dstNs: 'payments', limit: '1' }), FULL, 0)).rows;
    const detail = await getFlowDetail(sql, { clusterId, flowId: row!.id, startMs: row!.startMs }, FULL);
    expect(detail.trace.summary).toBe('denied at end of tier `default`: NetworkPolicy `payments/default-deny` selects the destination but no ingress rule matches the source');
    expect(detail.rawLine).toMatch(/^line \d+ payments-db$/);
    expect(detail.links.graph).toContain('/graph?');
    expect(detail.engine).toBeNull();
  });
});

describe('flow routes', () => {
  const call = async (path: string) => {
    const url = `http://localhost${path}`;
    const { GET } = path.startsWith('/api/flows/export')
      ? await import('../../../app/api/flows/export/route')
      : path.startsWith('/api/flows/histogram')
        ? await import('../../../app/api/flows/histogram/route')
        : path.startsWith('/api/flows/groups')
          ? await import('../../../app/api/flows/groups/route')
          : path.startsWith('/api/flows/suggest')
            ? await import('../../../app/api/flows/suggest/route')
            : await import('../../../app/api/flows/route');
    return GET(new Request(url));
  };

  it('refuses viewers and anonymous callers', async () => {
    session.current = null;
    expect((await call('/api/flows')).status).toBe(401);
    await setSession('viewer');
    expect((await call('/api/flows')).status).toBe(403);
  });

  it('answers hostile input with a 4xx or treats it as literal text, never a 500', async () => {
    await setSession('sre');
    const literal = [
      `q=${encodeURIComponent("' or 1=1 --")}`,
      `q=${encodeURIComponent('%_\\')}`,
      `srcNs=${encodeURIComponent("payments'); drop table flows; --")}`,
      `policy=${encodeURIComponent('"}]; select pg_sleep(10)')}`,
      `dropReason=${encodeURIComponent('\u0000x')}`,
    ];
    for (const query of literal) {
      const response = await call(`/api/flows?${query}`);
      expect(response.status, query).toBeLessThan(500);
      if (response.status === 200) expect(((await response.json()) as { rows: unknown[] }).rows).toHaveLength(0);
    }
    const refused = [
      'bogus=1',
      `q=${'x'.repeat(10_240)}`,
      `srcNs=${'a,'.repeat(5_000)}`,
      'port=99999',
      'port=1%20or%201=1',
      'srcIp=999.1.1.1/99',
      'dstIp=1.2.3.4/40',
      'verdict=maybe',
      'not=bogus',
      'sort=id;drop',
      'limit=100000',
      'cursor=eyJhIjoxfQ',
      'range=custom&from=2026-01-02&to=2026-01-01',
    ];
    for (const query of refused) {
      for (const path of ['/api/flows', '/api/flows/histogram', '/api/flows/groups', '/api/flows/export']) {
        if (path !== '/api/flows' && (query.startsWith('sort') || query.startsWith('limit') || query.startsWith('cursor'))) continue;
        const response = await call(`${path}?${query}`);
        expect(response.status, `${path}?${query.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${path}?${query.slice(0, 60)}`).toBeLessThan(500);
        const body = (await response.json()) as { error: { message: string } };
        expect(body.error.message.length).toBeGreaterThan(5);
      }
    }
    const suggest = await call(`/api/flows/suggest?field=workload&prefix=${encodeURIComponent("%' union select")}`);
    expect(suggest.status).toBe(200);
  });

  it('streams an export with a download name and the filter applied', async () => {
    await setSession('sre');
    const params = new URLSearchParams({ ...window, cluster: clusterName, dstNs: 'payments', format: 'csv' });
    const response = await call(`/api/flows/export?${params}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="flows-\d{8}T?\d{4}-\d{8}T?\d{4}\.csv"$/);
    expect((await response.text()).trimEnd().split('\r\n')).toHaveLength(251);
  });
});

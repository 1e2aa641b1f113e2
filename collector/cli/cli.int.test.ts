/**
 * The CLI end to end: `flowlens token create` mints a working token straight in the database, and
 * `flowlens send` delivers a file in gzip batches with idempotency keys, reporting rejected lines by
 * their line number in the file; sending the same file again stores nothing twice. A revoked token is
 * refused at once.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from 'postgres';
import { repoRoot } from '../../lib/db/paths';
import { createSql } from '../../lib/db/sql';
import { startCollector, type RunningCollector } from '../testing/start-collector';

let sql: Sql;
let collector: RunningCollector;
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlens-cli-'));

beforeAll(async () => {
  sql = createSql(inject('databaseUrl'), { max: 2 });
  collector = await startCollector({ databaseUrl: inject('databaseUrl') });
});
afterAll(async () => {
  await collector?.stop();
  await sql?.end();
  rmSync(dir, { recursive: true, force: true });
});

function flowlens(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'flowlens.mjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function line(index: number, startMs: number): string {
  return JSON.stringify({
    v: 1, startMs: startMs + index, endMs: startMs + index + 1000,
    source: { kind: 'workload', namespace: 'a', name: 'client', labels: {} },
    destination: { kind: 'workload', namespace: 'b', name: 'server', labels: {} },
    protocol: 'TCP', destinationPort: 80, verdict: 'allowed', reporter: 'source', policyTrace: [],
    bytesOut: 1, bytesIn: 1, packetsOut: 1, packetsIn: 1, connections: 1, format: 'native',
  });
}

describe('flowlens token create / send', () => {
  it('mints a token, sends a file in batches, reports bad lines by number, and is idempotent', async () => {
    const cluster = `cli-${Date.now().toString(36)}`;
    const created = flowlens(['token', 'create', '--cluster', cluster, '--name', 'ci']);
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^flk_[A-Za-z0-9_-]{43}$/);

    const startMs = Date.now() - 3_600_000;
    const lines = Array.from({ length: 12_000 }, (_, index) => line(index, startMs));
    lines[6_999] = '{"v":1,"broken"'; // line 7000 of the file, in the second batch
    const file = path.join(dir, 'flows.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const url = `${collector.url}/v1/flows`;
    const sent = flowlens(['send', file, '--url', url, '--token', token, '--format', 'native']);
    expect(sent.stdout).toContain('line 7000:');
    expect(sent.stdout).toContain('accepted 11999, rejected 1, skipped 0 (3/3 batches acknowledged');
    expect(sent.status).toBe(1); // a rejected line makes the exit code 1

    const again = flowlens(['send', file, '--url', url, '--token', token, '--format', 'native']);
    expect(again.stdout).toContain('(3/3 batches acknowledged');
    const [stored] = await sql<{ rows: number }[]>`
      select count(*)::int as rows from flows f join clusters c on c.id = f.cluster_id where c.name = ${cluster}`;
    expect(stored?.rows).toBe(11_999);

    await sql`update collector_tokens set revoked_at = now() where prefix = ${token.slice(0, 10)}`;
    const refused = flowlens(['send', file, '--url', url, '--token', token, '--format', 'native', '--max-wait-sec', '5']);
    expect(refused.stdout).toContain('not stored: HTTP 401');
    expect(refused.status).toBe(1);
  });

  it('refuses bad usage with exit code 2', () => {
    expect(flowlens(['token', 'create']).status).toBe(2);
    expect(flowlens(['send', 'x']).status).toBe(2);
  });
});

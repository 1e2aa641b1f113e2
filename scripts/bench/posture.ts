/**
 * `npm run bench:posture` — the Overview's budget (issue 8): the posture summary loads in ≤ 1.5 s on
 * 30 days of demo history.
 * Data: a fresh embedded PostgreSQL under .bench/posture (port 5543, or FLOWLENS_BENCH_PG_PORT), the real
 * collector (port 4843) and the demo generator `collector/demo/main.ts --backfill 30d --no-live` (seed 1)
 * sending 30 days of both demo clusters through HTTP ingest; then the posture job's function backfills
 * the daily snapshots (timed), and the overview's server function `getPostureOverview` (what GET
 * /api/posture and the page run) is timed: first load and p50/p95 of 10 more.
 * Last line: `{"overviewLoadMs": <first load>, ...}`.
 * NOTE: lib/server modules import `server-only`, which resolves only under the `react-server`
 * condition, so the script re-runs itself with `--conditions=react-server`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { rerunUnderReactServer } from './bench-support';

rerunUnderReactServer(import.meta.url);

const { startEmbeddedPostgres } = await import('../../lib/db/embedded-postgres');
const { migrateDatabase, readMigrations } = await import('../../lib/db/migrate');
const { migrationsDir, repoRoot } = await import('../../lib/db/paths');
const { createSql } = await import('../../lib/db/sql');
const { refreshPostureSnapshots } = await import('../../lib/db/posture/refresh-posture-snapshots');

const BUDGET_MS = 1_500;
const COLLECTOR_PORT = Number(process.env.FLOWLENS_BENCH_COLLECTOR_PORT ?? 4843);
const say = (message: string) => console.log(`[bench:posture] ${message}`);
const dataDir = path.join(repoRoot, '.bench', 'posture');
rmSync(dataDir, { recursive: true, force: true });
say(`starting a fresh embedded PostgreSQL in ${path.relative(repoRoot, dataDir)}`);
const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.FLOWLENS_BENCH_PG_PORT ?? 5543), database: 'flowlens' });
process.env.DATABASE_URL = pg.url;
const sql = createSql(pg.url, { max: 4, applicationName: 'bench-posture' });
const children: ChildProcess[] = [];

function run(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (/error|fail/i.test(line)) say(`${name}: ${line}`);
  });
  children.push(child);
  return child;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

try {
  await migrateDatabase(sql, readMigrations(migrationsDir));
  const collector = run('collector', ['collector/main.ts'], {
    FLOWLENS_COLLECTOR_PORT: String(COLLECTOR_PORT),
    // The bench runs the snapshot backfill itself (timed): the collector's own posture job is off.
    FLOWLENS_POSTURE_INTERVAL_MS: '0',
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${COLLECTOR_PORT}/healthz`)).ok, 60_000, 'the collector');
  say('collector up; sending 30 days of demo history (collector/demo/main.ts --backfill 30d --no-live)');
  const backfillStartMs = Date.now();
  const demo = run('demo', ['collector/demo/main.ts', '--seed', '1', '--backfill', '30d', '--no-live', '--collector', `http://127.0.0.1:${COLLECTOR_PORT}`], {});
  const demoCode = await new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  if (demoCode !== 0) throw new Error(`the demo generator exited with ${demoCode}`);
  // The collector folds pending batches into the rollup stores every few seconds; wait until it has.
  await waitFor(async () => Number((await sql<{ n: number }[]>`select count(*)::int as n from rollup_pending_batches`)[0]?.n) === 0, 120_000, 'rollup compaction');
  const [volume] = await sql<{ flows: number; days: number }[]>`select coalesce(sum(flows), 0)::float8 as flows, count(distinct date_trunc('day', bucket))::int as days from edge_rollup_1d`;
  say(`backfill done in ${((Date.now() - backfillStartMs) / 1000).toFixed(0)} s: ${Math.round(volume?.flows ?? 0).toLocaleString('en-US')} flows over ${volume?.days ?? 0} days`);

  const snapshotStartMs = performance.now();
  const refreshed = await refreshPostureSnapshots(sql, { nowMs: Date.now(), log: say });
  const snapshotMs = performance.now() - snapshotStartMs;
  const [snapshots] = await sql<{ n: number; clusters: number }[]>`select count(*)::int as n, count(distinct cluster_id)::int as clusters from posture_snapshots`;
  say(`snapshots: ${snapshots?.n ?? 0} for ${snapshots?.clusters ?? 0} clusters, ${refreshed.computed.length} computed in ${(snapshotMs / 1000).toFixed(1)} s (${(snapshotMs / Math.max(1, refreshed.computed.length)).toFixed(0)} ms per cluster-day)`);
  collector.kill('SIGINT');

  const { getPostureOverview } = await import('../../lib/server/overview/get-posture-overview');
  // A viewer without scope restrictions (no users row: getDataScope falls back to the full scope).
  const session = { user: { id: '00000000-0000-0000-0000-000000000000', username: 'bench', role: 'viewer' } } as unknown as Parameters<typeof getPostureOverview>[0];
  const timeLoad = async (): Promise<{ ms: number; score: number | null; points: number }> => {
    const startMs = performance.now();
    const overview = await getPostureOverview(session, { period: '30d', clusters: [] });
    return { ms: performance.now() - startMs, score: overview.score, points: overview.trend.length };
  };
  const first = await timeLoad();
  const samples: number[] = [];
  for (let index = 0; index < 10; index++) samples.push((await timeLoad()).ms);
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length * 0.5)] ?? 0;
  const p95 = samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)] ?? 0;
  say(`overview (30 d, ${first.points} trend days, score ${first.score}): first load ${first.ms.toFixed(0)} ms, then p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (budget ${BUDGET_MS} ms)`);
  say(first.ms <= BUDGET_MS ? 'within budget' : 'OVER BUDGET');
  console.log(JSON.stringify({ overviewLoadMs: Math.round(first.ms), overviewLoadP50Ms: Math.round(p50), overviewLoadP95Ms: Math.round(p95), snapshotBackfillMs: Math.round(snapshotMs), snapshots: snapshots?.n ?? 0, trendDays: first.points }));
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
  await sql.end({ timeout: 2 });
  const { getSql } = await import('../../lib/server/db').catch(() => ({ getSql: null }));
  if (getSql) await getSql().end({ timeout: 2 }).catch(() => {});
  await pg.stop();
}

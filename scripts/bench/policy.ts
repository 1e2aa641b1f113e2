/**
 * `npm run bench:policy` — the policy what-if budget on this machine (issue 5): a what-if that adds
 * default deny (ingress + egress) to `llm`, replayed over 30 days of stored demo traffic, answers in ≤ 5 s.
 * Data: a fresh embedded PostgreSQL under .bench/policy (port 5542, FLOWLENS_BENCH_PG_PORT), the real
 * collector, and the demo generator's 30-day backfill (`collector/demo/main.ts --backfill 30d --no-live`,
 * seed 1, so the data set is deterministic for a given anchor). The what-if runs through `runWhatIf`,
 * the same server function `POST /api/policies/what-if` calls (minus the audit entry: no user).
 * Prints the cold run (snapshot parse included) and the p50 of the warm runs; the last line is
 * `{"whatIf30dMs": <p50>, …}`.
 * NOTE: lib/server modules import `server-only`, which only resolves under the `react-server` condition,
 * so the script re-runs itself with `--conditions=react-server`.
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
const { FULL_SCOPE } = await import('../../lib/server/auth/data-scope');
const { runWhatIf } = await import('../../lib/server/policies/run-what-if');

const BUDGET_MS = 5_000;
const WARM_RUNS = 5;
const LLM_DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: llm
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const say = (message: string) => console.log(`[bench:policy] ${message}`);
const dataDir = path.join(repoRoot, '.bench', 'policy');
rmSync(dataDir, { recursive: true, force: true });
say(`starting a fresh embedded PostgreSQL in ${path.relative(repoRoot, dataDir)}`);
const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.FLOWLENS_BENCH_PG_PORT ?? 5542), database: 'flowlens' });
const sql = createSql(pg.url, { max: 4, applicationName: 'bench-policy' });
const children: ChildProcess[] = [];

function run(name: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (/backfill|error|listening/i.test(line) && line.trim() !== '') say(`${name}: ${line.trim().slice(0, 200)}`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return { child, done, output: () => output };
}

try {
  await migrateDatabase(sql, readMigrations(migrationsDir), () => {});
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: pg.url,
    FLOWLENS_DATA_DIR: dataDir,
    FLOWLENS_COLLECTOR_HOST: '127.0.0.1',
    FLOWLENS_COLLECTOR_PORT: '0',
    FLOWLENS_MAX_FLOW_AGE_DAYS: '36500',
  };
  const collector = run('collector', ['collector/main.ts'], env);
  const deadline = Date.now() + 60_000;
  let collectorUrl = '';
  while (!collectorUrl) {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(collector.output());
    if (match?.[1]) collectorUrl = match[1];
    else if (Date.now() > deadline || collector.child.exitCode !== null) throw new Error(`collector did not start:\n${collector.output()}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Anchor on a whole hour so reruns generate the same data set.
  const anchorMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const backfillStarted = performance.now();
  const demo = run('demo', ['collector/demo/main.ts', '--seed', '1', '--backfill', '30d', '--no-live', '--start', new Date(anchorMs).toISOString(), '--collector', collectorUrl], env);
  const demoCode = await demo.done;
  if (demoCode !== 0) throw new Error(`demo backfill failed (exit ${demoCode}):\n${demo.output().slice(-2000)}`);
  say(`30-day backfill written in ${((performance.now() - backfillStarted) / 1000).toFixed(0)} s`);
  const [counts] = await sql<{ flows: number; rows: number }[]>`
    select (select count(*)::float8 from flows) as flows, (select count(*)::float8 from edge_rollup_1h) as rows`;
  say(`stored: ${Number(counts?.flows).toLocaleString('en-US')} flow records, ${Number(counts?.rows).toLocaleString('en-US')} hour-rollup rows`);
  await sql`analyze`;

  const request = { cluster: 'prod-east', range: '30d' as const, mode: 'merge' as const, files: [{ name: 'llm-default-deny.yaml', text: LLM_DEFAULT_DENY }] };
  const nowMs = anchorMs + 60_000;
  const coldStarted = performance.now();
  const cold = await runWhatIf(request, { scope: FULL_SCOPE, sql, nowMs });
  const coldMs = performance.now() - coldStarted;
  say(`cold what-if (inventory parse included): ${coldMs.toFixed(0)} ms — ${cold.rowCount.toLocaleString('en-US')} aggregated rows, ${cold.evaluatedFlows.toLocaleString('en-US')} flows, ${cold.changedTotal} edges change (${cold.newlyDeniedFlows.toLocaleString('en-US')} flows newly denied)`);
  for (const edge of cold.changed) say(`  ${edge.edgeId}: ${edge.before.verdict} → ${edge.after.verdict}, ${edge.flows.toLocaleString('en-US')} flows`);
  const timings: number[] = [];
  for (let index = 0; index < WARM_RUNS; index += 1) {
    const started = performance.now();
    await runWhatIf(request, { scope: FULL_SCOPE, sql, nowMs });
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const p50 = timings[Math.floor(timings.length / 2)] ?? 0;
  say(`warm what-if over 30 days: p50 ${p50.toFixed(0)} ms, max ${(timings[timings.length - 1] ?? 0).toFixed(0)} ms (budget ${BUDGET_MS} ms: ${Math.max(p50, coldMs) <= BUDGET_MS ? 'met' : 'MISSED'})`);
  console.log(JSON.stringify({ whatIf30dMs: Math.round(p50), whatIf30dColdMs: Math.round(coldMs), changedEdges: cold.changedTotal, flows: cold.evaluatedFlows }));
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await sql.end();
  await pg.stop();
}

/**
 * `npm run bench:flows` — the flow explorer's budgets on this machine (issue 7):
 *   first page p95 ≤ 300 ms for typical SRE filters (denied in one namespace over 24 h; one workload and
 *   port over 7 d; free text over 24 h), histogram p95 ≤ 300 ms for the same filters, and export throughput
 *   (rows/s) with the web process's peak RSS (≤ 400 MB) while it streams 1M rows as CSV.
 * Data: deterministic (seeded), 10 million flows over 7 days in 2 clusters × 100 namespaces × 20 workloads
 * (2 pods each), ~8 % denied, written with COPY into a fresh embedded PostgreSQL under .bench/flows (port
 * 5561) with the production migrations; the explorer's indexes are dropped for the bulk load and rebuilt (timed)
 * afterwards; the hourly rollup is built from the flows. The export part starts the production web server
 * (`next start`; needs a prior `next build`) with a session created in SQL, and samples /proc/<pid>/status VmHWM.
 * `--reuse` keeps a previous run's database when it holds the full data set (no regeneration; minutes saved).
 * Last line: {"firstPageP95Ms","histogramP95Ms","exportRowsPerSec","exportPeakRssMb"}.
 * NOTE: lib/server modules import `server-only`, which only resolves under the `react-server` condition,
 * so the script re-runs itself with `--conditions=react-server`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { rerunUnderReactServer } from './bench-support';

rerunUnderReactServer(import.meta.url);

const { startEmbeddedPostgres } = await import('../../lib/db/embedded-postgres');
const { migrateDatabase, readMigrations } = await import('../../lib/db/migrate');
const { migrationsDir, repoRoot } = await import('../../lib/db/paths');
const { createSql } = await import('../../lib/db/sql');
const { endpointIdFromKey, endpointKey } = await import('../../core/flow/endpoint-key');
const { flowFilterSchema, flowListRequestSchema } = await import('../../lib/api/flows');
const { listFlows } = await import('../../lib/server/flows/list-flows');
const { getFlowHistogram } = await import('../../lib/server/flows/get-flow-histogram');

const TOTAL_FLOWS = Number(process.env.FLOWLENS_BENCH_FLOWS ?? 10_000_000);
const CLUSTERS = 2;
const NAMESPACES = 100;
const WORKLOADS_PER_NS = 20;
const PODS = 2;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PORTS = [80, 443, 8080, 5432, 6379, 9090, 6333, 9000];
const SAMPLES = 20;
const EXPORT_ROWS = 1_000_000;
const WEB_PORT = Number(process.env.FLOWLENS_BENCH_WEB_PORT ?? 3198);

const say = (message: string) => console.log(`[bench:flows] ${message}`);
const dataDir = path.join(repoRoot, '.bench', 'flows');
const reuse = process.argv.includes('--reuse') && existsSync(path.join(dataDir, 'pg', 'PG_VERSION'));
if (!reuse) rmSync(dataDir, { recursive: true, force: true });
say(`starting ${reuse ? 'the previous' : 'a fresh'} embedded PostgreSQL in ${path.relative(repoRoot, dataDir)}`);
const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.FLOWLENS_BENCH_PG_PORT ?? 5561), database: 'flowlens' });
const sql = createSql(pg.url, { max: 4, applicationName: 'bench-flows' });

/** mulberry32: small, fast, seeded. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function copyText(statement: string, chunks: Iterable<string>): Promise<void> {
  const writable = await sql.unsafe(statement).writable();
  for (const chunk of chunks) {
    if (!writable.write(chunk)) await new Promise<void>((resolve) => writable.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    writable.once('error', reject);
    writable.once('finish', () => resolve());
    writable.end();
  });
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

let result = { firstPageP95Ms: null as number | null, histogramP95Ms: null as number | null, exportRowsPerSec: null as number | null, exportPeakRssMb: null as number | null };
let web: ReturnType<typeof spawn> | null = null;
try {
  await migrateDatabase(sql, readMigrations(migrationsDir), () => {});
  const nowMs = Math.floor(Date.UTC(2026, 10, 20, 12) / HOUR_MS) * HOUR_MS;
  const startMs = nowMs - 7 * DAY_MS;
  const [loaded] = await sql<{ clusters: number; rollup: boolean }[]>`
    select (select count(*) from clusters)::int as clusters, exists (select 1 from edge_rollup_1h_store) as rollup`;
  if (reuse && loaded?.clusters === CLUSTERS && loaded.rollup) {
    say('reusing the loaded data set (--reuse)');
  } else {
    if (reuse) throw new Error('--reuse: the previous database is incomplete; run without --reuse to regenerate it');
    for (let dayMs = Math.floor(startMs / DAY_MS) * DAY_MS; dayMs <= nowMs; dayMs += DAY_MS) {
      await sql`select flowlens_ensure_day_partitions(${new Date(dayMs).toISOString().slice(0, 10)}::date)`;
    }
    // Endpoints: per cluster, 100 namespaces × 20 workloads × 2 pods, plus 20 external peers.
    interface BenchEndpoint { id: string; namespace: string | null; name: string; ip: string; workload: number }
    const endpoints: BenchEndpoint[][] = [];
    const endpointRows: string[] = [];
    for (let cluster = 1; cluster <= CLUSTERS; cluster += 1) {
      await sql`insert into clusters (id, name) values (${cluster}, ${`bench-${cluster}`})`;
      const list: BenchEndpoint[] = [];
      for (let ns = 0; ns < NAMESPACES; ns += 1) {
        for (let workload = 0; workload < WORKLOADS_PER_NS; workload += 1) {
          for (let pod = 0; pod < PODS; pod += 1) {
            const namespace = `ns-${ns}`;
            const name = `app-${workload}`;
            const ip = `10.${cluster}.${ns}.${workload * PODS + pod + 1}`;
            const podName = `${name}-5d8f-${pod}`;
            const id = endpointIdFromKey(endpointKey({ kind: 'workload', namespace, name, workloadKind: 'Deployment', pod: podName, ip, labels: {} }));
            list.push({ id, namespace, name, ip, workload: ns * WORKLOADS_PER_NS + workload });
            endpointRows.push(`${cluster}\t${id}\tworkload\t${namespace}\t${name}\tDeployment\t${podName}\t${ip}\t\\N\t\\N\t{}\n`);
          }
        }
      }
      for (let external = 0; external < 20; external += 1) {
        const ip = `203.0.113.${external + 1}`;
        const domain = external < 5 ? `api${external}.example.com` : null;
        const id = endpointIdFromKey(`external||${ip}||||${ip}|${domain ?? ''}|`);
        list.push({ id, namespace: null, name: ip, ip, workload: -1 });
        endpointRows.push(`${cluster}\t${id}\texternal\t\\N\t${ip}\t\\N\t\\N\t${ip}\t${domain ?? '\\N'}\t\\N\t{}\n`);
      }
      endpoints.push(list);
    }
    await copyText('copy endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, domain, service_name, labels) from stdin', [endpointRows.join('')]);

    // Bulk load without the explorer's indexes, then build them (timed separately: their ingest cost).
    const explorerIndexes = await sql<{ name: string; definition: string }[]>`
      select indexname as name, indexdef as definition from pg_indexes where tablename = 'flows' and indexname in ('flows_denied_time_idx', 'flows_dst_time_idx', 'flows_src_time_idx')`;
    for (const index of explorerIndexes) await sql.unsafe(`drop index ${index.name}`);
    // Flows in time order (as the collector writes them), ~8 % denied by a namespace default-deny.
    const random = seeded(7);
    const loadStarted = performance.now();
    const stepMs = (7 * DAY_MS) / TOTAL_FLOWS;
    const columns = 'cluster_id, start_time, end_time, src_id, dst_id, protocol, dst_port, src_port, verdict, counted, reporter, drop_reason, policy_key, policy_trace, bytes_out, bytes_in, packets_out, packets_in, connections, format';
    function* flowChunks(): Generator<string> {
      let chunk = '';
      let rows = 0;
      for (let index = 0; index < TOTAL_FLOWS; index += 1) {
        const cluster = index % CLUSTERS;
        const list = endpoints[cluster] as BenchEndpoint[];
        const internal = list.length - 20;
        const source = list[Math.floor(random() * internal)] as BenchEndpoint;
        // Each workload talks to a few fixed peers (skewed), sometimes to an external one.
        const peerIndex = random() < 0.05 ? internal + Math.floor(random() * 20) : (source.workload * 7 + Math.floor(random() * 4) * 131) % internal;
        const destination = list[peerIndex] as BenchEndpoint;
        const port = PORTS[(destination.workload >= 0 ? destination.workload : peerIndex) % PORTS.length] as number;
        const denied = random() < 0.08;
        const start = new Date(startMs + index * stepMs).toISOString();
        const end = new Date(startMs + index * stepMs + 5000).toISOString();
        const ns = destination.namespace ?? '';
        const key = denied ? `NetworkPolicy|default|${ns}|default-deny|deny|-1` : destination.namespace ? `NetworkPolicy|default|${ns}|allow-${destination.name}|allow|0` : '';
        const trace = denied
          ? `[{"kind":"NetworkPolicy","tier":"default","namespace":"${ns}","name":"default-deny","action":"deny","ruleIndex":-1,"staged":false}]`
          : key ? `[{"kind":"NetworkPolicy","tier":"default","namespace":"${ns}","name":"allow-${destination.name}","action":"allow","ruleIndex":0,"staged":false}]` : '\\N';
        const bytes = Math.floor(random() * 100_000);
        chunk += `${cluster + 1}\t${start}\t${end}\t${source.id}\t${destination.id}\tTCP\t${port}\t${30000 + (index % 30000)}\t${denied ? 'denied' : 'allowed'}\tt\tdestination\t${denied ? 'POLICY_DENIED' : '\\N'}\t${key}\t${trace}\t${bytes}\t${denied ? 0 : bytes * 3}\t${Math.ceil(bytes / 1400)}\t${denied ? 0 : Math.ceil(bytes / 500)}\t1\tcalico\n`;
        rows += 1;
        if (rows === 20_000) {
          yield chunk;
          chunk = '';
          rows = 0;
        }
        if ((index + 1) % 1_000_000 === 0) say(`generated ${(index + 1) / 1_000_000}M flows (${Math.round((performance.now() - loadStarted) / 1000)} s)`);
      }
      if (chunk) yield chunk;
    }
    await copyText(`copy flows (${columns}) from stdin`, flowChunks());
    const loadSec = (performance.now() - loadStarted) / 1000;
    say(`loaded ${TOTAL_FLOWS.toLocaleString('en-US')} flows in ${loadSec.toFixed(0)} s (${Math.round(TOTAL_FLOWS / loadSec).toLocaleString('en-US')} rows/s incl. generation)`);
    const indexStarted = performance.now();
    // NOTE: pg_indexes shows a partitioned index as `ON ONLY flows`, which would build no partition's index.
    for (const index of explorerIndexes) await sql.unsafe(index.definition.replace(' ON ONLY ', ' ON '));
    say(`built the explorer's ${explorerIndexes.length} indexes in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
    say('building the hourly rollup from the flows…');
    await sql`insert into edge_rollup_1h (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
      select cluster_id, date_trunc('hour', start_time), src_id, dst_id, coalesce(dst_port, -1), protocol, verdict, policy_key, coalesce(pending_verdict, ''),
             count(*) filter (where counted), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(end_time)
      from flows group by 1, 2, 3, 4, 5, 6, 7, 8, 9`;
  }
  // The collector's compactor keeps a daily rollup beside the hourly one (free text reads its policy keys).
  if (!(await sql`select 1 from edge_rollup_1d_store limit 1`).length) {
    say('building the daily rollup from the hourly one…');
    await sql`insert into edge_rollup_1d_store (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
      select cluster_id, date_trunc('day', bucket, 'UTC'), src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
             sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
      from edge_rollup_1h_store group by 1, 2, 3, 4, 5, 6, 7, 8, 9`;
    await sql`vacuum analyze`;
  }

  const scope = { clusterIds: null, namespaces: null };
  const filters: { name: string; query: Record<string, string> }[] = [
    { name: 'denied in one namespace, 24 h', query: { range: '24h', verdict: 'denied', ns: 'ns-42' } },
    { name: 'one workload and port, 7 d', query: { range: '7d', verdict: 'all', dstWorkload: 'ns-17/app-3', port: String(PORTS[(17 * WORKLOADS_PER_NS + 3) % PORTS.length]) } },
    { name: 'free text, 24 h', query: { range: '24h', verdict: 'all', q: 'api3.example' } },
  ];
  const pageTimes: number[] = [];
  const histogramTimes: number[] = [];
  for (const filter of filters) {
    const own: number[] = [];
    const ownHistogram: number[] = [];
    let rows = 0;
    let total = 0;
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      const queryNowMs = nowMs - (sample % 5) * 60_000;
      let started = performance.now();
      const page = await listFlows(sql, flowListRequestSchema.parse({ ...filter.query, limit: '200' }), scope, queryNowMs);
      own.push(performance.now() - started);
      rows = page.rows.length;
      started = performance.now();
      const histogram = await getFlowHistogram(sql, flowFilterSchema.parse(filter.query), scope, queryNowMs);
      ownHistogram.push(performance.now() - started);
      total = histogram.total;
    }
    pageTimes.push(...own);
    histogramTimes.push(...ownHistogram);
    say(`${filter.name}: first page p95 ${p95(own).toFixed(0)} ms (${rows} rows), histogram p95 ${p95(ownHistogram).toFixed(0)} ms (${total.toLocaleString('en-US')} flows)`);
  }
  result = { ...result, firstPageP95Ms: Math.round(p95(pageTimes)), histogramP95Ms: Math.round(p95(histogramTimes)) };

  // Export through the production web server.
  if (!existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) {
    say('no production build (.next/BUILD_ID): run `next build` first; export figures are null');
  } else {
    const userId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await sql`insert into users (id, username, role, updated_at) values (${userId}, ${`bench-sre-${userId.slice(0, 8)}`}, 'sre', now())`;
    await sql`insert into sessions (id, user_id, csrf_token, expires_at) values (${createHash('sha256').update(token).digest('hex')}, ${userId}, 'bench', now() + interval '1 day')`;
    // The web server exactly as `npm start` runs it.
    const { buildWebServer } = await import('../build-web-server');
    web = spawn(process.execPath, [await buildWebServer()], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: pg.url, PORT: String(WEB_PORT), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web.stderr?.on('data', (data: Buffer) => process.stderr.write(`[web] ${data}`));
    const base = `http://127.0.0.1:${WEB_PORT}`;
    for (let attempt = 0; ; attempt += 1) {
      const up = await fetch(`${base}/api/health`).then((response) => response.status < 500, () => false);
      if (up) break;
      if (attempt > 120) throw new Error('the web server did not start');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // ~1M rows: 10M flows over 7 days → 1M in about 16.8 h.
    const exportFromMs = nowMs - Math.round((EXPORT_ROWS / TOTAL_FLOWS) * 7 * DAY_MS);
    const query = new URLSearchParams({ range: 'custom', from: String(exportFromMs), to: String(nowMs), verdict: 'all', format: 'csv' });
    const rssOf = (pid: number): number => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    };
    const processTree = (pid: number): number[] => {
      const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
      return [pid, ...children.flatMap(processTree)];
    };
    let peakMb = 0;
    const sampler = setInterval(() => {
      for (const pid of processTree(web?.pid ?? 0)) peakMb = Math.max(peakMb, rssOf(pid));
    }, 100);
    const started = performance.now();
    const response = await fetch(`${base}/api/flows/export?${query}`, { headers: { cookie: `flowlens_session=${token}` } });
    if (!response.ok || !response.body) throw new Error(`export failed: HTTP ${response.status} ${await response.text()}`);
    let lines = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let index = 0; index < value.length; index += 1) if (value[index] === 10) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    for (const pid of processTree(web.pid ?? 0)) peakMb = Math.max(peakMb, rssOf(pid));
    const rows = lines - 1;
    say(`exported ${rows.toLocaleString('en-US')} rows as CSV in ${seconds.toFixed(1)} s; web peak RSS ${peakMb.toFixed(0)} MB`);
    result = { ...result, exportRowsPerSec: Math.round(rows / seconds), exportPeakRssMb: Math.round(peakMb) };
  }
} finally {
  web?.kill('SIGTERM');
  await sql.end();
  await pg.stop();
}
const budgets = [
  result.firstPageP95Ms !== null && result.firstPageP95Ms <= 300 ? 'first page ok' : 'first page OVER budget (300 ms)',
  result.histogramP95Ms !== null && result.histogramP95Ms <= 300 ? 'histogram ok' : 'histogram OVER budget (300 ms)',
  result.exportPeakRssMb !== null && result.exportPeakRssMb <= 400 ? 'export RSS ok' : 'export RSS OVER budget or not measured (400 MB)',
];
say(budgets.join('; '));
console.log(JSON.stringify(result));

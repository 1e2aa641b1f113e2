/**
 * `npm run bench:graph` — the graph's budgets on this machine (issue 4):
 *   graph query p50/p95 for 1h / 24h / 7d windows (p95 ≤ 150 ms for 24 h, ≤ 500 ms for 7 d),
 *   layout of a 2,000-node / 8,000-edge graph (≤ 3 s).
 * Data: deterministic (seeded), 10 million flows' worth of edge rollups over 7 days across 2,000 workloads
 * in 100 namespaces, written with COPY into a fresh embedded PostgreSQL under .bench/graph (port 5541):
 * the 1h rollup for 7 days and the 1m rollup for the last 24 h, plus the endpoint dictionary — the rollups
 * are what the graph query reads. The Chromium part (pan/zoom fps, navigation → ready) is not measured
 * yet and prints null.
 * NOTE: lib/server modules import `server-only`, which only resolves under the `react-server` condition,
 * so the script re-runs itself with `--conditions=react-server`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

if (!process.execArgv.some((arg) => arg.includes('react-server')) && process.env.FLOWLENS_BENCH_CHILD !== '1') {
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', here, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, FLOWLENS_BENCH_CHILD: '1' },
  });
  process.exit(result.status ?? 1);
}

const { startEmbeddedPostgres } = await import('../../lib/db/embedded-postgres');
const { migrateDatabase, readMigrations } = await import('../../lib/db/migrate');
const { migrationsDir, repoRoot } = await import('../../lib/db/paths');
const { createSql } = await import('../../lib/db/sql');
const { createSeededRandom, layoutGraph, buildServiceGraph } = await import('../../core/graph');
const { getGraph } = await import('../../lib/server/graph/get-graph');
const { graphRequestSchema } = await import('../../lib/api/graph');
const { queryGraphRows } = await import('../../lib/server/graph/query-graph-rows');
const { graphWindow } = await import('../../lib/server/graph/graph-window');

const NAMESPACES = 100;
const WORKLOADS = 2_000;
const EDGES = 8_000;
const EXTERNALS = 40;
const TOTAL_FLOWS = 10_000_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PORTS = [80, 443, 8080, 5432, 6379, 9090, 6333, 9000];
const SAMPLES = 20;

const say = (message: string) => console.log(`[bench:graph] ${message}`);
const dataDir = path.join(repoRoot, '.bench', 'graph');
rmSync(dataDir, { recursive: true, force: true });
say(`starting a fresh embedded PostgreSQL in ${path.relative(repoRoot, dataDir)}`);
const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.FLOWLENS_BENCH_PG_PORT ?? 5541), database: 'flowlens' });
const sql = createSql(pg.url, { max: 4, applicationName: 'bench-graph' });

try {
  await migrateDatabase(sql, readMigrations(migrationsDir), () => {});
  await sql`insert into clusters (id, name) values (1, 'bench')`;
  // Anchor on a whole hour so the windows are stable; "now" is the end of the generated data.
  const nowMs = Math.floor(Date.UTC(2026, 10, 20, 12) / HOUR_MS) * HOUR_MS;
  const startMs = nowMs - 7 * DAY_MS;
  for (let dayMs = Math.floor(startMs / DAY_MS) * DAY_MS; dayMs <= nowMs; dayMs += DAY_MS) {
    await sql`select flowlens_ensure_day_partitions(${new Date(dayMs).toISOString().slice(0, 10)}::date)`;
  }

  const random = createSeededRandom(42);
  // Endpoints: 2,000 workloads (ids 1..2000) over 100 namespaces, 40 external peers (ids 2001..).
  const endpointLines: string[] = [];
  for (let index = 0; index < WORKLOADS; index += 1) {
    const namespace = `ns-${String(index % NAMESPACES).padStart(3, '0')}`;
    endpointLines.push(`1\t${index + 1}\tworkload\t${namespace}\tsvc-${index}\tDeployment\t\\N\t\\N\t\\N\t{}\n`);
  }
  for (let index = 0; index < EXTERNALS; index += 1) {
    const domain = index < 5 ? `api-${index}.example.com` : '\\N';
    endpointLines.push(`1\t${WORKLOADS + index + 1}\texternal\t\\N\tpub\t\\N\t\\N\t198.51.100.${index + 1}\t${domain}\t{}\n`);
  }
  await copyLines('copy endpoints (cluster_id, id, kind, namespace, name, workload_kind, pod, ip, domain, labels) from stdin', endpointLines);

  // 8,000 edges: mostly within a namespace or to a neighbouring one, some to external peers.
  interface BenchEdge { source: number; destination: number; port: number; verdict: 'allowed' | 'denied'; policyKey: string; pending: string }
  const edges: BenchEdge[] = [];
  const seen = new Set<string>();
  while (edges.length < EDGES) {
    const source = 1 + Math.floor(random() * WORKLOADS);
    const roll = random();
    const destination =
      roll < 0.05
        ? WORKLOADS + 1 + Math.floor(random() * EXTERNALS)
        : roll < 0.6
          ? 1 + ((source - 1 + NAMESPACES * (1 + Math.floor(random() * 19))) % WORKLOADS)
          : 1 + Math.floor(random() * WORKLOADS);
    if (destination === source || seen.has(`${source}>${destination}`)) continue;
    seen.add(`${source}>${destination}`);
    const denied = random() < 0.03;
    const namespace = `ns-${String((destination - 1) % NAMESPACES).padStart(3, '0')}`;
    edges.push({
      source,
      destination,
      port: PORTS[Math.floor(random() * PORTS.length)] ?? 443,
      verdict: denied ? 'denied' : 'allowed',
      policyKey: denied ? `NetworkPolicy||${namespace}|default-deny|deny|-1` : random() < 0.2 ? '' : `NetworkPolicy||${namespace}|allow-${source % 7}|allow|0`,
      pending: random() < 0.02 ? 'denied' : '',
    });
  }

  const row = (bucketMs: number, edge: BenchEdge, flows: number): string => {
    const lastSeen = new Date(bucketMs + 30_000).toISOString();
    return `1\t${new Date(bucketMs).toISOString()}\t${edge.source}\t${edge.destination}\t${edge.port}\tTCP\t${edge.verdict}\t${edge.policyKey}\t${edge.pending}\t${flows}\t${flows}\t${flows * 1200}\t${flows * 5400}\t${flows * 10}\t${flows * 12}\t${lastSeen}\n`;
  };
  const columns = '(cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)';

  // 1h rollup, 7 days: each edge active in ~85 % of hours; flows scaled so the total is 10 million.
  const hours = 7 * 24;
  const activeRows = Math.round(hours * EDGES * 0.85);
  const flowsPerRow = TOTAL_FLOWS / activeRows;
  let hourRows = 0;
  let hourFlows = 0;
  const generatedMs = Date.now();
  await copyStream(`copy edge_rollup_1h ${columns} from stdin`, function* () {
    for (let hour = 0; hour < hours; hour += 1) {
      const bucketMs = startMs + hour * HOUR_MS;
      let chunk = '';
      for (const edge of edges) {
        if (random() >= 0.85) continue;
        const flows = Math.max(1, Math.round(flowsPerRow * (0.5 + random())));
        chunk += row(bucketMs, edge, flows);
        hourRows += 1;
        hourFlows += flows;
      }
      yield chunk;
    }
  });
  say(`edge_rollup_1h: ${hourRows.toLocaleString('en-US')} rows, ${hourFlows.toLocaleString('en-US')} flows`);

  // 1m rollup, last 24 h: the day's flows spread over minutes (~1.5 flows a row).
  const dayFlows = TOTAL_FLOWS / 7;
  const rowsPerMinute = Math.round(dayFlows / 1440 / 1.5);
  let minuteRows = 0;
  await copyStream(`copy edge_rollup_1m ${columns} from stdin`, function* () {
    for (let minute = 0; minute < 1440; minute += 1) {
      const bucketMs = nowMs - DAY_MS + minute * 60_000;
      const picked = new Set<number>();
      let chunk = '';
      while (picked.size < rowsPerMinute) {
        const index = Math.floor(random() * EDGES);
        if (picked.has(index)) continue;
        picked.add(index);
        const edge = edges[index];
        if (edge) chunk += row(bucketMs, edge, 1 + Math.floor(random() * 2));
      }
      minuteRows += picked.size;
      yield chunk;
    }
  });
  say(`edge_rollup_1m: ${minuteRows.toLocaleString('en-US')} rows; data generated and loaded in ${((Date.now() - generatedMs) / 1000).toFixed(1)} s`);
  await sql`analyze`;

  // Graph query: the whole server path (rollup query + core build) as the API runs it.
  const results: Record<string, { p50: number; p95: number; nodes: number; edges: number; rows: number }> = {};
  for (const range of ['1h', '24h', '7d'] as const) {
    const request = graphRequestSchema.parse({ range });
    const timings: number[] = [];
    let last: Awaited<ReturnType<typeof getGraph>> | null = null;
    for (let index = 0; index < SAMPLES + 2; index += 1) {
      const started = performance.now();
      last = await getGraph(request, { sql, nowMs });
      if (index >= 2) timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    results[range] = {
      p50: percentile(timings, 0.5),
      p95: percentile(timings, 0.95),
      nodes: last?.graph.nodes.length ?? 0,
      edges: last?.graph.edges.length ?? 0,
      rows: last?.rowCount ?? 0,
    };
    say(`graph query ${range.padEnd(3)} (${last?.rollup} rollup, ${results[range].rows} rows → ${results[range].nodes} nodes / ${results[range].edges} edges at ${last?.graph.level} level): p50 ${results[range].p50.toFixed(1)} ms, p95 ${results[range].p95.toFixed(1)} ms`);
  }

  // Layout: the 7-day graph at workload level (≈2,000 nodes, ≈8,000 edges), as the worker runs it.
  const rows = await queryGraphRows(sql, { window: graphWindow(nowMs - 7 * DAY_MS, nowMs), clusterIds: [1], namespaces: [], verdict: 'all', withPods: false });
  const workloadGraph = buildServiceGraph({ rows, level: 'workload' });
  const input = { nodes: workloadGraph.nodes.map((node) => ({ id: node.id, groupId: node.groupId })), edges: workloadGraph.edges.map((edge) => ({ source: edge.source, target: edge.target })) };
  layoutGraph({ nodes: input.nodes.slice(0, 50), edges: [] }, { seed: 1 }); // warm the JIT
  const layoutStarted = performance.now();
  layoutGraph(input, { seed: 'flowlens' });
  const layoutMs = performance.now() - layoutStarted;
  say(`layout of ${input.nodes.length} nodes / ${input.edges.length} edges: ${layoutMs.toFixed(0)} ms`);
  say('pan/zoom fps and navigation → ready: not measured (Chromium part not built yet) → null');

  const summary = {
    query1hP95Ms: round(results['1h']?.p95),
    query24hP95Ms: round(results['24h']?.p95),
    query7dP95Ms: round(results['7d']?.p95),
    layout2000Ms: round(layoutMs),
    panFps: null,
    readyMs: null,
  };
  console.log(JSON.stringify(summary));
} finally {
  await sql.end();
  await pg.stop();
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 10) / 10;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

async function copyLines(statement: string, lines: readonly string[]): Promise<void> {
  await copyStream(statement, function* () {
    for (let index = 0; index < lines.length; index += 5_000) yield lines.slice(index, index + 5_000).join('');
  });
}

/** COPY … FROM STDIN fed from a generator of text chunks, respecting back-pressure. */
async function copyStream(statement: string, chunks: () => Generator<string>): Promise<void> {
  const writable = await sql.unsafe(statement).writable();
  for (const chunk of chunks()) {
    if (!chunk) continue;
    if (!writable.write(chunk)) await new Promise<void>((resolve) => writable.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    writable.once('error', reject);
    writable.once('finish', () => resolve());
    writable.end();
  });
}

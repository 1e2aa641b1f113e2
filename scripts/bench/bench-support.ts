/** Small pieces every benchmark script needs. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Sql } from 'postgres';
import { fileURLToPath } from 'node:url';

/**
 * Benchmarks that call lib/server (which starts with `import 'server-only'`) must run under the
 * `react-server` export condition, as Next runs that code. Re-runs the calling script that way and
 * exits with its code; returns (doing nothing) when already there. Import lib/server dynamically after.
 */
export function rerunUnderReactServer(scriptUrl: string): void {
  if (process.execArgv.some((arg) => arg.includes('react-server')) || process.env.FLOWLENS_BENCH_CHILD === '1') return;
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', fileURLToPath(scriptUrl), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, FLOWLENS_BENCH_CHILD: '1' },
  });
  process.exit(result.status ?? 1);
}

/** A `/proc/<pid>/status` field in kB (`VmRSS`, `VmHWM` = peak RSS); 0 when the process is gone. */
export function readProcessStatusKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return 0;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds (user + system, all threads) a process has used so far, from `/proc/<pid>/stat`; 0 when
 * it is gone. Per-flow CPU is the figure that stays comparable when other work shares the machine.
 */
export function readProcessCpuSeconds(pid: number | undefined): number {
  return pid ? readStatFields(pid, [11, 12]) / CLOCK_TICKS_PER_SECOND : 0;
}

/** USER_HZ: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by a Postgres cluster: its postmaster (with the children it has reaped) and
 * every live child (backends, WAL writer, checkpointer, autovacuum). Read from the cluster directory's
 * `postmaster.pid`; 0 when the server is not running.
 */
export function readPostgresCpuSeconds(clusterDir: string): number {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(`${clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
  let ticks = readStatFields(postmaster, [11, 12, 13, 14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = readStat(Number(entry));
    if (fields && Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Busy and total CPU seconds of the whole machine so far (all cores), from `/proc/stat`. */
export function readMachineCpuSeconds(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

/** The fields of `/proc/<pid>/stat` after the command name (which may hold spaces); null when it is gone. */
function readStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function readStatFields(pid: number, indexes: number[]): number {
  const fields = readStat(pid);
  return fields ? indexes.reduce((sum, index) => sum + Number(fields[index]), 0) : 0;
}

/** BENCH_PG_STATS=1: a benchmark also lists the statements Postgres spent its timed part on. */
export const STATEMENT_STATS = process.env.BENCH_PG_STATS === '1';

/** Server settings that load pg_stat_statements (with {@link STATEMENT_STATS}; none otherwise). */
export function statementStatsSettings(): { settings?: string[] } {
  return STATEMENT_STATS ? { settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] } : {};
}

/** Creates the extension and forgets what it counted so far (call where the timed part starts). */
export async function resetStatementStats(sql: Sql): Promise<void> {
  if (!STATEMENT_STATS) return;
  await sql`create extension if not exists pg_stat_statements`;
  await sql`select pg_stat_statements_reset()`;
}

/** Logs the statements that took the most time since {@link resetStatementStats}. */
export async function logStatementStats(sql: Sql, log: (message: string) => void): Promise<void> {
  if (!STATEMENT_STATS) return;
  const top = await sql<{ calls: number; ms: number; rows: number; query: string }[]>`
    select calls::int, round(total_exec_time)::int as ms, rows::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
    from pg_stat_statements where total_exec_time >= 1 order by total_exec_time desc limit 15`;
  log('Postgres statements by time:');
  for (const row of top) log(`  ${String(row.ms).padStart(7)} ms ${String(row.calls).padStart(5)} calls ${String(row.rows).padStart(7)} rows  ${row.query}`);
}

/** Small pieces every benchmark script needs. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** USER_HZ: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

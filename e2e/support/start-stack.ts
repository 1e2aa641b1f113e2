/**
 * Starts the whole product exactly as `npm start` does — `npx tsx scripts/start.ts` — against a fresh
 * data directory, and waits for the launcher's "ready" line. `stop()` sends SIGINT (what Ctrl-C does) and
 * waits for the launcher to shut Postgres, the collector and Next down in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  E2E_COLLECTOR_PORT,
  E2E_DATA_DIR,
  E2E_PG_PORT,
  E2E_WEB_PORT,
  READY_LINE,
  READY_TIMEOUT_MS,
  REPO_ROOT,
} from './stack-config';

export interface StackHandle {
  pid: number;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 60_000;
const KILL_GRACE_MS = 15_000;

const LOCK_FILE = path.join(path.dirname(E2E_DATA_DIR), 'e2e.lock');
const LOCK_WAIT_MS = 20 * 60_000;

/**
 * One e2e stack at a time per checkout: its ports and data directory are fixed, and a second run
 * would wipe the first one's data. Waits for a live holder; takes over from a dead one.
 */
async function acquireLock(): Promise<void> {
  mkdirSync(path.dirname(LOCK_FILE), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(LOCK_FILE, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const holder = Number.parseInt(readFileSync(LOCK_FILE, 'utf8'), 10);
      if (!Number.isInteger(holder) || !isAlive(holder)) {
        rmSync(LOCK_FILE, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`e2e: another e2e run (pid ${holder}) holds ${LOCK_FILE}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

function releaseLock(): void {
  try {
    if (Number.parseInt(readFileSync(LOCK_FILE, 'utf8'), 10) === process.pid) rmSync(LOCK_FILE, { force: true });
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startStack(): Promise<StackHandle> {
  await acquireLock();
  process.once('exit', releaseLock);
  rmSync(E2E_DATA_DIR, { recursive: true, force: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWLENS_DATA_DIR: E2E_DATA_DIR,
    FLOWLENS_WEB_PORT: String(E2E_WEB_PORT),
    FLOWLENS_COLLECTOR_PORT: String(E2E_COLLECTOR_PORT),
    FLOWLENS_PG_PORT: String(E2E_PG_PORT),
    FLOWLENS_DEMO_BACKFILL: '6h',
    // 200 records per 5 minutes per cluster: twice the default density, as the suite's history always had.
    FLOWLENS_DEMO_RATE: '1.34',
    NEXT_TELEMETRY_DISABLED: '1',
    // The tests play the reverse proxy: they say which address each request comes from (X-Forwarded-For),
    // as a proxy would, so throttling tests do not lock out 127.0.0.1 for every other spec.
    FLOWLENS_TRUSTED_PROXIES: '1',
  };
  // The stack must use its own embedded Postgres, never a developer's database.
  delete env.DATABASE_URL;

  // detached: the launcher gets its own process group, so a last-resort kill reaches its children too.
  // FLOWLENS_E2E_LAUNCHER: another launcher script to test (a patched copy while debugging it).
  const launcher = process.env.FLOWLENS_E2E_LAUNCHER ?? 'scripts/start.ts';
  // node itself (not npx): a signal sent to the pid reaches the launcher, which stops its children.
  const child = spawn(process.execPath, ['--import', 'tsx', launcher], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`e2e: could not spawn \`node --import tsx ${launcher}\``);
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  const recentOutput: string[] = [];

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`e2e: the launcher did not print "${READY_LINE}" within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const onLine = (stream: 'out' | 'err') => (line: string) => {
      recentOutput.push(line);
      if (recentOutput.length > 80) recentOutput.shift();
      process.stdout.write(`[flowlens${stream === 'err' ? ':err' : ''}] ${line}\n`);
      if (stream === 'out' && line.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    };
    forEachLine(child, 'stdout', onLine('out'));
    forEachLine(child, 'stderr', onLine('err'));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`e2e: the launcher exited (code ${code}) before it was ready`));
    });
  });

  const stopLauncher = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal(pid, 'SIGINT', false);
    if (await exitsWithin(exited, STOP_GRACE_MS)) return;
    console.warn(`e2e: the launcher did not stop within ${STOP_GRACE_MS / 1000} s of SIGINT; interrupting its process group`);
    signal(pid, 'SIGINT', true);
    if (await exitsWithin(exited, KILL_GRACE_MS)) return;
    signal(pid, 'SIGKILL', true);
    await exitsWithin(exited, KILL_GRACE_MS);
  };
  const stop = async (): Promise<void> => {
    try {
      await stopLauncher();
    } finally {
      releaseLock();
    }
  };

  try {
    await ready;
  } catch (error) {
    await stop();
    const tail = recentOutput.slice(-30).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- last launcher output ---\n${tail}`, { cause: error });
  }
  return { pid, stop };
}

function forEachLine(child: ChildProcess, streamName: 'stdout' | 'stderr', onLine: (line: string) => void): void {
  let buffered = '';
  const stream = child[streamName];
  if (!stream) return;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
    buffered = '';
  });
}

/** Signals the launcher (its pid) or, with `group`, its whole process group. */
function signal(pid: number, name: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    // already gone
  }
}

async function exitsWithin(exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const result = await Promise.race([exited.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return result;
}

/**
 * `npm start` — runs all of flowlens on one machine:
 *   embedded PostgreSQL (unless DATABASE_URL) → migrations → first admin user → web build if sources
 *   changed → collector and web app as child processes → demo traffic (unless FLOWLENS_DEMO=0).
 * Ctrl-C stops every child and the database cleanly; a crashed child is restarted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { collectorNodeArgs } from '../collector/node-flags';
import { ensureAdminUser } from '../lib/auth/ensure-admin-user';
import { stopOrphanPostmaster } from '../lib/db/embedded-postgres';
import { migrateDatabase, readMigrations } from '../lib/db/migrate';
import { dataDir as resolveDataDir, migrationsDir, repoRoot } from '../lib/db/paths';
import { DEFAULT_EMBEDDED_PG_PORT, envPort, resolveDatabase } from '../lib/db/resolve-database';
import { createSql } from '../lib/db/sql';
import { buildWebServer } from './build-web-server';

const dataDir = resolveDataDir();
const pidFile = path.join(dataDir, 'children.json');
const demoMarker = path.join(dataDir, 'demo-backfilled');
const say = (message: string): void => console.log(`[flowlens] ${message}`);

interface ChildSpec {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  restart: boolean;
}

const children = new Map<string, ChildProcess>();
const CHILD_MARKERS = ['collector/main.ts', 'collector/demo/main.ts', 'flowlens-web-server.mjs', 'next start', 'next-server', 'next/dist/bin/next'];
let stopping = false;
let stopDatabaseOnExit: (() => Promise<void>) | null = null;

async function main(): Promise<void> {
  const webPort = envPort('FLOWLENS_WEB_PORT', envPort('PORT', 3000));
  const collectorPort = envPort('FLOWLENS_COLLECTOR_PORT', 4800);
  const pgPort = envPort('FLOWLENS_PG_PORT', DEFAULT_EMBEDDED_PG_PORT);
  const demoEnabled = !['0', 'false', 'no', 'off'].includes((process.env.FLOWLENS_DEMO ?? '1').toLowerCase());
  mkdirSync(dataDir, { recursive: true });

  await stopOrphanChildren();
  if (!process.env.DATABASE_URL) await stopOrphanPostmaster(path.join(dataDir, 'pg'), say);
  await requireFreePort(webPort, 'FLOWLENS_WEB_PORT');
  await requireFreePort(collectorPort, 'FLOWLENS_COLLECTOR_PORT');
  if (!process.env.DATABASE_URL) await requireFreePort(pgPort, 'FLOWLENS_PG_PORT');

  const startedMs = Date.now();
  say(process.env.DATABASE_URL ? 'using the PostgreSQL at DATABASE_URL' : `starting embedded PostgreSQL (data in ${path.relative(repoRoot, dataDir) || '.'}/pg, port ${pgPort})`);
  // Stopped by this launcher, last: a Ctrl-C reaches the services, which finish their work first.
  const database = await resolveDatabase({ dataDir, port: pgPort, log: () => {}, stoppedByCaller: true });
  const stopDatabase = async (): Promise<void> => {
    if (database.embedded) {
      say('stopping PostgreSQL');
      await database.embedded.stop();
    }
  };
  stopDatabaseOnExit = stopDatabase;
  installSignalHandlers(stopDatabase);

  const sql = createSql(database.url, { max: 2, applicationName: 'flowlens-start' });
  const migrated = await migrateDatabase(sql, readMigrations(migrationsDir), (message) => say(message));
  if (migrated.applied.length === 0) say(`database schema is up to date (${migrated.alreadyApplied} migrations)`);
  const admin = await ensureAdminUser({ sql, dataDir });
  await sql.end();

  await buildWebIfNeeded();
  const webServer = await buildWebServer();

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    FLOWLENS_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: '1',
    FLOWLENS_COLLECTOR_PORT: String(collectorPort),
    FLOWLENS_WEB_PORT: String(webPort),
  };
  const tsx = ['--import', 'tsx'];
  startChild({ name: 'collector', args: [...collectorNodeArgs(), 'collector/main.ts'], env: childEnv, restart: true });
  await waitForHttp(`http://127.0.0.1:${collectorPort}/healthz`, 60_000, 'collector');
  startChild({
    name: 'web',
    args: [webServer],
    env: { ...childEnv, PORT: String(webPort), NODE_ENV: 'production' },
    restart: true,
  });
  await waitForHttp(`http://127.0.0.1:${webPort}/api/health`, 120_000, 'web app');

  if (demoEnabled) {
    const firstRun = !existsSync(demoMarker);
    const backfill = firstRun ? process.env.FLOWLENS_DEMO_BACKFILL ?? '7d' : '0';
    if (firstRun) writeFileSync(demoMarker, new Date().toISOString() + '\n');
    startChild({
      name: 'demo',
      args: [
        ...tsx, 'collector/demo/main.ts',
        '--seed', process.env.FLOWLENS_DEMO_SEED ?? '1',
        ...(process.env.FLOWLENS_DEMO_RATE ? ['--rate', process.env.FLOWLENS_DEMO_RATE] : []),
        '--backfill', backfill,
        '--collector', `http://127.0.0.1:${collectorPort}`,
      ],
      env: childEnv,
      restart: false,
    });
  }

  const url = `http://localhost:${webPort}`;
  const passwordFile = path.relative(process.cwd(), admin.passwordFile) || admin.passwordFile;
  console.log('');
  say(`flowlens is ready: ${url}  (started in ${((Date.now() - startedMs) / 1000).toFixed(1)} s)`);
  if (admin.created && admin.password) {
    say(`first start: created user "admin" with password ${admin.password}`);
    say(`(saved in ${passwordFile}, readable only by you; change it under Settings)`);
  } else {
    say(`log in as "admin" with the password in ${passwordFile}`);
  }
  say(`collector ingest: http://127.0.0.1:${collectorPort}/v1/flows   ${demoEnabled ? 'demo traffic: on (FLOWLENS_DEMO=0 to disable)' : 'demo traffic: off'}`);
  say('press Ctrl-C to stop');
}

// Next's CLI entry script inside node_modules (it has no .js extension).
function require(id: string): string {
  return path.join(repoRoot, 'node_modules', id);
}

function startChild(spec: ChildSpec, attempt = 0): void {
  const child = spawn(process.execPath, spec.args, { cwd: repoRoot, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(spec.name, child);
  recordChildren();
  prefixOutput(child, spec.name);
  const startedMs = Date.now();
  child.on('exit', (code, signal) => {
    children.delete(spec.name);
    recordChildren();
    if (stopping) return;
    if (!spec.restart) {
      if (code !== 0) say(`${spec.name} exited (${signal ?? `code ${code}`})`);
      return;
    }
    // Restart with backoff; a child that ran for a while starts its backoff afresh.
    const nextAttempt = Date.now() - startedMs > 60_000 ? 0 : attempt + 1;
    const delayMs = Math.min(30_000, 500 * 2 ** nextAttempt);
    say(`${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${(delayMs / 1000).toFixed(1)} s`);
    setTimeout(() => {
      if (!stopping) startChild(spec, nextAttempt);
    }, delayMs);
  });
}

function prefixOutput(child: ChildProcess, name: string): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') console.log(`[${name}] ${line}`);
    });
  }
}

function recordChildren(): void {
  const pids = [...children.values()].map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
  try {
    writeFileSync(pidFile, JSON.stringify({ launcher: process.pid, pids }) + '\n');
  } catch {
    // The data directory may be gone during shutdown; nothing to record then.
  }
}

/** A launcher killed with SIGKILL leaves its children running; stop them before starting anew. */
async function stopOrphanChildren(): Promise<void> {
  if (!existsSync(pidFile)) return;
  const killed: number[] = [];
  try {
    const recorded = JSON.parse(readFileSync(pidFile, 'utf8')) as { launcher?: number; pids?: number[] };
    if (recorded.launcher && recorded.launcher !== process.pid && isAlive(recorded.launcher)) {
      const cmdline = readCmdline(recorded.launcher);
      if (cmdline.includes('scripts/start.ts')) {
        console.error(`[flowlens] another flowlens start (pid ${recorded.launcher}) is running with this data directory; stop it first`);
        process.exit(1);
      }
    }
    for (const pid of recorded.pids ?? []) {
      const cmdline = readCmdline(pid);
      if (isAlive(pid) && CHILD_MARKERS.some((marker) => cmdline.includes(marker))) {
        say(`stopping process ${pid} left running by an earlier start`);
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      }
    }
  } catch {
    // An unreadable pid file is stale by definition.
  }
  // Their ports are free only once they are gone.
  const deadline = Date.now() + 10_000;
  while (killed.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
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

function requireFreePort(port: number, variable: string): Promise<void> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      console.error(
        error.code === 'EADDRINUSE'
          ? `[flowlens] port ${port} is already in use; set ${variable} to another port (e.g. ${variable}=${port + 1} npm start)`
          : `[flowlens] cannot use port ${port} (${error.code ?? error.message}); set ${variable} to another port`,
      );
      process.exit(1);
    });
    server.listen(port, () => server.close(() => resolve()));
  });
}

async function waitForHttp(url: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (stopping) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s (see its output above)`);
}

/** Builds the production web app when no build exists or any source it depends on changed. */
async function buildWebIfNeeded(): Promise<void> {
  const stampFile = path.join(repoRoot, '.next', 'flowlens-source-hash');
  const hash = sourceHash();
  if (existsSync(path.join(repoRoot, '.next', 'BUILD_ID')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
    say('web app build is up to date');
    return;
  }
  say('building the web app (first start or sources changed; takes a few minutes on 2 cores)…');
  const startedMs = Date.now();
  const result = spawnSync(process.execPath, [require('next/dist/bin/next'), 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('next build failed (see above)');
  writeFileSync(stampFile, hash);
  say(`web app built in ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const roots = ['app', 'components', 'lib', 'core', 'public'];
  const files = ['package-lock.json', 'next.config.ts', 'tsconfig.json'];
  const walk = (directory: string): void => {
    if (!existsSync(directory)) return;
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.test.ts')) files.push(path.relative(repoRoot, full));
    }
  };
  for (const root of roots) walk(path.join(repoRoot, root));
  for (const file of files) {
    const full = path.join(repoRoot, file);
    if (!existsSync(full)) continue;
    hash.update(file).update('\0').update(String(statSync(full).size)).update('\0').update(readFileSync(full));
  }
  return hash.digest('hex');
}

function installSignalHandlers(stopDatabase: () => Promise<void>): void {
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    const exits = [...children.entries()].map(
      ([name, child]) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            say(`${name} did not stop in 10 s; killing it`);
            child.kill('SIGKILL');
          }, 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    await stopDatabase().catch((error: unknown) => say(`PostgreSQL did not stop cleanly: ${String(error)}`));
    recordChildren();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A closed terminal.
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
}

main().catch(async (error: unknown) => {
  console.error(`[flowlens] ${error instanceof Error ? error.message : String(error)}`);
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  await stopDatabaseOnExit?.().catch(() => {});
  process.exit(1);
});

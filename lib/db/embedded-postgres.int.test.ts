/**
 * Shutdown order of the embedded PostgreSQL. A terminal's Ctrl-C signals the whole foreground process
 * group; the launcher must still be able to stop its services while the database runs, and stop the
 * database last. A process that orders nothing itself still takes its server down when it exits.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './paths';
import { freePort } from '../testing/free-port';

const helper = path.join(repoRoot, 'lib', 'testing', 'hold-embedded-postgres.ts');
const dataDirs: string[] = [];

afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startHolder(mode: 'caller' | 'package') {
  const dataDir = path.join(repoRoot, '.test-data', `hold-pg-${mode}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  dataDirs.push(dataDir);
  // detached: a process group of its own, as a terminal gives the command it runs.
  const child = spawn(process.execPath, ['--import', 'tsx', helper, dataDir, String(await freePort()), mode], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!output.includes('ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the holder did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  expect(existsSync(pidFile)).toBe(true);
  return { child, exited, pidFile, output: () => output };
}

async function waitForGone(file: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return !existsSync(file);
}

describe('embedded PostgreSQL shutdown', () => {
  it('stopped by its caller: a Ctrl-C to the process group leaves the server up until the caller stops it', async () => {
    const holder = await startHolder('caller');
    process.kill(-(holder.child.pid as number), 'SIGINT');
    const code = await holder.exited;
    expect(holder.output()).toContain('query after SIGINT: ok');
    expect(holder.output()).toContain('stopped');
    expect(code).toBe(0);
    expect(existsSync(holder.pidFile)).toBe(false);
  }, 120_000);

  it('otherwise the server goes down with the process that started it', async () => {
    const holder = await startHolder('package');
    process.kill(holder.child.pid as number, 'SIGTERM');
    await holder.exited;
    expect(await waitForGone(holder.pidFile, 30_000)).toBe(true);
  }, 120_000);
});

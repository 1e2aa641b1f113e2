/**
 * Starts the real collector as its own process for integration tests (`node --import tsx collector/main.ts`)
 * on a free port, and returns its URL once /healthz answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectorNodeArgs } from '../node-flags';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningCollector {
  url: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export async function startCollector(options: {
  databaseUrl: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  port?: number;
  waitForHttp?: boolean;
}): Promise<RunningCollector> {
  const child = spawn(process.execPath, [...collectorNodeArgs(), 'collector/main.ts', ...(options.args ?? [])], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      FLOWLENS_COLLECTOR_PORT: String(options.port ?? 0),
      FLOWLENS_COLLECTOR_HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  };
  if (options.waitForHttp === false) return { url: '', port: 0, process: child, output: () => output, stop };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
    if (match?.[1]) {
      const port = Number(match[1]);
      return { url: `http://127.0.0.1:${port}`, port, process: child, output: () => output, stop };
    }
    if (child.exitCode !== null) throw new Error(`collector exited early (code ${child.exitCode}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop('SIGKILL');
  throw new Error(`collector did not start within 30 s:\n${output}`);
}

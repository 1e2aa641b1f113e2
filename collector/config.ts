/**
 * Collector configuration from command-line flags and environment variables, validated once at start.
 * Every variable is documented in the README ("Configuration").
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FLOW_FORMATS, type FlowFormat } from '../core/flow/types';

export interface CollectorConfig {
  databaseUrl: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  maxInflatedBytes: number;
  writerConcurrency: number;
  maxGroupFlows: number;
  rollupCompactMs: number;
  queueMaxBatches: number;
  keepRaw: boolean;
  hubbleWindowMs: number;
  maxFlowAgeMs: number;
  databasePoolSize: number;
  retryAfterSec: number;
  tails: string[];
  stdin: boolean;
  format?: FlowFormat;
  vpcFields?: string[];
  cluster?: string;
  /** Serve HTTP even with --stdin/--tail (default: HTTP unless --stdin). */
  http: boolean;
}

const envSchema = z.object({
  FLOWLENS_COLLECTOR_HOST: z.string().min(1).default('0.0.0.0'),
  FLOWLENS_COLLECTOR_PORT: z.coerce.number().int().min(0).max(65535).default(4800),
  FLOWLENS_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  FLOWLENS_MAX_INFLATED_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  FLOWLENS_WRITER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  FLOWLENS_WRITER_MAX_GROUP_FLOWS: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  FLOWLENS_ROLLUP_COMPACT_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  FLOWLENS_QUEUE_MAX_BATCHES: z.coerce.number().int().min(0).max(10_000).default(2),
  FLOWLENS_KEEP_RAW: z.enum(['true', 'false', '1', '0']).default('true'),
  FLOWLENS_HUBBLE_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(10_000),
  FLOWLENS_MAX_FLOW_AGE_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  FLOWLENS_DB_POOL: z.coerce.number().int().min(2).max(100).default(8),
  FLOWLENS_RETRY_AFTER_SEC: z.coerce.number().int().min(1).max(3600).default(5),
});

export class ConfigError extends Error {}

export function loadCollectorConfig(argv: string[], env: NodeJS.ProcessEnv, repoRoot: string): CollectorConfig {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        tail: { type: 'string', multiple: true },
        stdin: { type: 'boolean', default: false },
        format: { type: 'string' },
        'vpc-fields': { type: 'string' },
        cluster: { type: 'string' },
        port: { type: 'string' },
        http: { type: 'boolean' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  if (args.help) throw new ConfigError(USAGE);

  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) {
    const issue = parsedEnv.error.issues[0];
    throw new ConfigError(`invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsedEnv.data;
  if (args.format !== undefined && !(FLOW_FORMATS as readonly string[]).includes(args.format)) {
    throw new ConfigError(`--format ${args.format} is not one of ${FLOW_FORMATS.join(', ')}`);
  }
  const tails = args.tail ?? [];
  if ((tails.length > 0 || args.stdin) && !args.cluster) {
    throw new ConfigError('--tail and --stdin need --cluster NAME (the cluster the lines belong to)');
  }
  const port = args.port !== undefined ? Number(args.port) : e.FLOWLENS_COLLECTOR_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port ${args.port} is not a port number`);

  return {
    databaseUrl: resolveDatabaseUrl(env, repoRoot),
    host: e.FLOWLENS_COLLECTOR_HOST,
    port,
    maxBodyBytes: e.FLOWLENS_MAX_BODY_BYTES,
    maxInflatedBytes: e.FLOWLENS_MAX_INFLATED_BYTES,
    writerConcurrency: e.FLOWLENS_WRITER_CONCURRENCY,
    maxGroupFlows: e.FLOWLENS_WRITER_MAX_GROUP_FLOWS,
    rollupCompactMs: e.FLOWLENS_ROLLUP_COMPACT_MS,
    queueMaxBatches: e.FLOWLENS_QUEUE_MAX_BATCHES,
    keepRaw: e.FLOWLENS_KEEP_RAW === 'true' || e.FLOWLENS_KEEP_RAW === '1',
    hubbleWindowMs: e.FLOWLENS_HUBBLE_WINDOW_MS,
    maxFlowAgeMs: e.FLOWLENS_MAX_FLOW_AGE_DAYS * 86_400_000,
    databasePoolSize: e.FLOWLENS_DB_POOL,
    retryAfterSec: e.FLOWLENS_RETRY_AFTER_SEC,
    tails,
    stdin: args.stdin ?? false,
    ...(args.format ? { format: args.format as FlowFormat } : {}),
    ...(args['vpc-fields'] ? { vpcFields: args['vpc-fields'].split(/[\s,]+/).filter(Boolean) } : {}),
    ...(args.cluster ? { cluster: args.cluster } : {}),
    http: args.http ?? !args.stdin,
  };
}

/**
 * DATABASE_URL, or the embedded PostgreSQL that `npm start` runs (its password file under the data
 * directory), so `npm run collector` works next to a running `npm start` with no configuration.
 */
function resolveDatabaseUrl(env: NodeJS.ProcessEnv, repoRoot: string): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const dataDir = path.resolve(repoRoot, env.FLOWLENS_DATA_DIR ?? '.data');
  const passwordFile = path.join(dataDir, 'pg-password');
  if (existsSync(passwordFile)) {
    const password = readFileSync(passwordFile, 'utf8').trim();
    const port = env.FLOWLENS_PG_PORT ?? '5433';
    return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/flowlens`;
  }
  throw new ConfigError(
    'DATABASE_URL is not set and no embedded database was found under ' + dataDir + ': set DATABASE_URL, or run `npm start` first',
  );
}

export const USAGE = `usage: npm run collector -- [options]
  (no options)                 serve the HTTP ingest API on FLOWLENS_COLLECTOR_PORT (default 4800)
  --tail PATH [--tail PATH2]   follow files (rotation- and restart-safe); needs --cluster
  --stdin                      read lines from standard input; needs --cluster
  --format F                   calico | goldmane | hubble | vpc | native (default: auto-detect)
  --vpc-fields "f1 f2 …"       field order of VPC flow logs without a header line
  --cluster NAME               cluster the tailed/stdin lines belong to (created if new)
  --port N                     HTTP port (overrides FLOWLENS_COLLECTOR_PORT)
  --http                       also serve HTTP with --stdin`;

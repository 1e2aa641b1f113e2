/**
 * One way to get a database for every entry point (start, db:migrate, collector, tests):
 * DATABASE_URL when set, else the embedded PostgreSQL under the data directory.
 */
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedPostgresHandle | null;
}

export const DEFAULT_EMBEDDED_PG_PORT = 5433;

export async function resolveDatabase(options: {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (message: string) => void;
  /** See StartEmbeddedPostgresOptions.stoppedByCaller. */
  stoppedByCaller?: boolean;
}): Promise<ResolvedDatabase> {
  const url = process.env.DATABASE_URL;
  if (url && url.trim() !== '') return { url, embedded: null };
  const port = options.port ?? envPort('FLOWLENS_PG_PORT', DEFAULT_EMBEDDED_PG_PORT);
  const embedded = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    port,
    database: options.database ?? 'flowlens',
    log: options.log,
    stoppedByCaller: options.stoppedByCaller,
  });
  return { url: embedded.url, embedded };
}

export function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${raw} is not a port number (1-65535)`);
  }
  return port;
}

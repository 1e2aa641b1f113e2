/** postgres.js client factory for the flow hot path and flow queries (never Prisma for flows). */
import postgres, { type Sql } from 'postgres';

export interface CreateSqlOptions {
  max?: number;
  /** Label visible in pg_stat_activity.application_name. */
  applicationName?: string;
  idleTimeoutSec?: number;
  connectTimeoutSec?: number;
}

export function createSql(url: string, options: CreateSqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSec ?? 30,
    connect_timeout: options.connectTimeoutSec ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'flowlens' },
    // NOTE: int8 stays a string (endpoint ids are full 64-bit hashes); cast counters in SQL when a
    // number is wanted.
  });
}

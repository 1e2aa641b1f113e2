import 'server-only';
import type { Sql } from 'postgres';
import { createSql } from '../db/sql';
import { createPrisma, type PrismaClient } from '../db/prisma';

/**
 * One postgres.js client (flow queries) and one Prisma client (app data) per server process.
 * Created lazily so `next build` never needs a database. Kept on globalThis because `next dev`
 * re-evaluates modules on every edit and would otherwise leak a pool per reload.
 */
interface DatabaseClients {
  sql?: Sql;
  prisma?: PrismaClient;
}

const holder = globalThis as typeof globalThis & { __flowlensDatabase?: DatabaseClients };
const clients: DatabaseClients = (holder.__flowlensDatabase ??= {});

function databaseUrlOrThrow(): string {
  const url = process.env.DATABASE_URL;
  if (!url || url.trim() === '') {
    // NOTE: the launcher (scripts/start.ts) sets DATABASE_URL for the Next server it spawns.
    throw new Error('DATABASE_URL is not set: start the web app with `npm start`, or set DATABASE_URL');
  }
  return url;
}

/** The process-wide postgres.js client (flow tables, hand-written SQL). */
export function getSql(): Sql {
  clients.sql ??= createSql(databaseUrlOrThrow(), { max: 10, applicationName: 'flowlens-web' });
  return clients.sql;
}

/** The process-wide Prisma client (users, sessions, clusters, tokens…). */
export function getPrisma(): PrismaClient {
  clients.prisma ??= createPrisma(databaseUrlOrThrow());
  return clients.prisma;
}

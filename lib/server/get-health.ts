import 'server-only';
import { getSql } from './db';

export interface Health {
  status: 'ok' | 'degraded';
  database: 'ok' | 'unreachable';
}

/** Liveness plus a database round trip, bounded so a hung database cannot hang the probe. */
export async function getHealth(options: { timeoutMs: number }): Promise<Health> {
  try {
    await Promise.race([
      getSql()`select 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('database check timed out')), options.timeoutMs)),
    ]);
    return { status: 'ok', database: 'ok' };
  } catch {
    return { status: 'degraded', database: 'unreachable' };
  }
}

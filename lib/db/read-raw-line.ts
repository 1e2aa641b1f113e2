/** Reads the original text of a stored flow back from its compressed batch (`raw_batches`). */
import { gunzipSync } from 'node:zlib';
import type { Sql } from 'postgres';

export async function readRawLine(sql: Sql, clusterDbId: number, batchId: string | number, line: number): Promise<string | null> {
  const [row] = await sql<{ body: Buffer }[]>`
    select body from raw_batches where cluster_id = ${clusterDbId} and id = ${String(batchId)}`;
  if (!row) return null;
  const lines = gunzipSync(row.body).toString('utf8').split('\n');
  // Bodies are stored as received; the collector strips a CR before parsing, so do the same here.
  const text = lines[line - 1];
  return text === undefined ? null : text.endsWith('\r') ? text.slice(0, -1) : text;
}

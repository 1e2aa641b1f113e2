/** Reads the original text of a stored flow back from its compressed batch (`raw_batches`). */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Sql } from 'postgres';

export async function readRawLine(sql: Sql, clusterDbId: number, batchId: string | number, line: number): Promise<string | null> {
  const [row] = await sql<{ codec: 'gzip' | 'br'; body: Buffer }[]>`
    select codec, body from raw_batches where cluster_id = ${clusterDbId} and id = ${String(batchId)}`;
  if (!row) return null;
  const text = (row.codec === 'br' ? brotliDecompressSync(row.body) : gunzipSync(row.body)).toString('utf8');
  const lines = text.split('\n');
  // Bodies are stored as received; the collector strips a CR before parsing, so do the same here.
  const found = lines[line - 1];
  return found === undefined ? null : found.endsWith('\r') ? found.slice(0, -1) : found;
}

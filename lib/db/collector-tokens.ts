/**
 * Collector tokens: 32 random bytes, shown once, stored as SHA-256 (a slow hash buys nothing for
 * high-entropy secrets and would cost every ingest request). Each token is bound to one cluster.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';

export const TOKEN_PREFIX = 'flk_';

export interface MintedToken {
  token: string;
  tokenHash: string;
  prefix: string;
}

export function mintCollectorToken(): MintedToken {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, tokenHash: hashCollectorToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) };
}

export function hashCollectorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Returns the cluster's id, creating the cluster when it does not exist yet. */
export async function ensureCluster(sql: Sql, name: string, flowFormat?: string): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into clusters (name, flow_format) values (${name}, ${flowFormat ?? null})
    on conflict (name) do update set flow_format = coalesce(clusters.flow_format, excluded.flow_format)
    returning id`;
  if (!row) throw new Error(`could not create cluster ${name}`);
  return row.id;
}

/** Creates a token for the named cluster (creating the cluster if needed); returns the plaintext once. */
export async function createCollectorToken(
  sql: Sql,
  options: { clusterName: string; tokenName: string; createdBy?: string; flowFormat?: string },
): Promise<{ clusterId: number; token: string; prefix: string }> {
  const clusterId = await ensureCluster(sql, options.clusterName, options.flowFormat);
  const minted = mintCollectorToken();
  await sql`
    insert into collector_tokens (id, cluster_id, name, token_hash, prefix, created_by)
    values (gen_random_uuid(), ${clusterId}, ${options.tokenName}, ${minted.tokenHash}, ${minted.prefix}, ${options.createdBy ?? null})`;
  return { clusterId, token: minted.token, prefix: minted.prefix };
}

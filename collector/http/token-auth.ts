/**
 * Collector token authentication. Every request checks the database (an indexed lookup), so a revoked
 * token stops working at once; last use is recorded at most once a minute per token.
 */
import type { Sql } from 'postgres';
import { hashCollectorToken } from '../../lib/db/collector-tokens';

export interface TokenIdentity {
  tokenId: string;
  clusterDbId: number;
  clusterName: string;
}

const LAST_USED_INTERVAL_MS = 60_000;

export class TokenAuth {
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(private readonly sql: Sql, private readonly nowMs: () => number) {}

  /** Returns the identity for a bearer token, or null when it is unknown or revoked. */
  async authenticate(authorization: string | undefined): Promise<TokenIdentity | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    const rows = await this.sql<{ id: string; cluster_id: number; name: string }[]>`
      select t.id, t.cluster_id, c.name from collector_tokens t join clusters c on c.id = t.cluster_id
      where t.token_hash = ${hashCollectorToken(match[1])} and t.revoked_at is null`;
    const row = rows[0];
    if (!row) return null;
    const now = this.nowMs();
    if ((this.lastUsedWrites.get(row.id) ?? 0) + LAST_USED_INTERVAL_MS < now) {
      this.lastUsedWrites.set(row.id, now);
      this.sql`update collector_tokens set last_used_at = now() where id = ${row.id}`.catch(() => {});
    }
    return { tokenId: row.id, clusterDbId: row.cluster_id, clusterName: row.name };
  }
}

import 'server-only';
import { getPrisma } from '../db';

export interface AuditEntry {
  /** Who did it: the session user (`session.user`), or null for anonymous/system actions. */
  actor: { id: string | null; username: string } | null;
  /** Dotted verb, e.g. `user.create`, `token.revoke`, `flows.export`, `policy.upload`, `login.failed`. */
  action: string;
  /** What it was done to (a username, a token prefix, a cluster name, an export's filter…). */
  target?: string | null;
  /** The caller's address (`requestContext(request).ip`). */
  ip?: string | null;
  /** Anything else worth keeping (no secrets: never passwords or tokens). */
  details?: Record<string, unknown> | null;
}

/**
 * Appends one entry to the audit log (who, what, to what, from where, when). Awaited by callers so the
 * entry exists before the response is sent; a failure to audit fails the request.
 */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  await getPrisma().auditLog.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor?.username ?? null,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      details: (entry.details ?? undefined) as never,
    },
  });
}

import 'server-only';
import type { AuditEntryDto } from '../../api/settings';
import { auditQuerySchema } from '../../api/settings';
import { getPrisma } from '../db';

/** Audit entries, newest first, filtered by action prefix, actor name and time range. */
export async function listAudit(query: unknown, options: { maxLimit?: number } = {}): Promise<AuditEntryDto[]> {
  const input = auditQuerySchema.parse(query);
  const limit = Math.min(input.limit, options.maxLimit ?? 1000);
  const rows = await getPrisma().auditLog.findMany({
    where: {
      ...(input.action ? { action: { startsWith: input.action } } : {}),
      ...(input.actor ? { actorName: { contains: input.actor, mode: 'insensitive' as const } } : {}),
      ...(input.fromMs !== undefined || input.toMs !== undefined
        ? { at: { ...(input.fromMs !== undefined ? { gte: new Date(input.fromMs) } : {}), ...(input.toMs !== undefined ? { lt: new Date(input.toMs) } : {}) } }
        : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    atMs: row.at.getTime(),
    actorName: row.actorName,
    action: row.action,
    target: row.target,
    ip: row.ip,
    details: row.details,
  }));
}

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function auditToCsv(entries: readonly AuditEntryDto[]): string {
  const header = ['time_utc', 'actor', 'action', 'target', 'ip', 'details'];
  const lines = [header.join(',')];
  for (const entry of entries) {
    lines.push(
      [new Date(entry.atMs).toISOString(), entry.actorName ?? '', entry.action, entry.target ?? '', entry.ip ?? '', entry.details === null ? '' : JSON.stringify(entry.details)]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

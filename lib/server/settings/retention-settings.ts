import 'server-only';
import { DEFAULT_RETENTION, retentionSchema, type RetentionDto } from '../../api/settings';
import type { Session } from '../auth/get-session';
import { recordAudit } from '../audit/record-audit';
import { getPrisma } from '../db';

export async function getRetention(): Promise<RetentionDto> {
  const row = await getPrisma().setting.findUnique({ where: { key: 'retention' } });
  const parsed = retentionSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_RETENTION;
}

/** Stores retention; the collector's retention job picks it up on its next run (hourly). */
export async function setRetention(body: unknown, actor: Session, ip: string): Promise<RetentionDto> {
  const value = retentionSchema.parse(body);
  await getPrisma().setting.upsert({
    where: { key: 'retention' },
    create: { key: 'retention', value, updatedBy: actor.user.username },
    update: { value, updatedBy: actor.user.username },
  });
  await recordAudit({ actor: actor.user, action: 'retention.update', target: 'retention', ip, details: value });
  return value;
}

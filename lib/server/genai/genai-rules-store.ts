import 'server-only';
import { ZodError } from 'zod';
import { defaultGenAiRules, parseGenAiRules, type GenAiRule } from '@/core/genai';
import type { GenAiRulesDto } from '../../api/genai';
import type { Session } from '../auth/get-session';
import type { RequestContext } from '../auth/request-context';
import { getPrisma } from '../db';
import { AppError } from '../errors';

/** The one row holding the admin rules. */
const RULE_SET_ID = 'default';

export interface StoredGenAiRules {
  rules: readonly GenAiRule[];
  /** Changes whenever an admin saves: part of the analysis cache key, so edits apply on the next query. */
  version: string;
}

/**
 * The admin rules, validated again on read (a row written by an older version must not break
 * classification: invalid rules are logged and ignored, the built-in table still applies).
 */
export async function loadGenAiRules(): Promise<StoredGenAiRules> {
  const row = await getPrisma().genAiRuleSet.findUnique({ where: { id: RULE_SET_ID } });
  if (!row) return { rules: [], version: 'none' };
  const parsed = parseGenAiRules(row.rules);
  if (!parsed.ok) {
    console.error('flowlens: stored GenAI rules are invalid and were ignored', parsed.error.issues.slice(0, 5));
    return { rules: [], version: `invalid:${row.updatedAt.getTime()}` };
  }
  return { rules: parsed.rules, version: String(row.updatedAt.getTime()) };
}

export async function getGenAiRules(session: Session): Promise<GenAiRulesDto> {
  const row = await getPrisma().genAiRuleSet.findUnique({ where: { id: RULE_SET_ID } });
  return {
    rules: Array.isArray(row?.rules) ? (row.rules as unknown[]) : [],
    updatedBy: row?.updatedBy ?? null,
    updatedAtMs: row ? row.updatedAt.getTime() : null,
    defaultRuleIds: defaultGenAiRules.map((rule) => rule.id),
    canEdit: session.user.role === 'admin',
  };
}

/**
 * Replaces the admin rules (admins only; the route checks the role too). Invalid rules are a 422
 * with every field path; a save is audit-logged with the rule count and ids.
 */
export async function saveGenAiRules(session: Session, input: unknown, context: RequestContext): Promise<GenAiRulesDto> {
  if (session.user.role !== 'admin') throw new AppError('forbidden', 'Only admins can change GenAI classification rules.');
  const parsed = parseGenAiRules(input);
  if (!parsed.ok) {
    // A ZodError so the shared mapper answers 422 with every field path (`rules.1.match.0.pattern`).
    throw new ZodError(
      parsed.error.issues.map((issue) => ({
        code: 'custom' as const,
        path: ['rules', ...(issue.path === '' ? [] : issue.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)))],
        message: issue.message,
        input: undefined,
      })),
    );
  }
  const prisma = getPrisma();
  const rules = parsed.rules as unknown as object[];
  await prisma.$transaction([
    prisma.genAiRuleSet.upsert({
      where: { id: RULE_SET_ID },
      create: { id: RULE_SET_ID, rules, updatedBy: session.user.username },
      update: { rules, updatedBy: session.user.username },
    }),
    prisma.auditLog.create({
      data: {
        actorId: session.user.id,
        actorName: session.user.username,
        action: 'genai.rules.update',
        target: 'genai_rule_sets/default',
        ip: context.ip,
        details: { count: parsed.rules.length, ids: parsed.rules.map((rule) => rule.id).slice(0, 100) },
      },
    }),
  ]);
  return getGenAiRules(session);
}

import { z } from 'zod';
import { GENAI_ROLES, SENSITIVITY_LEVELS, SENSITIVITY_TAGS, type GenAiRule } from './types';

export interface GenAiRulesIssue {
  /** Dotted field path inside the input, e.g. `1.match.0.pattern`. */
  readonly path: string;
  readonly message: string;
}

export type ParseGenAiRulesResult =
  | { readonly ok: true; readonly rules: readonly GenAiRule[] }
  | { readonly ok: false; readonly error: { readonly kind: 'invalid-rules'; readonly message: string; readonly issues: readonly GenAiRulesIssue[] } };

const regex = z
  .string()
  .min(1)
  .max(500)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern, 'i');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  );

const role = z.enum(GENAI_ROLES);

const condition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), pattern: regex }).strict(),
  z.object({ kind: z.literal('arg'), pattern: regex }).strict(),
  z.object({ kind: z.literal('env'), pattern: regex }).strict(),
  z.object({ kind: z.literal('name'), pattern: regex }).strict(),
  z.object({ kind: z.literal('namespace'), pattern: regex }).strict(),
  z
    .object({
      kind: z.literal('domain'),
      pattern: z
        .string()
        .min(1)
        .max(253)
        .regex(/^[a-zA-Z0-9*.-]+$/, 'a domain glob: letters, digits, "-", "." and "*"'),
    })
    .strict(),
  z.object({ kind: z.literal('port'), ports: z.array(z.number().int().min(1).max(65535)).min(1) }).strict(),
  z.object({ kind: z.literal('label'), key: z.string().min(1).max(317), value: regex.optional() }).strict(),
  z.object({ kind: z.literal('annotation'), key: z.string().min(1).max(317), value: regex.optional() }).strict(),
  z.object({ kind: z.literal('calls'), roles: z.array(role).min(1), negate: z.boolean().optional() }).strict(),
]);

const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"');

const roleRule = z
  .object({
    kind: z.literal('role'),
    id,
    role,
    confidence: z.number().min(0).max(1),
    match: z.array(condition).min(1),
    replaces: z.array(role).optional(),
    effect: z.enum(['assign', 'suppress']).optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

const sensitivityRule = z
  .object({
    kind: z.literal('sensitivity'),
    id,
    match: z
      .array(condition)
      .min(1)
      .refine((conditions) => conditions.every((entry) => entry.kind !== 'calls'), { message: 'sensitivity rules cannot use traffic ("calls") conditions' }),
    level: z.enum(SENSITIVITY_LEVELS),
    tags: z.array(z.enum(SENSITIVITY_TAGS)).optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

const rules = z
  .array(z.discriminatedUnion('kind', [roleRule, sensitivityRule]))
  .max(1000)
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.forEach((rule, index) => {
      if (seen.has(rule.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate rule id ${rule.id}` });
      seen.add(rule.id);
    });
  });

/**
 * Validates admin classification rules (from settings / the database) into `GenAiRule`s. Every
 * pattern must compile; a bad input returns every problem with its field path.
 */
export function parseGenAiRules(input: unknown): ParseGenAiRulesResult {
  const parsed = rules.safeParse(input);
  if (parsed.success) return { ok: true, rules: parsed.data as GenAiRule[] };
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  return {
    ok: false,
    error: { kind: 'invalid-rules', message: `${issues.length} problem${issues.length === 1 ? '' : 's'} in the GenAI rules`, issues },
  };
}

import type { GenAiCondition, GenAiRole, GenAiRule } from './types';

/** A condition with its patterns compiled once (classification runs over thousands of workloads). */
export type CompiledCondition =
  | { readonly kind: 'image' | 'arg' | 'env' | 'name' | 'namespace' | 'domain'; readonly regex: RegExp; readonly source: GenAiCondition }
  | { readonly kind: 'port'; readonly ports: ReadonlySet<number>; readonly source: GenAiCondition }
  | { readonly kind: 'label' | 'annotation'; readonly key: string; readonly value?: RegExp; readonly source: GenAiCondition }
  | { readonly kind: 'calls'; readonly roles: ReadonlySet<GenAiRole>; readonly negate: boolean; readonly source: GenAiCondition };

export interface CompiledRule {
  readonly rule: GenAiRule;
  /** True for rules that came from settings (their evidence names the rule). */
  readonly custom: boolean;
  readonly conditions: readonly CompiledCondition[];
  /** Uses traffic: evaluated in the second pass, after first-pass roles are known. */
  readonly traffic: boolean;
}

/** Glob for domains: `*` matches one or more DNS labels (or part of one, as in `*aiplatform.googleapis.com`). */
export function domainGlobToRegex(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[a-z0-9.-]+');
  return new RegExp(`^${body}\\.?$`);
}

function compileCondition(condition: GenAiCondition): CompiledCondition {
  switch (condition.kind) {
    case 'image':
    case 'arg':
    case 'env':
    case 'name':
    case 'namespace':
      return { kind: condition.kind, regex: new RegExp(condition.pattern, 'i'), source: condition };
    case 'domain':
      return { kind: 'domain', regex: domainGlobToRegex(condition.pattern), source: condition };
    case 'port':
      return { kind: 'port', ports: new Set(condition.ports), source: condition };
    case 'label':
    case 'annotation':
      return {
        kind: condition.kind,
        key: condition.key.toLowerCase(),
        ...(condition.value !== undefined ? { value: new RegExp(condition.value, 'i') } : {}),
        source: condition,
      };
    case 'calls':
      return { kind: 'calls', roles: new Set(condition.roles), negate: condition.negate === true, source: condition };
  }
}

/**
 * Merges custom rules into the defaults (same id: the custom rule replaces the default; `enabled:
 * false` switches a rule off) and compiles every pattern. Patterns must already be valid
 * (`parseGenAiRules` checks them); an invalid one here is a programmer error and throws.
 */
export function compileGenAiRules(defaults: readonly GenAiRule[], custom: readonly GenAiRule[] = []): CompiledRule[] {
  const byId = new Map<string, { rule: GenAiRule; custom: boolean }>();
  for (const rule of defaults) byId.set(rule.id, { rule, custom: false });
  for (const rule of custom) byId.set(rule.id, { rule, custom: true });
  const compiled: CompiledRule[] = [];
  for (const { rule, custom: isCustom } of byId.values()) {
    if (rule.enabled === false) continue;
    const conditions = rule.match.map(compileCondition);
    compiled.push({ rule, custom: isCustom, conditions, traffic: conditions.some((condition) => condition.kind === 'calls') });
  }
  return compiled;
}

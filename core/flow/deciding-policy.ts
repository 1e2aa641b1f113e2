import type { PolicyHit, Verdict } from './types';

/**
 * The hit that decided a trace: the last `allow`/`deny` hit (earlier `pass` hits hand over to the next
 * tier; `log` hits decide nothing). Undefined when the trace has no deciding hit.
 */
export function decidingPolicy(trace: readonly PolicyHit[] | undefined): PolicyHit | undefined {
  if (!trace) return undefined;
  for (let index = trace.length - 1; index >= 0; index -= 1) {
    const hit = trace[index];
    if (hit && (hit.action === 'allow' || hit.action === 'deny')) return hit;
  }
  return undefined;
}

/** Compact, stable key of a policy hit for rollups: `kind|tier|namespace|name|action|rule`. */
export function policyHitKey(hit: PolicyHit | undefined): string {
  if (!hit) return '';
  return `${hit.kind}|${hit.tier ?? ''}|${hit.namespace ?? ''}|${hit.name}|${hit.action}|${hit.ruleIndex}`;
}

/** Parses a key made by {@link policyHitKey}; undefined for '' or a malformed key. */
export function parsePolicyHitKey(key: string): PolicyHit | undefined {
  const parts = key.split('|');
  if (parts.length !== 6) return undefined;
  const [kind, tier, namespace, name, action, rule] = parts as [string, string, string, string, string, string];
  if (action !== 'allow' && action !== 'deny' && action !== 'pass' && action !== 'log') return undefined;
  const ruleIndex = Number(rule);
  if (!kind || !name || !Number.isInteger(ruleIndex)) return undefined;
  return {
    kind,
    ...(tier ? { tier } : {}),
    ...(namespace ? { namespace } : {}),
    name,
    action,
    ruleIndex,
    staged: kind.startsWith('Staged'),
  };
}

/** What the staged/pending policies would do with the flow, or undefined when none spoke. */
export function pendingVerdict(pendingTrace: readonly PolicyHit[] | undefined): Verdict | undefined {
  const hit = decidingPolicy(pendingTrace);
  if (!hit) return undefined;
  return hit.action === 'deny' ? 'denied' : 'allowed';
}

/** A hit that stands for "no policy applied": a Calico profile (the namespace's default allow/deny). */
export function isNoPolicyHit(hit: PolicyHit): boolean {
  return hit.kind === 'Profile' || hit.name.includes('__PROFILE__');
}

/**
 * A flow's or rollup row's policy key that names no policy: '' (none reported), a profile, or a key
 * that cannot be read. The one definition graph, posture and GenAI share for "allowed with no policy".
 */
export function isNoPolicyKey(policyKey: string): boolean {
  if (policyKey === '') return true;
  const hit = parsePolicyHitKey(policyKey);
  return hit === undefined || isNoPolicyHit(hit);
}

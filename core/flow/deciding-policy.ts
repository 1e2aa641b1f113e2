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

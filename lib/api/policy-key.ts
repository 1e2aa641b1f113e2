/**
 * The deciding policy hit as stored in rollups: `kind|tier|namespace|name|action|rule` ('' = none).
 * Parsed for display only; the policy engine works on the full trace.
 */
export interface PolicyKeyParts {
  kind: string;
  tier: string;
  namespace: string;
  name: string;
  action: string;
  ruleIndex: number | null;
}

export function parsePolicyKey(key: string): PolicyKeyParts | null {
  if (key === '') return null;
  const [kind = '', tier = '', namespace = '', name = '', action = '', rule = ''] = key.split('|');
  const ruleIndex = rule === '' || Number.isNaN(Number(rule)) ? null : Number(rule);
  return { kind, tier, namespace, name, action, ruleIndex };
}

/** "CalicoNetworkPolicy payments/tenant-isolation (tier security, end of tier)" or "no policy reported". */
export function describePolicyKey(key: string): string {
  const parts = parsePolicyKey(key);
  if (!parts) return 'no policy reported';
  const name = parts.namespace ? `${parts.namespace}/${parts.name}` : parts.name;
  const details = [
    parts.tier ? `tier ${parts.tier}` : null,
    parts.ruleIndex === -1 ? 'end of tier' : parts.ruleIndex !== null ? `rule ${parts.ruleIndex}` : null,
  ].filter(Boolean);
  return `${parts.kind} ${name}${details.length > 0 ? ` (${details.join(', ')})` : ''}`.trim();
}

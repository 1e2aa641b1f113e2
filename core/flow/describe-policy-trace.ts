import { decidingPolicy } from './deciding-policy';
import type { PolicyHit, Reporter, Verdict } from './types';

/** A policy trace in words: the deciding sentence, then one line per hit in evaluation order. */
export interface PolicyTraceDescription {
  /** E.g. "denied at tier `security` by GlobalNetworkPolicy `security.tenant-isolation`, rule 2". */
  summary: string;
  /** One line per hit, e.g. "tier `security`: GlobalNetworkPolicy `security.pass-all` passed to the next tier (rule 0)". */
  steps: string[];
}

export interface DescribePolicyTraceOptions {
  /** Which end reported the flow: the destination's report is about ingress rules, the source's about egress. */
  reporter?: Reporter;
}

const PROFILE_KIND = 'Profile';

/** `GlobalNetworkPolicy \`security.tenant-isolation\``, `NetworkPolicy \`data/default-deny\``. */
function policyName(hit: PolicyHit): string {
  const qualified = hit.namespace ? `${hit.namespace}/${hit.name}` : hit.name;
  const kind = hit.kind === 'EndOfTier' ? 'policy' : hit.kind;
  return `${hit.staged && !hit.kind.startsWith('Staged') ? 'staged ' : ''}${kind} \`${qualified}\``;
}

function tierOf(hit: PolicyHit): string {
  return hit.tier ?? 'default';
}

function directionWords(reporter: Reporter | undefined): { selected: string; rule: string; peer: string } {
  if (reporter === 'source') return { selected: 'the source', rule: 'egress', peer: 'the destination' };
  if (reporter === 'destination') return { selected: 'the destination', rule: 'ingress', peer: 'the source' };
  return { selected: 'the endpoint', rule: '', peer: 'the peer' };
}

/** "selects the destination but no ingress rule matches the source". */
function noRuleMatches(reporter: Reporter | undefined): string {
  const words = directionWords(reporter);
  return `selects ${words.selected} but no ${words.rule ? `${words.rule} ` : ''}rule matches ${words.peer}`;
}

function describeStep(hit: PolicyHit, reporter: Reporter | undefined): string {
  const tier = hit.kind === PROFILE_KIND ? 'profile' : `tier \`${tierOf(hit)}\``;
  const rule = hit.ruleIndex < 0 ? `end of tier: ${policyName(hit)} ${noRuleMatches(reporter)}` : `rule ${hit.ruleIndex}`;
  const staged = hit.staged ? ' (staged, not enforced)' : '';
  switch (hit.action) {
    case 'pass':
      return `${tier}: ${policyName(hit)} passed to the next tier (${hit.ruleIndex < 0 ? 'end of tier' : `rule ${hit.ruleIndex}`})${staged}`;
    case 'log':
      return `${tier}: logged by ${policyName(hit)} (${hit.ruleIndex < 0 ? 'end of tier' : `rule ${hit.ruleIndex}`})${staged}`;
    default: {
      const verb = hit.action === 'allow' ? 'allowed' : 'denied';
      if (hit.kind === PROFILE_KIND) return `profile: ${verb} by the namespace profile \`${hit.name}\` (no policy applied)${staged}`;
      return hit.ruleIndex < 0 ? `${tier}: ${verb} at ${rule}${staged}` : `${tier}: ${verb} by ${policyName(hit)}, ${rule}${staged}`;
    }
  }
}

/**
 * A flow's enforced policy trace in words, for the flow detail drawer. The summary names the hit that
 * decided (the last allow/deny, see {@link decidingPolicy}); staged hits never decide an enforced verdict.
 * Without a deciding hit the verdict is the dataplane's default: allowed when no policy selects the pod,
 * or a drop no policy was reported for.
 *
 * @example describePolicyTrace([{ kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.tenant-isolation', action: 'deny', ruleIndex: 2, staged: false }], 'denied')
 *   // → summary "denied at tier `security` by GlobalNetworkPolicy `security.tenant-isolation`, rule 2"
 */
export function describePolicyTrace(
  trace: readonly PolicyHit[] | null | undefined,
  verdict: Verdict,
  options: DescribePolicyTraceOptions = {},
): PolicyTraceDescription {
  const hits = trace ?? [];
  const steps = hits.map((hit) => describeStep(hit, options.reporter));
  const deciding = decidingPolicy(hits.filter((hit) => !hit.staged));
  return { summary: summarize(deciding, verdict, options.reporter, hits), steps };
}

function summarize(hit: PolicyHit | undefined, verdict: Verdict, reporter: Reporter | undefined, hits: readonly PolicyHit[]): string {
  if (!hit) {
    if (verdict === 'allowed') {
      return hits.some((candidate) => candidate.action === 'pass')
        ? 'allowed: every tier passed and no policy denied it (default allow)'
        : 'allowed with no policy: nothing selects these endpoints (default allow)';
    }
    return 'denied with no policy reported: a dataplane drop, not a policy decision';
  }
  const decided = hit.action === 'allow' ? 'allowed' : 'denied';
  // NOTE: a recorded verdict that disagrees with the trace (e.g. a drop after an allow) is said as such.
  const disagreement = decided !== verdict ? ` — but the flow was ${verdict} (the dataplane overrode the policy verdict)` : '';
  if (hit.kind === PROFILE_KIND) return `${decided} by the namespace profile \`${hit.name}\`: no policy applied${disagreement}`;
  if (hit.ruleIndex < 0) {
    return `${decided} at end of tier \`${tierOf(hit)}\`: ${policyName(hit)} ${noRuleMatches(reporter)}${disagreement}`;
  }
  return `${decided} at tier \`${tierOf(hit)}\` by ${policyName(hit)}, rule ${hit.ruleIndex}${disagreement}`;
}

import { isNoPolicyKey } from '../flow/deciding-policy';
import type { GenAiSeverity } from '../genai/types';
import type {
  PostureActionKind,
  PostureComponent,
  PostureComponentId,
  PostureEndpoint,
  PostureFinding,
  PostureInputs,
  PostureLink,
  PostureRisk,
  PostureScore,
} from './types';

/** Most points each component can cost. They add up to 100. */
export const POSTURE_WEIGHTS: Readonly<Record<PostureComponentId, number>> = {
  'workload-coverage': 25,
  'default-deny': 10,
  'unpoliced-traffic': 15,
  'denied-trend': 10,
  'genai-findings': 20,
  'sensitive-stores': 10,
  'external-egress': 10,
};

/** Points per open GenAI finding by severity; {@link FINDING_POINTS_FOR_FULL_LOSS} of them cost the whole weight. */
export const FINDING_SEVERITY_POINTS: Readonly<Record<GenAiSeverity, number>> = { critical: 8, high: 4, medium: 2, low: 1 };
export const FINDING_POINTS_FOR_FULL_LOSS = 24;
/** Denied flows per day rising by 3× the baseline (the baseline counts as at least 10/day) cost the whole weight. */
export const DENIED_RISE_FOR_FULL_LOSS = 3;
export const DENIED_BASELINE_FLOOR_PER_DAY = 10;

const LABELS: Readonly<Record<PostureComponentId, string>> = {
  'workload-coverage': 'Workloads covered by policy',
  'default-deny': 'Namespaces with default deny',
  'unpoliced-traffic': 'Traffic allowed without a policy',
  'denied-trend': 'Denied-flow trend',
  'genai-findings': 'Open GenAI findings',
  'sensitive-stores': 'Sensitive stores reachable without policy',
  'external-egress': 'External egress without policy',
};

export interface ComputePostureScoreOptions {
  /** How many top risks to return (default 5). */
  readonly maxRisks?: number;
}

/** One share of a component's lost points, charged to a namespace and to the action that would win it back. */
interface Attribution {
  readonly namespace: string;
  readonly component: PostureComponentId;
  readonly points: number;
  readonly action: PostureActionKind;
  readonly workload?: string;
  /** Why, in words; the action text quotes the reason of its largest share. */
  readonly reason: string;
}

interface ComponentResult {
  readonly component: PostureComponent;
  readonly attributions: readonly Attribution[];
}

/**
 * Traffic "allowed only by default": no policy reported (`policy_key` ''), a Calico profile decided
 * (`Profile` kind or `__PROFILE__`), or an unparsable key. Such flows would pass in any cluster.
 */
export function isDefaultAllowPolicyKey(policyKey: string): boolean {
  return isNoPolicyKey(policyKey);
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
const clamp01 = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);
const percent = (part: number, whole: number): string => (whole === 0 ? '0 %' : `${Math.round((part / whole) * 100)} %`);
const plural = (count: number, word: string, many = `${word}s`): string => `${count.toLocaleString('en-US')} ${count === 1 ? word : many}`;
const endpointLabel = (endpoint: PostureEndpoint): string => (endpoint.namespace ? `${endpoint.namespace}/${endpoint.name}` : endpoint.name);

function link(inputs: PostureInputs, target: PostureLink['target'], params: Record<string, string> = {}): PostureLink {
  return { target, params: { ...(inputs.clusterName ? { cluster: inputs.clusterName } : {}), ...params } };
}

function component(
  inputs: PostureInputs,
  id: PostureComponentId,
  riskRatio: number,
  summary: string,
  target: PostureLink['target'],
  figures: Record<string, number>,
  options: { known?: boolean; params?: Record<string, string> } = {},
): PostureComponent {
  const weight = POSTURE_WEIGHTS[id];
  const ratio = clamp01(riskRatio);
  return {
    id,
    label: LABELS[id],
    weight,
    riskRatio: Math.round(ratio * 1000) / 1000,
    pointsLost: round1(weight * ratio),
    summary,
    link: link(inputs, target, options.params),
    known: options.known ?? true,
    figures,
  };
}

/** Workloads in namespaces that have any (the namespaces the score is about). */
function namespacesWithWorkloads(inputs: PostureInputs): Map<string, number> {
  const counts = new Map<string, number>();
  for (const workload of inputs.workloads) counts.set(workload.namespace, (counts.get(workload.namespace) ?? 0) + 1);
  return counts;
}

/**
 * Policy coverage of workloads: each workload has two directions (ingress, egress); a direction no
 * policy governs loses `weight / (2 × workloads)`. Charged to the workload's namespace (action: default deny).
 */
export function scoreWorkloadCoverage(inputs: PostureInputs): ComponentResult {
  const total = inputs.workloads.length;
  if (!inputs.inventoryKnown || total === 0) {
    const summary = inputs.inventoryKnown ? 'The inventory lists no workloads.' : 'No inventory uploaded: policy coverage is unknown.';
    return { component: component(inputs, 'workload-coverage', 0, summary, 'policies', { workloads: total }, { known: false }), attributions: [] };
  }
  const ingressOpen = inputs.workloads.filter((workload) => !workload.ingressGoverned);
  const egressOpen = inputs.workloads.filter((workload) => !workload.egressGoverned);
  const ratio = (ingressOpen.length + egressOpen.length) / (2 * total);
  const perDirection = POSTURE_WEIGHTS['workload-coverage'] / (2 * total);
  const attributions = [...ingressOpen.map((workload) => ({ workload, direction: 'ingress' })), ...egressOpen.map((workload) => ({ workload, direction: 'egress' }))].map(
    ({ workload, direction }): Attribution => ({
      namespace: workload.namespace,
      component: 'workload-coverage',
      points: perDirection,
      action: 'default-deny',
      reason: `${workload.name} has no ${direction} policy`,
    }),
  );
  const coveragePct = (1 - ratio) * 100;
  const summary =
    ingressOpen.length + egressOpen.length === 0
      ? `Every one of the ${plural(total, 'workload')} has ingress and egress policy.`
      : `${ingressOpen.length} of ${plural(total, 'workload')} (${percent(ingressOpen.length, total)}) have no ingress policy and ${egressOpen.length} (${percent(egressOpen.length, total)}) no egress policy.`;
  return {
    component: component(inputs, 'workload-coverage', ratio, summary, 'policies', {
      workloads: total,
      workloadsWithoutIngressPolicy: ingressOpen.length,
      workloadsWithoutEgressPolicy: egressOpen.length,
      coveragePct: Math.round(coveragePct * 10) / 10,
    }),
    attributions,
  };
}

/** Namespaces (with workloads) without a default-deny policy, per direction: half a namespace's share each. */
export function scoreDefaultDeny(inputs: PostureInputs): ComponentResult {
  const populated = namespacesWithWorkloads(inputs);
  const namespaces = inputs.namespaces.filter((namespace) => populated.has(namespace.namespace));
  if (!inputs.inventoryKnown || namespaces.length === 0) {
    const summary = inputs.inventoryKnown ? 'No namespace has workloads.' : 'No inventory uploaded: default-deny policies are unknown.';
    return { component: component(inputs, 'default-deny', 0, summary, 'policies', { namespaces: 0 }, { known: false }), attributions: [] };
  }
  const perDirection = POSTURE_WEIGHTS['default-deny'] / (2 * namespaces.length);
  const attributions: Attribution[] = [];
  let missing = 0;
  for (const namespace of namespaces) {
    for (const [direction, has] of [
      ['ingress', namespace.defaultDenyIngress],
      ['egress', namespace.defaultDenyEgress],
    ] as const) {
      if (has) continue;
      missing += 1;
      attributions.push({ namespace: namespace.namespace, component: 'default-deny', points: perDirection, action: 'default-deny', reason: `no default-deny ${direction} policy` });
    }
  }
  const full = namespaces.filter((namespace) => namespace.defaultDenyIngress && namespace.defaultDenyEgress).length;
  const none = namespaces.filter((namespace) => !namespace.defaultDenyIngress && !namespace.defaultDenyEgress).map((namespace) => namespace.namespace).sort();
  const summary =
    missing === 0
      ? `All ${plural(namespaces.length, 'namespace')} deny by default in both directions.`
      : `${full} of ${plural(namespaces.length, 'namespace')} deny by default in both directions` +
        (none.length > 0 ? `; ${none.length === 1 ? 'none in' : 'no default deny at all in'} ${none.slice(0, 4).map((name) => `\`${name}\``).join(', ')}${none.length > 4 ? ` and ${none.length - 4} more` : ''}.` : '.');
  return {
    component: component(inputs, 'default-deny', missing / (2 * namespaces.length), summary, 'policies', {
      namespaces: namespaces.length,
      namespacesWithDefaultDenyBoth: full,
      namespacesWithoutDefaultDeny: none.length,
    }),
    attributions,
  };
}

/**
 * Share of allowed flows decided by no policy (see {@link isDefaultAllowPolicyKey}). Charged to the
 * destination's namespace (default deny there would force an explicit allow), or, for traffic to
 * external peers, to the sending workload (restrict its egress).
 */
export function scoreUnpolicedTraffic(inputs: PostureInputs): ComponentResult {
  const allowed = inputs.traffic.filter((row) => row.verdict === 'allowed');
  const allowedFlows = allowed.reduce((sum, row) => sum + row.flows, 0);
  const open = allowed.filter((row) => isDefaultAllowPolicyKey(row.policyKey));
  const openFlows = open.reduce((sum, row) => sum + row.flows, 0);
  if (allowedFlows === 0) {
    return { component: component(inputs, 'unpoliced-traffic', 0, 'No allowed traffic observed in this period.', 'graph', { allowedFlows: 0, unpolicedFlows: 0 }), attributions: [] };
  }
  const ratio = openFlows / allowedFlows;
  const attributions: Attribution[] = [];
  for (const row of open) {
    const points = (POSTURE_WEIGHTS['unpoliced-traffic'] * row.flows) / allowedFlows;
    if (row.destination.namespace && !row.destination.external) {
      attributions.push({ namespace: row.destination.namespace, component: 'unpoliced-traffic', points, action: 'default-deny', reason: `traffic into ${endpointLabel(row.destination)} passes with no policy` });
    } else if (row.source.namespace && !row.source.external) {
      attributions.push({
        namespace: row.source.namespace,
        component: 'unpoliced-traffic',
        points,
        action: 'restrict-egress',
        workload: row.source.name,
        reason: `its traffic to ${row.destination.name} passes with no policy`,
      });
    } else {
      attributions.push({ namespace: '-', component: 'unpoliced-traffic', points, action: 'investigate', workload: row.source.name, reason: `traffic between peers outside namespaces` });
    }
  }
  const summary = `${percent(openFlows, allowedFlows)} of allowed flows (${plural(Math.round(openFlows), 'flow')} of ${Math.round(allowedFlows).toLocaleString('en-US')}) were allowed only because no policy applies.`;
  return {
    component: component(inputs, 'unpoliced-traffic', ratio, summary, 'graph', { allowedFlows, unpolicedFlows: openFlows, unpolicedPct: Math.round(ratio * 1000) / 10 }, { params: { overlay: 'unprotected' } }),
    attributions,
  };
}

/**
 * Denied flows per day against the mean of the previous days: a rise costs points linearly, the whole
 * weight at {@link DENIED_RISE_FOR_FULL_LOSS}× the baseline (baseline floored at 10/day so a quiet
 * cluster is not punished for a handful). Fewer denials than usual cost nothing. Charged to the
 * sources of today's denied flows (investigate them).
 */
export function scoreDeniedTrend(inputs: PostureInputs): ComponentResult {
  const denied = inputs.traffic.filter((row) => row.verdict === 'denied');
  const deniedFlows = denied.reduce((sum, row) => sum + row.flows, 0);
  const days = inputs.trafficDays > 0 ? inputs.trafficDays : 1;
  const perDay = deniedFlows / days;
  const baseline = inputs.deniedFlowsBaselinePerDay;
  const figures = { deniedFlows, deniedFlowsPerDay: Math.round(perDay), deniedFlowsBaselinePerDay: baseline === null ? -1 : Math.round(baseline) };
  if (baseline === null) {
    return {
      component: component(inputs, 'denied-trend', 0, `${plural(Math.round(deniedFlows), 'denied flow')}; no earlier days to compare with yet.`, 'flows', figures, { params: { verdict: 'denied' } }),
      attributions: [],
    };
  }
  const ratio = clamp01((perDay - baseline) / (DENIED_RISE_FOR_FULL_LOSS * Math.max(baseline, DENIED_BASELINE_FLOOR_PER_DAY)));
  const lost = POSTURE_WEIGHTS['denied-trend'] * ratio;
  const attributions: Attribution[] = [];
  if (lost > 0) {
    const bySource = new Map<string, { namespace: string; workload: string; flows: number; targets: Set<string> }>();
    for (const row of denied) {
      const internal = row.source.namespace !== null && !row.source.external;
      const namespace = internal ? (row.source.namespace as string) : (row.destination.namespace ?? '-');
      const key = `${namespace}\u0000${row.source.name}`;
      const entry = bySource.get(key) ?? { namespace, workload: internal ? row.source.name : endpointLabel(row.source), flows: 0, targets: new Set<string>() };
      entry.flows += row.flows;
      entry.targets.add(endpointLabel(row.destination));
      bySource.set(key, entry);
    }
    for (const entry of bySource.values()) {
      const targets = [...entry.targets].sort();
      attributions.push({
        namespace: entry.namespace,
        component: 'denied-trend',
        points: (lost * entry.flows) / deniedFlows,
        action: 'investigate',
        workload: entry.workload,
        reason: `denied ${plural(Math.round(entry.flows), 'time')} reaching ${targets.slice(0, 2).join(', ')}${targets.length > 2 ? ` and ${targets.length - 2} more` : ''}`,
      });
    }
  }
  const change = baseline > 0 ? perDay / baseline : Infinity;
  const summary =
    perDay <= baseline
      ? `${Math.round(perDay).toLocaleString('en-US')} denied flows per day, no more than the usual ${Math.round(baseline).toLocaleString('en-US')}.`
      : `${Math.round(perDay).toLocaleString('en-US')} denied flows per day against a usual ${Math.round(baseline).toLocaleString('en-US')}` +
        (!Number.isFinite(change)
          ? ': new denials.'
          : change < 1.5
            ? ` (${change.toFixed(1)}×): about the usual level.`
            : ` (${change >= 10 ? Math.round(change) : change.toFixed(1)}×): something keeps trying connections that policy blocks.`);
  return { component: component(inputs, 'denied-trend', ratio, summary, 'flows', figures, { params: { verdict: 'denied' } }), attributions };
}

/** Namespace and workload a finding is about, and the action that closes it. */
function findingSubject(finding: PostureFinding): { namespace: string; workload?: string; action: PostureActionKind } {
  const parse = (id: string | undefined): { namespace: string; name: string } | undefined => {
    if (id === undefined) return undefined;
    const parts = id.split('/');
    if (parts.length < 4 || parts[1] === '-' || parts[2] === 'external') return undefined;
    return { namespace: parts[1] as string, name: parts.slice(3).join('/') };
  };
  const path = finding.nodeIds;
  const firstInternal = path.map(parse).find((node) => node !== undefined);
  const pick = (index: number) => parse(path[index]) ?? firstInternal;
  switch (finding.kind) {
    case 'sensitive-data-to-external-llm': {
      const node = pick(1);
      return node ? { namespace: node.namespace, workload: node.name, action: 'restrict-egress' } : { namespace: '-', action: 'investigate' };
    }
    case 'model-pull':
    case 'llm-egress-spike': {
      const node = pick(0);
      return node ? { namespace: node.namespace, workload: node.name, action: 'restrict-egress' } : { namespace: '-', action: 'investigate' };
    }
    case 'genai-unprotected': {
      const node = pick(0);
      return { namespace: node?.namespace ?? '-', action: 'default-deny' };
    }
    case 'genai-exposed':
    case 'new-sensitive-edge': {
      const node = pick(path.length - 1);
      return node ? { namespace: node.namespace, workload: node.name, action: 'restrict-ingress' } : { namespace: '-', action: 'investigate' };
    }
    default: {
      // denied-attempt and anything newer: look at whoever started it.
      const node = pick(0);
      return node ? { namespace: node.namespace, workload: node.name, action: 'investigate' } : { namespace: '-', action: 'investigate' };
    }
  }
}

/**
 * Open GenAI findings weighted by severity (critical 8, high 4, medium 2, low 1 points); 24 points
 * cost the whole weight. Each finding is charged to the workload it is about.
 */
export function scoreGenAiFindings(inputs: PostureInputs): ComponentResult {
  const counts: Record<GenAiSeverity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of inputs.findings) counts[finding.severity] += 1;
  const findingPoints = inputs.findings.reduce((sum, finding) => sum + FINDING_SEVERITY_POINTS[finding.severity], 0);
  const ratio = findingPoints / FINDING_POINTS_FOR_FULL_LOSS;
  const lost = POSTURE_WEIGHTS['genai-findings'] * clamp01(ratio);
  const attributions = inputs.findings.map((finding): Attribution => {
    const subject = findingSubject(finding);
    return {
      namespace: subject.namespace,
      component: 'genai-findings',
      points: findingPoints === 0 ? 0 : (lost * FINDING_SEVERITY_POINTS[finding.severity]) / findingPoints,
      action: subject.action,
      ...(subject.workload !== undefined ? { workload: subject.workload } : {}),
      reason: finding.title,
    };
  });
  const parts = (['critical', 'high', 'medium', 'low'] as const).filter((severity) => counts[severity] > 0).map((severity) => `${counts[severity]} ${severity}`);
  const summary = inputs.findings.length === 0 ? 'No open GenAI findings.' : `${plural(inputs.findings.length, 'open GenAI finding')}: ${parts.join(', ')}.`;
  return {
    component: component(inputs, 'genai-findings', ratio, summary, 'genai', { findings: inputs.findings.length, ...counts }),
    attributions,
  };
}

/**
 * Stores holding sensitive data that any pod can reach: no policy governs their ingress, or traffic
 * into them was allowed with no policy. Share of such stores among the sensitive stores.
 */
export function scoreSensitiveStores(inputs: PostureInputs): ComponentResult {
  if (!inputs.inventoryKnown || inputs.stores.length === 0) {
    const summary = inputs.inventoryKnown ? 'No store is marked as holding sensitive data (label `data-classification`).' : 'No inventory uploaded: sensitive stores are unknown.';
    return { component: component(inputs, 'sensitive-stores', 0, summary, 'genai', { stores: 0, unprotectedStores: 0 }, { known: inputs.inventoryKnown }), attributions: [] };
  }
  const openInto = new Set(
    inputs.traffic
      .filter((row) => row.verdict === 'allowed' && row.destination.namespace !== null && isDefaultAllowPolicyKey(row.policyKey))
      .map((row) => `${row.destination.namespace}/${row.destination.name}`),
  );
  // Traffic allowed with no policy into a store no policy governs confirms it; into a governed store it
  // is a reporting gap (Hubble reports no policy name for allowed flows), not an open door.
  const unprotected = inputs.stores.filter((store) => !store.ingressGoverned);
  const confirmed = unprotected.filter((store) => openInto.has(`${store.namespace}/${store.name}`)).length;
  const perStore = POSTURE_WEIGHTS['sensitive-stores'] / inputs.stores.length;
  const namespaceDenies = new Map(inputs.namespaces.map((namespace) => [namespace.namespace, namespace.defaultDenyIngress]));
  const attributions = unprotected.map(
    (store): Attribution => ({
      namespace: store.namespace,
      component: 'sensitive-stores',
      points: perStore,
      // With no default deny in the namespace, that is the fix; otherwise the store's own ingress rules.
      ...(namespaceDenies.get(store.namespace) ? { action: 'restrict-ingress' as const, workload: store.name } : { action: 'default-deny' as const }),
      reason: `${store.name} (${store.sensitivity}) is reachable without policy`,
    }),
  );
  const names = unprotected.map((store) => `${store.namespace}/${store.name} (${store.sensitivity})`).sort();
  const summary =
    unprotected.length === 0
      ? `All ${plural(inputs.stores.length, 'sensitive store')} are protected by ingress policy.`
      : `${unprotected.length} of ${plural(inputs.stores.length, 'sensitive store')} can be reached without policy: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}.`;
  return {
    component: component(inputs, 'sensitive-stores', unprotected.length / inputs.stores.length, summary, 'genai', { stores: inputs.stores.length, unprotectedStores: unprotected.length, unprotectedStoresWithOpenTraffic: confirmed }),
    attributions,
  };
}

/** Share of the workloads talking to external peers that do so with traffic no policy decided. */
export function scoreExternalEgress(inputs: PostureInputs): ComponentResult {
  const talkers = new Map<string, { namespace: string; name: string; open: boolean; bytesOut: number; destinations: Set<string> }>();
  for (const row of inputs.traffic) {
    if (row.verdict !== 'allowed' || !row.destination.external || row.source.external || row.source.namespace === null) continue;
    const key = `${row.source.namespace}/${row.source.name}`;
    const entry = talkers.get(key) ?? { namespace: row.source.namespace, name: row.source.name, open: false, bytesOut: 0, destinations: new Set<string>() };
    if (isDefaultAllowPolicyKey(row.policyKey)) {
      entry.open = true;
      entry.bytesOut += row.bytesOut;
      entry.destinations.add(row.destination.name);
    }
    talkers.set(key, entry);
  }
  const all = [...talkers.values()];
  const open = all.filter((entry) => entry.open);
  if (all.length === 0) {
    return { component: component(inputs, 'external-egress', 0, 'No workload sent traffic outside the cluster.', 'graph', { externalTalkers: 0, unpolicedExternalTalkers: 0 }), attributions: [] };
  }
  const perWorkload = POSTURE_WEIGHTS['external-egress'] / all.length;
  const attributions = open.map((entry): Attribution => {
    const destinations = [...entry.destinations].sort();
    return {
      namespace: entry.namespace,
      component: 'external-egress',
      points: perWorkload,
      action: 'restrict-egress',
      workload: entry.name,
      reason: `it reaches ${destinations.slice(0, 2).join(', ')}${destinations.length > 2 ? ` and ${destinations.length - 2} more` : ''} with no egress policy`,
    };
  });
  const names = open.map((entry) => `${entry.namespace}/${entry.name}`).sort();
  const summary =
    open.length === 0
      ? `All ${plural(all.length, 'workload')} talking outside the cluster are limited by egress policy.`
      : `${open.length} of ${plural(all.length, 'workload')} talking outside the cluster do so with no egress policy: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}.`;
  return {
    component: component(inputs, 'external-egress', open.length / all.length, summary, 'graph', {
      externalTalkers: all.length,
      unpolicedExternalTalkers: open.length,
      unpolicedExternalBytesOut: open.reduce((sum, entry) => sum + entry.bytesOut, 0),
    }, { params: { overlay: 'unprotected' } }),
    attributions,
  };
}

function actionText(kind: PostureActionKind, namespace: string, workload: string | undefined, reason: string, inputs: PostureInputs): string {
  const subject = workload !== undefined ? (namespace === '-' ? `\`${workload}\`` : `\`${namespace}/${workload}\``) : `\`${namespace}\``;
  switch (kind) {
    case 'default-deny': {
      const entry = inputs.namespaces.find((candidate) => candidate.namespace === namespace);
      const workloads = inputs.workloads.filter((candidate) => candidate.namespace === namespace && (!candidate.ingressGoverned || !candidate.egressGoverned)).length;
      const which = entry?.defaultDenyIngress && !entry.defaultDenyEgress ? 'default-deny egress policy' : entry?.defaultDenyEgress && !entry.defaultDenyIngress ? 'default-deny ingress policy' : 'default-deny policy';
      return `add a ${which} to \`${namespace}\`${workloads > 0 ? `: covers ${plural(workloads, 'workload')}` : ''}`;
    }
    case 'restrict-egress':
      return `restrict egress of ${subject} to the hosts it needs: ${reason}`;
    case 'restrict-ingress':
      return `allow only known clients into ${subject}: ${reason}`;
    case 'investigate':
      return `investigate ${subject}: ${reason}`;
  }
}

function riskLink(inputs: PostureInputs, kind: PostureActionKind, namespace: string): PostureLink {
  const params: Record<string, string> = namespace === '-' ? {} : { namespace };
  if (kind === 'default-deny') return link(inputs, 'policies', params);
  if (kind === 'investigate') return link(inputs, 'flows', { ...params, verdict: 'denied' });
  return link(inputs, 'graph', params);
}

function topRisks(attributions: readonly Attribution[], inputs: PostureInputs, maxRisks: number): PostureRisk[] {
  const byNamespace = new Map<string, Attribution[]>();
  for (const attribution of attributions) {
    if (attribution.points <= 0) continue;
    byNamespace.set(attribution.namespace, [...(byNamespace.get(attribution.namespace) ?? []), attribution]);
  }
  const risks: PostureRisk[] = [];
  for (const [namespace, list] of byNamespace) {
    const byComponent: Partial<Record<PostureComponentId, number>> = {};
    for (const attribution of list) byComponent[attribution.component] = (byComponent[attribution.component] ?? 0) + attribution.points;
    const actions = new Map<string, { kind: PostureActionKind; workload?: string; points: number; top: Attribution }>();
    for (const attribution of list) {
      const key = `${attribution.action}\u0000${attribution.workload ?? ''}`;
      const entry = actions.get(key) ?? { kind: attribution.action, ...(attribution.workload !== undefined ? { workload: attribution.workload } : {}), points: 0, top: attribution };
      entry.points += attribution.points;
      if (attribution.points > entry.top.points) entry.top = attribution;
      actions.set(key, entry);
    }
    // A namespace-wide default deny also governs every workload's missing direction there, so it wins
    // back what restricting one workload's egress/ingress would (and more): credit it with those points.
    const namespaceEntry = inputs.namespaces.find((candidate) => candidate.namespace === namespace);
    const defaultDeny = [...actions.values()].find((entry) => entry.kind === 'default-deny' && entry.workload === undefined);
    if (defaultDeny) {
      for (const entry of actions.values()) {
        const subsumed =
          (entry.kind === 'restrict-egress' && !namespaceEntry?.defaultDenyEgress) ||
          (entry.kind === 'restrict-ingress' && !namespaceEntry?.defaultDenyIngress);
        if (subsumed) defaultDeny.points += entry.points;
      }
    }
    // Highest gain wins; ties go to the namespace-wide default deny, then by name, so the choice is stable.
    const best = [...actions.values()].sort(
      (a, b) => b.points - a.points || (a.kind === 'default-deny' ? -1 : b.kind === 'default-deny' ? 1 : 0) || ((a.workload ?? '') < (b.workload ?? '') ? -1 : 1),
    )[0] as { kind: PostureActionKind; workload?: string; points: number; top: Attribution };
    const pointsLost = list.reduce((sum, attribution) => sum + attribution.points, 0);
    risks.push({
      namespace,
      pointsLost: round1(pointsLost),
      byComponent: Object.fromEntries(Object.entries(byComponent).map(([id, points]) => [id, round1(points)])),
      action: {
        kind: best.kind,
        ...(best.workload !== undefined ? { workload: best.workload } : {}),
        text: actionText(best.kind, namespace, best.workload, best.top.reason, inputs),
        pointsGained: round1(Math.min(best.points, pointsLost)),
      },
      link: riskLink(inputs, best.kind, namespace),
    });
  }
  return risks.sort((a, b) => b.pointsLost - a.pointsLost || (a.namespace < b.namespace ? -1 : 1)).slice(0, maxRisks);
}

/**
 * The posture score of one cluster over one period (a day), 0–100, with its reasons.
 *
 * Formula: seven components, each with a weight (they add up to 100) and a risk ratio r in [0, 1];
 * a component loses `weight × r` points and the score is `round(100 − Σ points lost)`.
 *
 * | component | weight | r |
 * |---|---|---|
 * | workload-coverage | 25 | directions (ingress, egress) of workloads no policy governs ÷ (2 × workloads) |
 * | default-deny | 10 | namespace directions without a default-deny NetworkPolicy ÷ (2 × namespaces with workloads) |
 * | unpoliced-traffic | 15 | allowed flows decided by no policy (`policy_key` '' or a Calico profile) ÷ allowed flows |
 * | denied-trend | 10 | (denied/day − baseline) ÷ (3 × max(baseline, 10)), clamped; baseline = mean of the previous ≤ 7 days |
 * | genai-findings | 20 | Σ severity points (critical 8, high 4, medium 2, low 1) ÷ 24, clamped |
 * | sensitive-stores | 10 | sensitive stores reachable without policy ÷ sensitive stores |
 * | external-egress | 10 | workloads reaching external peers with no egress policy ÷ workloads reaching external peers |
 *
 * A component whose input is missing (no inventory, no history) costs nothing and says so (`known`).
 * Every lost point is charged to a namespace and to the action that would win it back; the top risks
 * are the namespaces that cost the most, each with its single most rewarding action.
 */
export function computePostureScore(inputs: PostureInputs, options: ComputePostureScoreOptions = {}): PostureScore {
  const results = [
    scoreWorkloadCoverage(inputs),
    scoreDefaultDeny(inputs),
    scoreUnpolicedTraffic(inputs),
    scoreDeniedTrend(inputs),
    scoreGenAiFindings(inputs),
    scoreSensitiveStores(inputs),
    scoreExternalEgress(inputs),
  ];
  const lost = results.reduce((sum, result) => sum + POSTURE_WEIGHTS[result.component.id] * result.component.riskRatio, 0);
  return {
    score: Math.max(0, Math.min(100, Math.round(100 - lost))),
    incomplete: results.some((result) => !result.component.known),
    components: results.map((result) => result.component),
    risks: topRisks(
      results.flatMap((result) => result.attributions),
      inputs,
      options.maxRisks ?? 5,
    ),
  };
}

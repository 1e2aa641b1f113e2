import { endpointNodeId } from '../flow/types';
import type { Inventory, InventoryWorkload, StringMap } from '../inventory/types';
import { classifySensitivity, type SensitivityOverride, type SensitivitySource } from './classify-sensitivity';
import { compileGenAiRules, type CompiledCondition, type CompiledRule } from './compile-genai-rules';
import { defaultGenAiRules } from './default-genai-rules';
import type {
  GenAiEvidence,
  GenAiExternalPeer,
  GenAiNode,
  GenAiRole,
  GenAiRoleAssignment,
  GenAiRoleRule,
  GenAiRule,
  ObservedEdge,
} from './types';

export interface ClassifyGenAiOptions {
  readonly inventory: Inventory;
  /** Cluster slug for node ids (`cluster/namespace/workload/name`). Default `default`. */
  readonly clusterId?: string;
  /** External peers seen in traffic, classified by domain. */
  readonly externalPeers?: readonly GenAiExternalPeer[];
  /** Observed edges for traffic-shape rules; only `allowed` edges count. */
  readonly edges?: readonly ObservedEdge[];
  /** Custom (admin) rules, already validated by `parseGenAiRules`; same id replaces a default. */
  readonly rules?: readonly GenAiRule[];
  /** The built-in table; tests may pass another. */
  readonly defaultRules?: readonly GenAiRule[];
  /** Roles below this combined confidence are dropped. Default 0.35. */
  readonly minConfidence?: number;
}

export interface ClassifyGenAiResult {
  /** Workloads (in inventory order) then external peers (in input order). */
  readonly nodes: readonly GenAiNode[];
}

const DEFAULT_MIN_CONFIDENCE = 0.35;
/** Labels whose values name the component (`app.kubernetes.io/instance` and `part-of` name the whole stack, so not those). */
const NAME_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'component', 'k8s-app', 'name'];

/** What rules look at, gathered once per node. Every string is lower-cased except for display. */
interface NodeFacts {
  readonly images: readonly string[];
  readonly ports: readonly { readonly port: number; readonly where: string }[];
  readonly commandLines: readonly string[];
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly envNames: readonly string[];
  readonly names: readonly { readonly value: string; readonly source: GenAiEvidence['source']; readonly where: string }[];
  readonly namespace?: string;
  readonly domain?: string;
}

/** `ghcr.io/huggingface/text-embeddings-inference:cpu-1.5` → `ghcr.io/huggingface/text-embeddings-inference` (tags never decide a role). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return (colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
}

/**
 * Image rules run per workload per rule; a cluster has few distinct images, so their repositories are
 * computed once (a pure memo: same input, same output).
 */
const repositoryMemo = new Map<string, string>();
function cachedImageRepository(image: string): string {
  let repository = repositoryMemo.get(image);
  if (repository === undefined) {
    if (repositoryMemo.size > 10_000) repositoryMemo.clear();
    repository = imageRepository(image);
    repositoryMemo.set(image, repository);
  }
  return repository;
}

function lowerKeys(map: StringMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[key.toLowerCase()] = value;
  return out;
}

function workloadFacts(workload: InventoryWorkload, inventory: Inventory): NodeFacts {
  const containers = workload.template.containers;
  const labels = lowerKeys({ ...workload.labels, ...workload.template.labels });
  const annotations = lowerKeys({ ...workload.annotations, ...workload.template.annotations });
  const services = inventory.services.filter(
    (service) =>
      service.namespace === workload.namespace &&
      service.selector !== undefined &&
      Object.keys(service.selector).length > 0 &&
      Object.entries(service.selector).every(([key, value]) => workload.template.labels[key] === value),
  );
  const ports = [
    ...containers.flatMap((container) => container.ports.map((port) => ({ port: port.containerPort, where: `container ${container.name} port ${port.containerPort}` }))),
    ...services.flatMap((service) => service.ports.map((port) => ({ port: port.port, where: `Service ${service.name} port ${port.port}` }))),
  ];
  const names: NodeFacts['names'][number][] = [
    { value: workload.name, source: 'service', where: `${workload.kind} name ${workload.name}` },
    ...services.map((service) => ({ value: service.name, source: 'service' as const, where: `Service ${service.name}` })),
    ...containers.map((container) => ({ value: container.name, source: 'service' as const, where: `container name ${container.name}` })),
    ...NAME_LABELS.filter((key) => labels[key] !== undefined).map((key) => ({ value: labels[key] as string, source: 'label' as const, where: `label ${key}=${labels[key]}` })),
  ];
  return {
    images: containers.map((container) => container.image),
    ports,
    commandLines: containers.map((container) => [...container.command, ...container.args].join(' ')).filter((line) => line.length > 0),
    labels,
    annotations,
    envNames: [...new Set(containers.flatMap((container) => [...container.envNames, ...container.envFrom]))],
    names,
    namespace: workload.namespace,
  };
}

function externalFacts(peer: GenAiExternalPeer): NodeFacts {
  return {
    images: [],
    ports: [],
    commandLines: [],
    labels: {},
    annotations: {},
    envNames: [],
    names: [],
    ...(peer.domain !== undefined ? { domain: peer.domain.toLowerCase() } : {}),
  };
}

/** Evidence for one condition, or null when it does not hold. `calledRoles`: first-pass roles of the node's destinations. */
function evaluateCondition(condition: CompiledCondition, facts: NodeFacts, called: ReadonlyMap<GenAiRole, string>): GenAiEvidence | null | 'holds' {
  switch (condition.kind) {
    case 'image': {
      const hit = facts.images.find((image) => condition.regex.test(cachedImageRepository(image)));
      return hit !== undefined ? { source: 'image', detail: `image ${hit}` } : null;
    }
    case 'arg': {
      const hit = facts.commandLines.find((line) => condition.regex.test(line));
      return hit !== undefined ? { source: 'arg', detail: `command/args "${hit.length > 160 ? `${hit.slice(0, 157)}...` : hit}"` } : null;
    }
    case 'env': {
      const hit = facts.envNames.find((envName) => condition.regex.test(envName));
      return hit !== undefined ? { source: 'env', detail: hit.includes(':') ? `envFrom ${hit}` : `env ${hit}` } : null;
    }
    case 'name': {
      const hit = facts.names.find((candidate) => condition.regex.test(candidate.value));
      return hit !== undefined ? { source: hit.source, detail: hit.where } : null;
    }
    case 'namespace':
      return facts.namespace !== undefined && condition.regex.test(facts.namespace) ? { source: 'rule', detail: `namespace ${facts.namespace}` } : null;
    case 'domain':
      return facts.domain !== undefined && condition.regex.test(facts.domain) ? { source: 'domain', detail: `domain ${facts.domain}` } : null;
    case 'port': {
      const hit = facts.ports.find((candidate) => condition.ports.has(candidate.port));
      return hit !== undefined ? { source: 'port', detail: hit.where } : null;
    }
    case 'label':
    case 'annotation': {
      const map = condition.kind === 'label' ? facts.labels : facts.annotations;
      const value = map[condition.key];
      if (value === undefined || (condition.value !== undefined && !condition.value.test(value))) return null;
      return { source: condition.kind, detail: `${condition.kind} ${condition.key}=${value}` };
    }
    case 'calls': {
      const hits = [...condition.roles].filter((role) => called.has(role));
      if (condition.negate) return hits.length === 0 ? 'holds' : null;
      if (hits.length === 0) return null;
      return { source: 'traffic', detail: `calls ${hits.map((role) => `${called.get(role)} (${role})`).join(', ')}` };
    }
  }
}

interface RoleScore {
  readonly evidence: GenAiEvidence[];
  readonly ruleIds: string[];
  complement: number;
  replaces: Set<GenAiRole>;
}

function matchRules(rules: readonly CompiledRule[], facts: NodeFacts, called: ReadonlyMap<GenAiRole, string>, scores: Map<GenAiRole, RoleScore>, suppressed: Set<GenAiRole>): void {
  for (const compiled of rules) {
    if (compiled.rule.kind !== 'role') continue;
    const evidence: GenAiEvidence[] = [];
    let holds = true;
    for (const condition of compiled.conditions) {
      const result = evaluateCondition(condition, facts, called);
      if (result === null) {
        holds = false;
        break;
      }
      if (result !== 'holds') evidence.push(result);
    }
    if (!holds) continue;
    const rule: GenAiRoleRule = compiled.rule;
    if (compiled.custom) evidence.push({ source: 'rule', detail: `custom rule ${rule.id}${rule.description ? `: ${rule.description}` : ''}` });
    if (rule.effect === 'suppress') {
      suppressed.add(rule.role);
      continue;
    }
    const score = scores.get(rule.role) ?? { evidence: [], ruleIds: [], complement: 1, replaces: new Set<GenAiRole>() };
    // Independent pieces of evidence combine as a noisy OR: 1 − Π(1 − cᵢ).
    score.complement *= 1 - rule.confidence;
    for (const item of evidence) if (!score.evidence.some((known) => known.detail === item.detail && known.source === item.source)) score.evidence.push(item);
    score.ruleIds.push(rule.id);
    for (const role of rule.replaces ?? []) score.replaces.add(role);
    scores.set(rule.role, score);
  }
}

function finishRoles(scores: ReadonlyMap<GenAiRole, RoleScore>, suppressed: ReadonlySet<GenAiRole>, minConfidence: number): GenAiRoleAssignment[] {
  const kept = [...scores.entries()].filter(([role, score]) => !suppressed.has(role) && 1 - score.complement >= minConfidence);
  const replaced = new Set<GenAiRole>();
  for (const [, score] of kept) for (const role of score.replaces) replaced.add(role);
  return kept
    .filter(([role]) => !replaced.has(role))
    .map(([role, score]) => ({ role, confidence: Math.round((1 - score.complement) * 100) / 100, evidence: score.evidence, ruleIds: score.ruleIds }))
    .sort((a, b) => b.confidence - a.confidence || (a.role < b.role ? -1 : 1));
}

function sensitivityOverrides(rules: readonly CompiledRule[], facts: NodeFacts): SensitivityOverride[] {
  const overrides: SensitivityOverride[] = [];
  for (const compiled of rules) {
    if (compiled.rule.kind !== 'sensitivity' || compiled.traffic) continue;
    if (!compiled.conditions.every((condition) => evaluateCondition(condition, facts, new Map()) !== null)) continue;
    overrides.push({
      level: compiled.rule.level,
      tags: compiled.rule.tags ?? [],
      evidence: { source: 'rule', detail: `rule ${compiled.rule.id}${compiled.rule.description ? `: ${compiled.rule.description}` : ''}` },
    });
  }
  return overrides;
}

/**
 * Classifies every workload of the inventory and every external peer: which GenAI roles it plays
 * (with evidence and a combined confidence) and how sensitive its data is. Two passes: static rules
 * (image, ports, args, labels, annotations, env names, names, domains), then traffic-shape rules over
 * `edges` using the first pass's roles of each node's destinations.
 */
export function classifyGenAi(options: ClassifyGenAiOptions): ClassifyGenAiResult {
  const { inventory } = options;
  const clusterId = options.clusterId ?? 'default';
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const rules = compileGenAiRules(options.defaultRules ?? defaultGenAiRules, options.rules ?? []);
  const staticRules = rules.filter((rule) => !rule.traffic);
  const trafficRules = rules.filter((rule) => rule.traffic);
  const namespaces = new Map(inventory.namespaces.map((namespace) => [namespace.name, namespace]));

  interface Pending {
    readonly base: Omit<GenAiNode, 'roles' | 'sensitivity'>;
    readonly facts: NodeFacts;
    readonly scores: Map<GenAiRole, RoleScore>;
    readonly suppressed: Set<GenAiRole>;
    readonly sensitivitySources: readonly SensitivitySource[];
  }
  const pending: Pending[] = [];
  for (const workload of inventory.workloads) {
    const facts = workloadFacts(workload, inventory);
    const namespace = namespaces.get(workload.namespace);
    const application = facts.labels['app.kubernetes.io/part-of'] ?? facts.labels['app.kubernetes.io/instance'] ?? workload.namespace;
    pending.push({
      base: {
        id: endpointNodeId(clusterId, { kind: 'workload', namespace: workload.namespace, name: workload.name, labels: {} }),
        kind: 'workload',
        namespace: workload.namespace,
        name: workload.name,
        workloadKind: workload.kind,
        application,
      },
      facts,
      scores: new Map(),
      suppressed: new Set(),
      sensitivitySources: [
        { origin: 'label', scope: 'workload', values: { ...workload.labels, ...workload.template.labels } },
        { origin: 'annotation', scope: 'workload', values: { ...workload.annotations, ...workload.template.annotations } },
        ...(namespace
          ? [
              { origin: 'label' as const, scope: 'namespace' as const, values: namespace.labels },
              { origin: 'annotation' as const, scope: 'namespace' as const, values: namespace.annotations },
            ]
          : []),
      ],
    });
  }
  for (const peer of options.externalPeers ?? []) {
    pending.push({
      base: {
        id: peer.id,
        kind: 'external',
        name: peer.domain ?? peer.ip ?? peer.id,
        ...(peer.domain !== undefined ? { domain: peer.domain } : {}),
        ...(peer.ip !== undefined ? { ip: peer.ip } : {}),
      },
      facts: externalFacts(peer),
      scores: new Map(),
      suppressed: new Set(),
      sensitivitySources: [],
    });
  }

  const noCalls = new Map<GenAiRole, string>();
  for (const node of pending) matchRules(staticRules, node.facts, noCalls, node.scores, node.suppressed);

  if (trafficRules.length > 0 && options.edges !== undefined && options.edges.length > 0) {
    // First-pass roles, then per node: role → a destination name holding it (for the evidence text).
    const firstPass = new Map(pending.map((node) => [node.base.id, { name: node.base.name, roles: finishRoles(node.scores, node.suppressed, minConfidence) }]));
    const calledByNode = new Map<string, Map<GenAiRole, string>>();
    for (const edge of options.edges) {
      if (edge.verdict !== 'allowed') continue;
      const destination = firstPass.get(edge.destinationNodeId);
      if (!destination) continue;
      const called = calledByNode.get(edge.sourceNodeId) ?? new Map<GenAiRole, string>();
      for (const assignment of destination.roles) if (!called.has(assignment.role)) called.set(assignment.role, destination.name);
      calledByNode.set(edge.sourceNodeId, called);
    }
    for (const node of pending) matchRules(trafficRules, node.facts, calledByNode.get(node.base.id) ?? noCalls, node.scores, node.suppressed);
  }

  const nodes = pending.map(
    (node): GenAiNode => ({
      ...node.base,
      roles: finishRoles(node.scores, node.suppressed, minConfidence),
      sensitivity: classifySensitivity(node.sensitivitySources, sensitivityOverrides(rules, node.facts)),
    }),
  );
  return { nodes };
}

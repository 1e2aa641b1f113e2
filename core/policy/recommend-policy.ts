import { Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Inventory, InventoryWorkload, Protocol, StringMap, WorkloadKind } from '../inventory/types';
import { collectPeers } from './collect-peers';
import { matchLabelSelector } from './match-label-selector';
import type { ObservedEdge, ObservedEndpoint } from './what-if';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Labels controllers stamp per pod or per revision: selecting on them breaks at the next rollout. */
const UNSTABLE_LABELS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);

/** Preferred identity labels, in order: one of them alone is usually a workload's selector. */
const IDENTITY_LABELS = ['app', 'app.kubernetes.io/name', 'k8s-app', 'name'];

export interface RecommendTarget {
  readonly namespace: string;
  readonly workload: string;
  readonly workloadKind?: WorkloadKind;
}

export type RecommendedPeer =
  | { readonly kind: 'workload'; readonly node: string; readonly namespace: string; readonly podLabels: StringMap }
  | { readonly kind: 'namespace'; readonly node: string; readonly namespace: string }
  | { readonly kind: 'external'; readonly node: string; readonly cidr: string };

export interface RecommendedPort {
  readonly port: number;
  readonly protocol: Protocol;
}

export interface RuleEvidence {
  readonly port: number;
  readonly protocol: Protocol;
  readonly flows: number;
  readonly lastSeenMs: number;
  /** Concrete ends (pods, IPs) behind it, busiest first, at most 5. */
  readonly examples: readonly string[];
}

export interface RecommendedRule {
  readonly direction: 'Ingress' | 'Egress';
  /** 0-based index inside the direction's rule list of the generated policy. */
  readonly index: number;
  readonly peer: RecommendedPeer;
  readonly ports: readonly RecommendedPort[];
  readonly evidence: readonly RuleEvidence[];
  readonly flows: number;
  readonly lastSeenMs: number;
}

/** Observed traffic the policy does not (or cannot) allow, and why. */
export interface ExcludedTraffic {
  readonly direction: 'Ingress' | 'Egress';
  readonly peer: string;
  readonly port: number | null;
  readonly protocol: string;
  readonly flows: number;
  readonly reason: 'observed-denied' | 'no-port' | 'unsupported-protocol' | 'peer-unplaceable';
}

export interface PolicyRecommendation {
  readonly namespace: string;
  readonly workload: string;
  readonly workloadKind: WorkloadKind;
  readonly policyName: string;
  readonly podSelector: StringMap;
  readonly ingress: readonly RecommendedRule[];
  readonly egress: readonly RecommendedRule[];
  readonly excluded: readonly ExcludedTraffic[];
  /** The networking.k8s.io/v1 NetworkPolicy as plain data. */
  readonly manifest: Record<string, unknown>;
  /** The manifest as YAML, each rule preceded by a comment with its evidence. */
  readonly yaml: string;
}

export type RecommendPolicyResult =
  | { readonly ok: true; readonly value: PolicyRecommendation }
  | { readonly ok: false; readonly error: { readonly kind: 'unknown-workload'; readonly message: string } };

export interface RecommendPolicyInput {
  readonly inventory: Inventory;
  readonly target: RecommendTarget;
  /** Observed edges of the window; those not touching the target are ignored. */
  readonly edges: readonly ObservedEdge[];
  /** Names the window in the policy's annotation, e.g. "2026-11-01T00:00:00Z/2026-11-08T00:00:00Z". */
  readonly windowLabel?: string;
}

function stableLabels(labels: StringMap): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !UNSTABLE_LABELS.has(key)));
}

/**
 * The smallest label set that still singles out the workload among the pods of its namespace: one
 * identity label (`app`, `app.kubernetes.io/name`, …) when that is unambiguous, else every stable label.
 */
function selectorLabelsFor(inventory: Inventory, namespace: string, labels: StringMap, workloadName: string): Record<string, string> {
  const stable = stableLabels(labels);
  const others = collectPeers(inventory).filter((peer) => peer.namespace === namespace && peer.workload?.name !== workloadName);
  const unique = (candidate: Record<string, string>): boolean =>
    !others.some((peer) => matchLabelSelector({ matchLabels: candidate, matchExpressions: [] }, peer.labels));
  for (const key of IDENTITY_LABELS) {
    const value = stable[key];
    if (value !== undefined && unique({ [key]: value })) return { [key]: value };
  }
  return stable;
}

function findWorkload(inventory: Inventory, namespace: string, name: string, kind?: string): InventoryWorkload | undefined {
  return inventory.workloads.find((workload) => workload.namespace === namespace && workload.name === name && (kind === undefined || workload.kind === kind));
}

function podLabelsOf(inventory: Inventory, workload: InventoryWorkload): StringMap {
  const pod = inventory.pods.find((candidate) => candidate.namespace === workload.namespace && workload.podNames.includes(candidate.name));
  return pod?.labels ?? workload.template.labels;
}

function isTarget(endpoint: ObservedEndpoint, target: RecommendTarget): boolean {
  return (
    !endpoint.external &&
    endpoint.namespace === target.namespace &&
    endpoint.workload === target.workload &&
    (target.workloadKind === undefined || endpoint.workloadKind === undefined || endpoint.workloadKind === target.workloadKind)
  );
}

function toProtocol(protocol: string): Protocol | undefined {
  const upper = protocol.toUpperCase();
  return upper === 'TCP' || upper === 'UDP' || upper === 'SCTP' ? upper : undefined;
}

interface RuleBuilder {
  peer: RecommendedPeer;
  byPort: Map<string, { port: number; protocol: Protocol; flows: number; lastSeenMs: number; examples: Map<string, number> }>;
}

function isoOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The least-privilege `networking.k8s.io/v1` NetworkPolicy for one workload: it selects the workload's
 * pods for Ingress and Egress and allows exactly the (peer, port, protocol) combinations observed as
 * allowed in the given edges — peers by `kubernetes.io/metadata.name` namespace selector plus the peer
 * workload's stable identity labels, external peers as /32 ipBlocks — so traffic that was never seen
 * (or was denied) stays denied. Every rule carries its evidence: flow counts, ports and last seen.
 */
export function recommendPolicy(input: RecommendPolicyInput): RecommendPolicyResult {
  const { inventory, target } = input;
  const workload = findWorkload(inventory, target.namespace, target.workload, target.workloadKind);
  if (!workload) {
    return { ok: false, error: { kind: 'unknown-workload', message: `workload ${target.namespace}/${target.workload} is not in the inventory` } };
  }
  const podSelector = selectorLabelsFor(inventory, workload.namespace, podLabelsOf(inventory, workload), workload.name);
  const rules = { Ingress: new Map<string, RuleBuilder>(), Egress: new Map<string, RuleBuilder>() };
  const excluded = new Map<string, ExcludedTraffic>();
  const exclude = (entry: ExcludedTraffic): void => {
    const key = `${entry.direction}|${entry.peer}|${entry.port}|${entry.protocol}|${entry.reason}`;
    const found = excluded.get(key);
    excluded.set(key, found ? { ...found, flows: found.flows + entry.flows } : entry);
  };
  for (const edge of input.edges) {
    const outgoing = isTarget(edge.source, target);
    const incoming = isTarget(edge.destination, target);
    if (!outgoing && !incoming) continue;
    // A workload talking to itself needs both rules; handle each direction in turn.
    const directions: Array<'Ingress' | 'Egress'> = [...(outgoing ? (['Egress'] as const) : []), ...(incoming ? (['Ingress'] as const) : [])];
    for (const direction of directions) {
      const other = direction === 'Egress' ? edge.destination : edge.source;
      const protocol = toProtocol(edge.protocol);
      const base = { direction, peer: other.node, port: edge.port, protocol: edge.protocol, flows: edge.flows };
      if (edge.verdict === 'denied') {
        exclude({ ...base, reason: 'observed-denied' });
        continue;
      }
      if (!protocol) {
        exclude({ ...base, reason: 'unsupported-protocol' });
        continue;
      }
      if (edge.port === null || edge.port < 1) {
        exclude({ ...base, reason: 'no-port' });
        continue;
      }
      const peer = peerOf(inventory, other);
      if (!peer) {
        exclude({ ...base, reason: 'peer-unplaceable' });
        continue;
      }
      const peerKey = peer.kind === 'external' ? `cidr:${peer.cidr}` : `${peer.kind}:${peer.namespace}:${JSON.stringify(peer.kind === 'workload' ? peer.podLabels : {})}`;
      let rule = rules[direction].get(peerKey);
      if (!rule) {
        rule = { peer, byPort: new Map() };
        rules[direction].set(peerKey, rule);
      }
      const portKey = `${protocol}/${edge.port}`;
      let entry = rule.byPort.get(portKey);
      if (!entry) {
        entry = { port: edge.port, protocol, flows: 0, lastSeenMs: 0, examples: new Map() };
        rule.byPort.set(portKey, entry);
      }
      entry.flows += edge.flows;
      entry.lastSeenMs = Math.max(entry.lastSeenMs, edge.lastSeenMs);
      const detail = other.detail ?? other.node;
      entry.examples.set(detail, (entry.examples.get(detail) ?? 0) + edge.flows);
    }
  }
  const finish = (direction: 'Ingress' | 'Egress'): RecommendedRule[] =>
    [...rules[direction].values()]
      .map((rule) => {
        const evidence = [...rule.byPort.values()]
          .sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port)
          .map((entry): RuleEvidence => ({
            port: entry.port,
            protocol: entry.protocol,
            flows: entry.flows,
            lastSeenMs: entry.lastSeenMs,
            examples: [...entry.examples.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([name]) => name),
          }));
        return {
          direction,
          index: 0,
          peer: rule.peer,
          ports: evidence.map(({ port, protocol }) => ({ port, protocol })),
          evidence,
          flows: evidence.reduce((sum, entry) => sum + entry.flows, 0),
          lastSeenMs: Math.max(0, ...evidence.map((entry) => entry.lastSeenMs)),
        };
      })
      .sort((a, b) => a.peer.node.localeCompare(b.peer.node))
      .map((rule, index) => ({ ...rule, index }));
  const ingress = finish('Ingress');
  const egress = finish('Egress');
  const policyName = `${workload.name}-least-privilege`;
  const manifest = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: policyName,
      namespace: workload.namespace,
      annotations: {
        'flowlens.io/generated-from': `observed traffic${input.windowLabel !== undefined ? ` ${input.windowLabel}` : ''}`,
      },
    },
    spec: {
      podSelector: { matchLabels: podSelector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingress.map((rule) => ({ from: [peerManifest(rule.peer)], ports: rule.ports.map((port) => ({ protocol: port.protocol, port: port.port })) })),
      egress: egress.map((rule) => ({ to: [peerManifest(rule.peer)], ports: rule.ports.map((port) => ({ protocol: port.protocol, port: port.port })) })),
    },
  };
  return {
    ok: true,
    value: {
      namespace: workload.namespace,
      workload: workload.name,
      workloadKind: workload.kind,
      policyName,
      podSelector,
      ingress,
      egress,
      excluded: [...excluded.values()].sort((a, b) => b.flows - a.flows),
      manifest,
      yaml: renderYaml(manifest, ingress, egress),
    },
  };
}

function peerOf(inventory: Inventory, other: ObservedEndpoint): RecommendedPeer | undefined {
  if (other.external) {
    if (other.ip === undefined || !/^\d{1,3}(\.\d{1,3}){3}$/.test(other.ip)) return undefined;
    return { kind: 'external', node: other.node, cidr: `${other.ip}/32` };
  }
  if (other.namespace === undefined) return undefined;
  const found = other.workload !== undefined ? findWorkload(inventory, other.namespace, other.workload, other.workloadKind) : undefined;
  const labels = found ? podLabelsOf(inventory, found) : other.labels;
  const name = found?.name ?? other.workload ?? '';
  const podLabels = labels ? selectorLabelsFor(inventory, other.namespace, labels, name) : {};
  // Without any stable label the peer can only be named by its namespace: wider, so say so in the node.
  if (Object.keys(podLabels).length === 0) return { kind: 'namespace', node: `${other.namespace}/*`, namespace: other.namespace };
  return { kind: 'workload', node: other.node, namespace: other.namespace, podLabels };
}

function peerManifest(peer: RecommendedPeer): Record<string, unknown> {
  switch (peer.kind) {
    case 'external':
      return { ipBlock: { cidr: peer.cidr } };
    case 'namespace':
      return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } } };
    case 'workload':
      return {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
        podSelector: { matchLabels: { ...peer.podLabels } },
      };
  }
}

function ruleComment(rule: RecommendedRule): string {
  const ports = rule.evidence.map((entry) => `${entry.protocol}/${entry.port} ${formatCount(entry.flows)} flows`).join(', ');
  return ` ${rule.direction === 'Ingress' ? 'from' : 'to'} ${rule.peer.node}: ${ports}; last seen ${isoOf(rule.lastSeenMs)}`;
}

function renderYaml(manifest: Record<string, unknown>, ingress: readonly RecommendedRule[], egress: readonly RecommendedRule[]): string {
  const document = new Document(manifest);
  const spec = document.get('spec') as YAMLMap;
  const annotate = (key: 'ingress' | 'egress', rules: readonly RecommendedRule[]): void => {
    const list = spec.get(key) as YAMLSeq;
    if (rules.length === 0) {
      // `ingress: []` with the direction in policyTypes denies all of it; say so next to the key.
      list.flow = true;
      const pair = spec.items.find((item) => (item.key as { value?: unknown }).value === key);
      if (pair) (pair.key as { commentBefore?: string }).commentBefore = ` no ${key} observed: all ${key} denied`;
      return;
    }
    list.items.forEach((item, index) => {
      const rule = rules[index];
      if (rule) (item as YAMLMap).commentBefore = ruleComment(rule);
    });
  };
  annotate('ingress', ingress);
  annotate('egress', egress);
  return document.toString({ lineWidth: 0 });
}

import { workloadPeerName } from '../policy/collect-peers';
import type { Coverage } from '../policy/compute-coverage';
import { isSensitive, sensitivityRank } from './classify-sensitivity';
import { observedEdgeId } from './find-genai-paths';
import {
  GENAI_BACKEND_ROLES,
  GENAI_COMPONENT_ROLES,
  GENAI_FINDING_KINDS,
  GENAI_SEVERITIES,
  GENAI_STORE_ROLES,
  type DailyEgress,
  type GenAiFinding,
  type GenAiFindingEvidence,
  type GenAiNode,
  type GenAiRole,
  type GenAiSeverity,
  type ObservedEdge,
} from './types';

export interface DetectGenAiFindingsOptions {
  readonly nodes: readonly GenAiNode[];
  /** Observed edges of the window, allowed and denied. */
  readonly edges: readonly ObservedEdge[];
  /** `computeCoverage(inventory)`: enables "GenAI workload no policy protects". */
  readonly coverage?: Coverage;
  /** Edges of the previous 7 days: enables "new edge into a sensitive store". */
  readonly previousEdges?: readonly ObservedEdge[];
  /** Per-day egress bytes (current day and baseline days): enables "unusual egress to an external LLM API". */
  readonly dailyEgress?: readonly DailyEgress[];
  /** Day to evaluate against the earlier days; default the latest day in `dailyEgress`. */
  readonly evaluatedDayStartMs?: number;
  /** Below this many bytes on the evaluated day, egress is never unusual. Default 10 MiB. */
  readonly minSpikeBytes?: number;
}

export interface DetectGenAiFindingsResult {
  /** Sorted by severity (critical first), then kind, then id. */
  readonly findings: readonly GenAiFinding[];
}

/**
 * Callers whose calls into a shared GenAI backend are the design, not an exposure: GenAI consumers (apps,
 * gateways, RAG components, guardrails) and metrics scrapers, which reach every backend they monitor.
 */
const EXPECTED_BACKEND_CALLER_ROLES: readonly GenAiRole[] = ['rag-app', 'rag-component', 'llm-gateway', 'guardrail', 'metrics-scraper'];
const DEFAULT_MIN_SPIKE_BYTES = 10 * 1024 * 1024;
/** Fewer baseline days than this and a workload has no baseline yet. */
const MIN_BASELINE_DAYS = 3;

const hasRole = (node: GenAiNode | undefined, roles: readonly GenAiRole[]): boolean => node !== undefined && node.roles.some((assignment) => roles.includes(assignment.role));
const roleOf = (node: GenAiNode, roles: readonly GenAiRole[]): GenAiRole | undefined => node.roles.find((assignment) => roles.includes(assignment.role))?.role;

/** `namespace/name` for workloads, the domain (else IP) for external peers; the last id segment for unknown nodes. */
export function genAiNodeLabel(node: GenAiNode | undefined, id: string): string {
  if (node === undefined) {
    const parts = id.split('/');
    if (parts.length < 4) return id;
    const name = parts.slice(3).join('/');
    return parts[1] === '-' ? name : `${parts[1]}/${name}`;
  }
  if (node.kind === 'external') return node.domain ?? node.ip ?? node.name;
  return node.namespace !== undefined ? `${node.namespace}/${node.name}` : node.name;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const edgeEvidence = (edge: ObservedEdge): GenAiFindingEvidence => ({ kind: 'edge', edge, edgeId: observedEdgeId(edge) });

function storeWords(node: GenAiNode): string {
  const sensitivity = node.sensitivity;
  const qualifier = sensitivity === null ? '' : sensitivity.tags.length > 0 ? sensitivity.tags.map((tag) => tag.toUpperCase()).join('/') : sensitivity.level;
  const noun = hasRole(node, ['vector-db']) ? 'vector database' : 'database';
  return `the ${qualifier} ${noun}`;
}

function storeSeverity(stores: readonly GenAiNode[], top: GenAiSeverity, otherwise: GenAiSeverity): GenAiSeverity {
  return stores.some((store) => store.sensitivity !== null && (store.sensitivity.tags.length > 0 || store.sensitivity.level === 'restricted')) ? top : otherwise;
}

/** Most sensitive first, then by id. */
/**
 * Regulated data (pii/pci/phi tags) first — it is what a finding must name —, then a store labelled
 * sensitive itself over one that only inherits its namespace's label, then by level.
 */
function bySensitivity(a: GenAiNode, b: GenAiNode): number {
  const rank = (node: GenAiNode): number => {
    const sensitivity = node.sensitivity;
    if (!sensitivity) return -1;
    const own = sensitivity.evidence.filter((evidence) => !evidence.detail.startsWith('namespace '));
    const ownRegulated = own.some((evidence) => /\b(pii|pci|phi|hipaa|gdpr)\b/i.test(evidence.detail));
    return (
      (ownRegulated ? 2000 : 0) + (sensitivity.tags.length > 0 ? 1000 : 0) + (own.length > 0 ? 500 : 0) +
      sensitivityRank(sensitivity.level) * 10 + sensitivity.tags.length
    );
  };
  return rank(b) - rank(a) || (a.id < b.id ? -1 : 1);
}

/**
 * The risky facts about GenAI traffic in a window, each with a severity, plain words, the nodes to
 * highlight and the evidence (edges with their policies and flow ids, roles, sensitivity, coverage,
 * baselines): sensitive data next to an external LLM API, exposed backends, unprotected GenAI
 * workloads, runtime model pulls, denied attempts, new edges into sensitive stores, egress spikes.
 */
export function detectGenAiFindings(options: DetectGenAiFindingsOptions): DetectGenAiFindingsResult {
  const nodeById = new Map(options.nodes.map((node) => [node.id, node]));
  const label = (id: string): string => genAiNodeLabel(nodeById.get(id), id);
  const shortLabel = (id: string): string => {
    const node = nodeById.get(id);
    return node?.kind === 'workload' ? node.name : label(id);
  };
  const findings: GenAiFinding[] = [];
  const allowed = options.edges.filter((edge) => edge.verdict === 'allowed');
  const allowedOut = new Map<string, ObservedEdge[]>();
  for (const edge of allowed) {
    const list = allowedOut.get(edge.sourceNodeId);
    if (list) list.push(edge);
    else allowedOut.set(edge.sourceNodeId, [edge]);
  }
  const isSensitiveStore = (id: string): boolean => {
    const node = nodeById.get(id);
    return hasRole(node, GENAI_STORE_ROLES) && isSensitive(node?.sensitivity ?? null);
  };
  const isLlmApi = (id: string): boolean => hasRole(nodeById.get(id), ['external-llm-api']);
  const isExternal = (id: string): boolean => (nodeById.get(id)?.kind ?? id.split('/')[2]) === 'external';

  // 1. Reads a sensitive store and sends to an external LLM API (directly or through an LLM gateway).
  for (const [sourceId, edges] of [...allowedOut.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isExternal(sourceId)) continue;
    const storeEdges = edges.filter((edge) => isSensitiveStore(edge.destinationNodeId));
    if (storeEdges.length === 0) continue;
    const apiEdges: ObservedEdge[] = [];
    const viaEdges: ObservedEdge[] = [];
    for (const edge of edges) {
      if (isLlmApi(edge.destinationNodeId)) apiEdges.push(edge);
      else if (hasRole(nodeById.get(edge.destinationNodeId), ['llm-gateway'])) {
        const onward = (allowedOut.get(edge.destinationNodeId) ?? []).filter((next) => isLlmApi(next.destinationNodeId));
        if (onward.length > 0) viaEdges.push(edge, ...onward);
      }
    }
    if (apiEdges.length === 0 && viaEdges.length === 0) continue;
    const stores = [...new Set(storeEdges.map((edge) => edge.destinationNodeId))].map((id) => nodeById.get(id) as GenAiNode).sort(bySensitivity);
    const apiIds = [...new Set([...apiEdges, ...viaEdges].map((edge) => edge.destinationNodeId).filter(isLlmApi))].sort();
    const store = stores[0] as GenAiNode;
    const gateway = apiEdges.length === 0 ? viaEdges[0]?.destinationNodeId : undefined;
    const api = apiIds[0] as string;
    const source = nodeById.get(sourceId);
    const through = gateway !== undefined ? ` through ${label(gateway)}` : '';
    findings.push({
      id: `sensitive-data-to-external-llm:${sourceId}`,
      kind: 'sensitive-data-to-external-llm',
      severity: storeSeverity(stores, 'critical', 'high'),
      title: `${shortLabel(sourceId)} reads ${storeWords(store)} ${label(store.id)} and sends to ${label(api)}`,
      explanation:
        `${label(sourceId)} has allowed connections to ` +
        `${stores.map((node) => `${label(node.id)} (${node.sensitivity ? [node.sensitivity.level, ...node.sensitivity.tags].join(', ') : 'sensitive'})`).join(', ')} ` +
        `and to the external LLM API ${apiIds.map(label).join(', ')}${through}. Whatever it reads can end up in prompts sent outside the cluster: ` +
        'possible data exfiltration through prompts. Check what the application puts into prompts, or restrict its egress.',
      path: [store.id, sourceId, ...(gateway !== undefined ? [gateway] : []), api],
      evidence: [
        ...storeEdges.map(edgeEvidence),
        ...apiEdges.map(edgeEvidence),
        ...viaEdges.map(edgeEvidence),
        ...stores.map((node): GenAiFindingEvidence => ({ kind: 'sensitivity', nodeId: node.id, level: node.sensitivity?.level ?? 'confidential', tags: node.sensitivity?.tags ?? [] })),
        ...(source && roleOf(source, GENAI_COMPONENT_ROLES) ? [{ kind: 'role' as const, nodeId: sourceId, role: roleOf(source, GENAI_COMPONENT_ROLES) as GenAiRole, confidence: source.roles[0]?.confidence ?? 0 }] : []),
      ],
    });
  }

  // 2. Backends (inference, embedding, reranker, vector DB) reached from the internet or another application.
  const inboundByBackend = new Map<string, { internet: ObservedEdge[]; outside: ObservedEdge[] }>();
  for (const edge of allowed) {
    const destination = nodeById.get(edge.destinationNodeId);
    if (!destination || destination.kind !== 'workload' || !hasRole(destination, GENAI_BACKEND_ROLES)) continue;
    const source = nodeById.get(edge.sourceNodeId);
    const entry = inboundByBackend.get(destination.id) ?? { internet: [], outside: [] };
    if (isExternal(edge.sourceNodeId) || (hasRole(source, ['ingress']) && source?.namespace !== destination.namespace)) entry.internet.push(edge);
    else if (source && source.kind === 'workload' && source.namespace !== destination.namespace && source.application !== destination.application) {
      // "Unrelated" means workloads with no consumer role reaching into another application's backend.
      if (hasRole(source, EXPECTED_BACKEND_CALLER_ROLES)) continue;
      entry.outside.push(edge);
    } else continue;
    inboundByBackend.set(destination.id, entry);
  }
  for (const [backendId, entry] of [...inboundByBackend.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const backend = nodeById.get(backendId) as GenAiNode;
    const role = roleOf(backend, GENAI_BACKEND_ROLES) as GenAiRole;
    const sensitiveVectors = hasRole(backend, ['vector-db']) && isSensitive(backend.sensitivity);
    for (const [reach, edges] of [
      ['internet', entry.internet],
      ['outside-application', entry.outside],
    ] as const) {
      if (edges.length === 0) continue;
      const sorted = [...edges].sort((a, b) => b.flows - a.flows || (a.sourceNodeId < b.sourceNodeId ? -1 : 1));
      const sources = [...new Set(sorted.map((edge) => edge.sourceNodeId))];
      const who = sources.slice(0, 3).map(label).join(', ') + (sources.length > 3 ? ` and ${sources.length - 3} more` : '');
      findings.push({
        id: `genai-exposed:${reach}:${backendId}`,
        kind: 'genai-exposed',
        severity: reach === 'internet' ? (sensitiveVectors ? 'critical' : 'high') : sensitiveVectors ? 'high' : 'medium',
        title:
          reach === 'internet'
            ? `${role} ${label(backendId)} is reached from the internet`
            : `${role} ${label(backendId)} is reached from outside its application (${sources.length} workload${sources.length === 1 ? '' : 's'})`,
        explanation:
          reach === 'internet'
            ? `${label(backendId)} (${role}) accepted connections straight from ${who}. Backends such as inference servers and vector databases usually have no authentication of their own; only the application should reach them.`
            : `${label(backendId)} (${role}, application ${backend.application ?? backend.namespace}) accepted connections from ${who} in other namespaces. Limit ingress to its own application with a NetworkPolicy.`,
        path: [sources[0] as string, backendId],
        evidence: [...sorted.map(edgeEvidence), { kind: 'role', nodeId: backendId, role, confidence: backend.roles.find((assignment) => assignment.role === role)?.confidence ?? 0 }],
      });
    }
  }

  // 3. GenAI workloads no policy protects, grouped by namespace.
  if (options.coverage) {
    const coverageByPeer = new Map(options.coverage.workloads.map((workload) => [workload.peer, workload]));
    const byNamespace = new Map<string, { node: GenAiNode; ingress: boolean; egress: boolean }[]>();
    for (const node of options.nodes) {
      if (node.kind !== 'workload' || node.workloadKind === undefined || node.namespace === undefined || !hasRole(node, GENAI_COMPONENT_ROLES)) continue;
      const coverage = coverageByPeer.get(workloadPeerName({ kind: node.workloadKind, namespace: node.namespace, name: node.name }));
      if (!coverage || coverage.ingress.governed) continue;
      const key = `${node.id.split('/')[0]}/${node.namespace}`;
      const list = byNamespace.get(key) ?? [];
      list.push({ node, ingress: coverage.ingress.governed, egress: coverage.egress.governed });
      byNamespace.set(key, list);
    }
    for (const [key, list] of [...byNamespace.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const namespace = list[0]?.node.namespace as string;
      const backends = list.some((entry) => hasRole(entry.node, GENAI_BACKEND_ROLES) || isSensitive(entry.node.sensitivity));
      const names = list.map((entry) => `${entry.node.name} (${entry.node.roles[0]?.role ?? 'genai'})`);
      findings.push({
        id: `genai-unprotected:${key}`,
        kind: 'genai-unprotected',
        severity: backends ? 'high' : 'medium',
        title:
          list.length === 1
            ? `${names[0]} in namespace ${namespace} has no NetworkPolicy`
            : `${list.length} GenAI workloads in namespace ${namespace} have no NetworkPolicy`,
        explanation:
          `No policy selects ${names.join(', ')} for ingress, so any pod in the cluster can connect to ${list.length === 1 ? 'it' : 'them'}` +
          `${list.every((entry) => !entry.egress) ? ', and nothing limits where they send data' : ''}. Add a default-deny policy to namespace ${namespace} and allow only the application's own traffic.`,
        path: list.map((entry) => entry.node.id),
        evidence: list.map((entry): GenAiFindingEvidence => ({ kind: 'coverage', nodeId: entry.node.id, ingressGoverned: entry.ingress, egressGoverned: entry.egress })),
      });
    }
  }

  // 4. Runtime model pulls from public hubs.
  const pulls = new Map<string, ObservedEdge[]>();
  for (const edge of allowed) {
    if (!hasRole(nodeById.get(edge.destinationNodeId), ['model-hub']) || isExternal(edge.sourceNodeId)) continue;
    const key = `${edge.sourceNodeId}>${edge.destinationNodeId}`;
    pulls.set(key, [...(pulls.get(key) ?? []), edge]);
  }
  for (const [key, edges] of [...pulls.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = edges[0] as ObservedEdge;
    const bytesIn = edges.reduce((sum, edge) => sum + edge.bytesIn, 0);
    const flows = edges.reduce((sum, edge) => sum + edge.flows, 0);
    // Hubble and some VPC configurations log no byte counts: say what was seen rather than "0 B".
    const hub = label(first.destinationNodeId);
    const seen =
      bytesIn > 0
        ? `downloaded ${formatBytes(bytesIn)} from the public model hub ${hub} in this window.`
        : `connected to the public model hub ${hub} in ${flows} flow${flows === 1 ? '' : 's'} in this window (its flow logs carry no byte counts).`;
    findings.push({
      id: `model-pull:${key}`,
      kind: 'model-pull',
      severity: 'medium',
      title: `${shortLabel(first.sourceNodeId)} pulls models at runtime from ${label(first.destinationNodeId)}`,
      explanation:
        `${label(first.sourceNodeId)} ${seen} ` +
        'Models fetched at runtime are unpinned supply-chain input and need open egress; mirror them into the cluster and pin revisions.',
      path: [first.sourceNodeId, first.destinationNodeId],
      evidence: edges.map(edgeEvidence),
    });
  }

  // 5. Denied attempts against GenAI components or sensitive stores, grouped by source.
  const deniedBySource = new Map<string, ObservedEdge[]>();
  for (const edge of options.edges) {
    if (edge.verdict !== 'denied') continue;
    const destination = nodeById.get(edge.destinationNodeId);
    if (!hasRole(destination, GENAI_COMPONENT_ROLES) && !isSensitiveStore(edge.destinationNodeId)) continue;
    deniedBySource.set(edge.sourceNodeId, [...(deniedBySource.get(edge.sourceNodeId) ?? []), edge]);
  }
  for (const [sourceId, edges] of [...deniedBySource.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const targets = [...new Set(edges.map((edge) => edge.destinationNodeId))].sort();
    const attempts = edges.reduce((sum, edge) => sum + edge.flows, 0);
    const ports = [...new Set(edges.map((edge) => `${edge.destinationPort ?? '-'}/${edge.protocol}`))];
    const severity: GenAiSeverity = targets.length >= 2 || targets.some(isSensitiveStore) || isExternal(sourceId) ? 'high' : 'medium';
    findings.push({
      id: `denied-attempt:${sourceId}`,
      kind: 'denied-attempt',
      severity,
      title: `${shortLabel(sourceId)} was denied ${attempts} time${attempts === 1 ? '' : 's'} reaching ${targets.length === 1 ? label(targets[0] as string) : `${targets.length} GenAI components or sensitive stores`}`,
      explanation:
        `Policies denied ${label(sourceId)} connecting to ${targets.map(label).join(', ')} on ${ports.join(', ')}. ` +
        (targets.length >= 2 ? 'Several targets from one source looks like probing: check whether the workload is compromised.' : 'Either a misconfiguration or an attempt to reach data it should not.'),
      path: [sourceId, ...targets],
      evidence: edges.map(edgeEvidence),
    });
  }

  // 6. New edges into sensitive stores (not seen in the previous window).
  if (options.previousEdges) {
    const seen = new Set(options.previousEdges.map((edge) => `${edge.sourceNodeId}>${edge.destinationNodeId}`));
    const fresh = new Map<string, ObservedEdge[]>();
    for (const edge of allowed) {
      const key = `${edge.sourceNodeId}>${edge.destinationNodeId}`;
      if (seen.has(key) || !isSensitiveStore(edge.destinationNodeId)) continue;
      fresh.set(key, [...(fresh.get(key) ?? []), edge]);
    }
    for (const [key, edges] of [...fresh.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const first = edges[0] as ObservedEdge;
      const store = nodeById.get(first.destinationNodeId) as GenAiNode;
      findings.push({
        id: `new-sensitive-edge:${key}`,
        kind: 'new-sensitive-edge',
        severity: storeSeverity([store], 'high', 'medium'),
        title: `New connection: ${shortLabel(first.sourceNodeId)} → ${storeWords(store).replace(/^the /, '')} ${label(store.id)}`,
        explanation: `${label(first.sourceNodeId)} connected to ${label(store.id)} in this window and not once in the previous 7 days. Confirm the new access is intended.`,
        path: [first.sourceNodeId, store.id],
        evidence: [...edges.map(edgeEvidence), { kind: 'sensitivity', nodeId: store.id, level: store.sensitivity?.level ?? 'confidential', tags: store.sensitivity?.tags ?? [] }],
      });
    }
  }

  // 7. Unusual egress volume to an external LLM API against the workload's own daily baseline.
  if (options.dailyEgress && options.dailyEgress.length > 0) {
    const minSpikeBytes = options.minSpikeBytes ?? DEFAULT_MIN_SPIKE_BYTES;
    const relevant = options.dailyEgress.filter((entry) => isLlmApi(entry.destinationNodeId));
    const evaluatedDay = options.evaluatedDayStartMs ?? Math.max(...options.dailyEgress.map((entry) => entry.dayStartMs));
    // Days observed before the evaluated one: a workload silent on such a day sent 0 bytes.
    const baselineDays = [...new Set(options.dailyEgress.map((entry) => entry.dayStartMs))].filter((day) => day < evaluatedDay);
    const byPair = new Map<string, Map<number, number>>();
    for (const entry of relevant) {
      const key = `${entry.sourceNodeId}>${entry.destinationNodeId}`;
      const days = byPair.get(key) ?? new Map<number, number>();
      days.set(entry.dayStartMs, (days.get(entry.dayStartMs) ?? 0) + entry.bytesOut);
      byPair.set(key, days);
    }
    for (const [key, days] of [...byPair.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const current = days.get(evaluatedDay) ?? 0;
      if (current < minSpikeBytes || baselineDays.length < MIN_BASELINE_DAYS) continue;
      const history = baselineDays.map((day) => days.get(day) ?? 0);
      const baseline = median(history);
      const spread = median(history.map((value) => Math.abs(value - baseline)));
      if (current <= Math.max(3 * baseline, baseline + 6 * spread)) continue;
      const [sourceId, destinationId] = key.split('>') as [string, string];
      const ratio = baseline > 0 ? current / baseline : Infinity;
      const day = new Date(evaluatedDay).toISOString().slice(0, 10);
      findings.push({
        id: `llm-egress-spike:${key}:${day}`,
        kind: 'llm-egress-spike',
        severity: ratio >= 10 ? 'high' : 'medium',
        title:
          baseline > 0
            ? `${shortLabel(sourceId)} sent ${formatBytes(current)} to ${label(destinationId)} on ${day}, ${ratio.toFixed(ratio >= 10 ? 0 : 1)}× its usual ${formatBytes(baseline)}/day`
            : `${shortLabel(sourceId)} sent ${formatBytes(current)} to ${label(destinationId)} on ${day}, with almost no usage before`,
        explanation:
          `Compared with its median of ${formatBytes(baseline)} per day over the previous ${history.length} days, ${label(sourceId)} sent unusually much to the external LLM API ${label(destinationId)}. ` +
          'Large prompts can carry bulk data out of the cluster; check what changed.',
        path: [sourceId, destinationId],
        evidence: [{ kind: 'baseline', sourceNodeId: sourceId, destinationNodeId: destinationId, dayStartMs: evaluatedDay, bytesOut: current, baselineBytesPerDay: baseline, baselineDays: history.length }],
      });
    }
  }

  const severityRank = (severity: GenAiSeverity): number => GENAI_SEVERITIES.indexOf(severity);
  const kindRank = (finding: GenAiFinding): number => GENAI_FINDING_KINDS.indexOf(finding.kind);
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || kindRank(a) - kindRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings };
}

import type { GraphEdge, GraphNode } from '@/core/graph';
import { hashString } from '@/core/graph';
import type { OverlayKey } from './graph-url-state';

export const EDGE_COLORS = {
  denied: '#d0353a',
  noPolicy: '#d98a00',
  normal: '#8f9bb0',
  highlight: '#2f62d0',
} as const;

/** Distinct, light region fills: hue from the namespace name, so a namespace keeps its colour everywhere. */
export function namespaceHue(namespace: string | null): number {
  if (namespace === null) return 210;
  return (hashString(namespace) * 137.508) % 360;
}

export function regionFill(namespace: string | null): string {
  return namespace === null ? 'hsl(210 20% 94%)' : `hsl(${namespaceHue(namespace).toFixed(0)} 55% 95%)`;
}

export function regionStroke(namespace: string | null): string {
  return namespace === null ? 'hsl(210 15% 70%)' : `hsl(${namespaceHue(namespace).toFixed(0)} 45% 62%)`;
}

export function nodeFill(node: GraphNode): string {
  if (node.externalGroup) return '#ffffff';
  return `hsl(${namespaceHue(node.namespace).toFixed(0)} 50% 45%)`;
}

export function nodeRadius(node: GraphNode): number {
  if (node.kind === 'namespace') return 16 + Math.min(10, Math.sqrt(node.workloadCount) * 2);
  if (node.kind === 'pod') return 7;
  return 10;
}

export interface EdgeLook {
  color: string;
  dashed: boolean;
  width: number;
  /** Which overlay colours it (for data attributes and the legend). */
  tone: 'denied' | 'nopolicy' | 'normal';
}

export function edgeLook(edge: GraphEdge, overlays: Record<OverlayKey, boolean>): EdgeLook {
  const width = Math.min(6, 1 + Math.log10(1 + edge.flows) * 0.9);
  const dashed = overlays.staged && edge.overlays.wouldDeny;
  if (overlays.denied && edge.overlays.denied) return { color: EDGE_COLORS.denied, dashed, width: Math.max(width, 2.2), tone: 'denied' };
  if (overlays.nopolicy && edge.overlays.allowedNoPolicy) return { color: EDGE_COLORS.noPolicy, dashed, width: Math.max(width, 1.6), tone: 'nopolicy' };
  return { color: EDGE_COLORS.normal, dashed, width, tone: 'normal' };
}

export const GENAI_COLORS = {
  role: '#6b3fc4',
  sensitive: '#b4235a',
} as const;

/** What the GenAI overlay draws on a node: short role labels and data tags. */
export interface GenAiMarks {
  roles: string[];
  /** Short labels for badges, most telling first (LLM, ext LLM, RAG, vector DB, embed…), then `+N` for the rest. */
  roleLabels: string[];
  /** Data tags (pii, pci, phi), lower case. */
  tags: string[];
  /** One-line summary for canvas labels. */
  short: string;
}

/**
 * Roles worth a badge on the graph (data stores, ingress and UIs are shown by their sensitivity or not at
 * all), most telling first: a node shows two, so a namespace holding an inference server, an embedder
 * and a reranker reads "LLM", "embed", "+1".
 */
const ROLE_BADGES: ReadonlyArray<readonly [role: string, label: string]> = [
  ['llm-inference', 'LLM'],
  ['external-llm-api', 'ext LLM'],
  ['llm-gateway', 'LLM gw'],
  ['rag-app', 'RAG'],
  ['rag-component', 'RAG'],
  ['vector-db', 'vector DB'],
  ['embedding', 'embed'],
  ['reranker', 'rerank'],
  ['guardrail', 'guard'],
  ['model-hub', 'model hub'],
];
const BADGE_LABEL = new Map<string, string>(ROLE_BADGES);
const BADGE_RANK = new Map<string, number>(ROLE_BADGES.map(([, label], index) => [label, index]));
const MAX_ROLE_BADGES = 2;

/**
 * GenAI overlay DTO (workload-level node ids) → marks by the node ids drawn. A node drawn at namespace
 * level collects the marks of the workloads inside (`mapId` maps a workload id to the drawn id).
 */
export function genAiMarksByNode(
  overlay: { roles: Record<string, readonly string[]>; tags?: Record<string, readonly string[]>; sensitivity: Record<string, string> },
  mapId: (id: string) => string | null,
): Record<string, GenAiMarks> {
  const marks: Record<string, GenAiMarks> = {};
  const touch = (id: string): GenAiMarks | null => {
    const drawn = mapId(id);
    if (!drawn) return null;
    marks[drawn] ??= { roles: [], roleLabels: [], tags: [], short: '' };
    return marks[drawn];
  };
  for (const [id, roles] of Object.entries(overlay.roles)) {
    const labels = roles.map((role) => BADGE_LABEL.get(role)).filter((label): label is string => label !== undefined);
    if (labels.length === 0) continue;
    const entry = touch(id);
    if (!entry) continue;
    for (const role of roles) if (!entry.roles.includes(role)) entry.roles.push(role);
    for (const label of labels) if (!entry.roleLabels.includes(label)) entry.roleLabels.push(label);
  }
  for (const [id, tags] of Object.entries(overlay.tags ?? {})) {
    const relevant = tags.filter((tag) => tag === 'pii' || tag === 'pci' || tag === 'phi');
    if (relevant.length === 0) continue;
    const entry = touch(id);
    if (!entry) continue;
    for (const tag of relevant) if (!entry.tags.includes(tag)) entry.tags.push(tag);
  }
  for (const entry of Object.values(marks)) {
    const ranked = [...entry.roleLabels].sort((a, b) => (BADGE_RANK.get(a) ?? 0) - (BADGE_RANK.get(b) ?? 0));
    entry.roleLabels = ranked.length > MAX_ROLE_BADGES ? [...ranked.slice(0, MAX_ROLE_BADGES), `+${ranked.length - MAX_ROLE_BADGES}`] : ranked;
    entry.short = [...entry.roleLabels, ...entry.tags.map((tag) => tag.toUpperCase())].join(' · ');
  }
  return marks;
}

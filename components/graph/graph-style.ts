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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3';
import { createSeededRandom, hashString } from './prng';
import type { NodePositions } from './types';

export interface LayoutNodeInput {
  id: string;
  groupId: string;
}

export interface LayoutEdgeInput {
  source: string;
  target: string;
}

export interface LayoutGraphInput {
  nodes: readonly LayoutNodeInput[];
  edges: readonly LayoutEdgeInput[];
  /** Minimum region width per group id (room for the region's label). */
  groupMinWidths?: Readonly<Record<string, number>>;
}

export interface LayoutGraphOptions {
  seed: number | string;
  /** Fixed number of simulation ticks (no live simulation). Default 300, fewer for big graphs. */
  ticks?: number;
  /** Width / height the packed regions aim for (the screen's shape). Default 2. */
  aspectRatio?: number;
  /** Positions from the previous layout, by node id: those nodes start there, so refreshes keep the picture. */
  previousPositions?: NodePositions;
}

export interface GroupBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  positions: Record<string, { x: number; y: number }>;
  /** Bounding box of each group's nodes, padded for labels: the region drawn behind them. */
  groups: Record<string, GroupBox>;
  bounds: GroupBox;
}

/** Distance between neighbouring nodes in a group (room for a label under each node). */
export const NODE_SPACING = 70;
const GROUP_PADDING = 36;
const LABEL_ALLOWANCE = 22;

interface SimNode extends SimulationNodeDatum {
  id: string;
  groupId: string;
  index?: number;
}

/** Default tick count by size: enough to settle small graphs, bounded for thousands of nodes. */
export function defaultTicks(nodeCount: number): number {
  if (nodeCount <= 200) return 300;
  if (nodeCount <= 1000) return 200;
  return 120;
}

/**
 * Lays out a graph with d3-force: groups are packed into rows (per cluster, one region per namespace),
 * nodes start at seeded positions around their group's centre (or at their previous position), then a
 * fixed number of ticks runs link, repulsion, collision and a clustering force pulling every node
 * towards its group centre, so namespaces form distinct regions. Pure: the same input, seed and ticks
 * give the same positions.
 */
export function layoutGraph(graph: LayoutGraphInput, options: LayoutGraphOptions): GraphLayout {
  const random = createSeededRandom(options.seed);
  const previous = options.previousPositions ?? {};
  const ticks = options.ticks ?? defaultTicks(graph.nodes.length);

  const members = new Map<string, LayoutNodeInput[]>();
  for (const node of graph.nodes) {
    const list = members.get(node.groupId);
    if (list) list.push(node);
    else members.set(node.groupId, [node]);
  }
  const minWidths = graph.groupMinWidths ?? {};
  const centres = packGroups(members, previous, minWidths, options.aspectRatio ?? 2);

  const nodes: SimNode[] = graph.nodes.map((node) => {
    const known = previous[node.id];
    if (known) return { id: node.id, groupId: node.groupId, x: known.x, y: known.y };
    const centre = centres.get(node.groupId) ?? { x: 0, y: 0, radius: 0 };
    const list = members.get(node.groupId) ?? [];
    // Phyllotaxis spiral ordered by id, with seeded jitter: stable and already spread out.
    const rank = list.indexOf(node);
    const angle = rank * 2.399963 + (random() - 0.5) * 0.6 + (hashString(node.groupId) % 628) / 100;
    const radius = NODE_SPACING * 0.6 * Math.sqrt(rank + 0.5);
    return { id: node.id, groupId: node.groupId, x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
  });

  if (nodes.length > 1 && ticks > 0) {
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const links = graph.edges
      .filter((edge) => byId.has(edge.source) && byId.has(edge.target) && edge.source !== edge.target)
      .map((edge) => ({ source: edge.source, target: edge.target, sameGroup: byId.get(edge.source)?.groupId === byId.get(edge.target)?.groupId }));
    // Mostly known positions: a gentle re-settle so the picture does not jump on refresh.
    const knownShare = nodes.filter((node) => previous[node.id] !== undefined).length / nodes.length;
    const alphaStart = knownShare >= 0.999 ? 0.05 : knownShare > 0.5 ? 0.2 : 1;
    const alphaMin = 0.001;
    const simulation = forceSimulation<SimNode>(nodes)
      .randomSource(random)
      .alpha(alphaStart)
      .alphaMin(alphaMin)
      .alphaDecay(1 - Math.pow(alphaMin / alphaStart, 1 / ticks))
      .force(
        'link',
        forceLink<SimNode, { source: string | SimNode; target: string | SimNode; sameGroup: boolean }>(links)
          .id((node) => node.id)
          .distance((link) => (link.sameGroup ? NODE_SPACING : NODE_SPACING * 2))
          .strength((link) => (link.sameGroup ? 0.2 : 0.01)),
      )
      .force('charge', forceManyBody<SimNode>().strength(-120).theta(0.95).distanceMax(NODE_SPACING * 4))
      .force('collide', forceCollide<SimNode>(NODE_SPACING * 0.6).iterations(1))
      .force('groupX', forceX<SimNode>((node) => centres.get(node.groupId)?.x ?? 0).strength(0.12))
      .force('groupY', forceY<SimNode>((node) => centres.get(node.groupId)?.y ?? 0).strength(0.12))
      .stop();
    simulation.tick(ticks);
  }

  const positions: Record<string, { x: number; y: number }> = {};
  for (const node of nodes) positions[node.id] = { x: round(node.x ?? 0), y: round(node.y ?? 0) };

  const groups: Record<string, GroupBox> = {};
  for (const [groupId, list] of members) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const node of list) {
      const position = positions[node.id];
      if (!position) continue;
      minX = Math.min(minX, position.x);
      minY = Math.min(minY, position.y);
      maxX = Math.max(maxX, position.x);
      maxY = Math.max(maxY, position.y);
    }
    const width = maxX - minX + 2 * (GROUP_PADDING + LABEL_ALLOWANCE);
    const minWidth = Math.max(width, minWidths[groupId] ?? 0);
    groups[groupId] = {
      x: minX - GROUP_PADDING - LABEL_ALLOWANCE - (minWidth - width) / 2,
      y: minY - GROUP_PADDING - LABEL_ALLOWANCE,
      width: minWidth,
      height: maxY - minY + 2 * GROUP_PADDING + 2 * LABEL_ALLOWANCE,
    };
  }
  return { positions, groups, bounds: unionBoxes(Object.values(groups)) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function unionBoxes(boxes: readonly GroupBox[]): GroupBox {
  if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const minX = Math.min(...boxes.map((box) => box.x));
  const minY = Math.min(...boxes.map((box) => box.y));
  const maxX = Math.max(...boxes.map((box) => box.x + box.width));
  const maxY = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/**
 * Group centres: shelf-packed rows of circles sized by member count, a new row for each cluster, so
 * regions never start overlapping. A group whose nodes all have previous positions keeps its old centre.
 */
function packGroups(
  members: ReadonlyMap<string, LayoutNodeInput[]>,
  previous: NodePositions,
  minWidths: Readonly<Record<string, number>>,
  aspectRatio: number,
): Map<string, { x: number; y: number; radius: number }> {
  const ids = [...members.keys()].sort();
  const radiusOf = (id: string): number =>
    Math.max(NODE_SPACING * 0.7 * Math.sqrt(members.get(id)?.length ?? 1) + GROUP_PADDING, (minWidths[id] ?? 0) / 2 + GROUP_PADDING / 2);
  const totalArea = ids.reduce((sum, id) => sum + (2 * radiusOf(id)) ** 2, 0);
  const rowWidth = Math.max(Math.sqrt(totalArea * aspectRatio) * 1.1, 4 * NODE_SPACING);
  const centres = new Map<string, { x: number; y: number; radius: number }>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let currentCluster: string | null = null;
  for (const id of ids) {
    const cluster = id.split('/')[0] ?? '';
    const radius = radiusOf(id);
    const gap = GROUP_PADDING;
    if ((currentCluster !== null && cluster !== currentCluster) || (x > 0 && x + 2 * radius > rowWidth)) {
      y += rowHeight + gap * (cluster !== currentCluster ? 3 : 1);
      x = 0;
      rowHeight = 0;
    }
    currentCluster = cluster;
    centres.set(id, { x: x + radius, y: y + radius, radius });
    x += 2 * radius + gap;
    rowHeight = Math.max(rowHeight, 2 * radius);
  }
  for (const id of ids) {
    const list = members.get(id) ?? [];
    const known = list.map((node) => previous[node.id]).filter((position): position is { x: number; y: number } => position !== undefined);
    if (known.length > 0 && known.length === list.length) {
      const centre = centres.get(id);
      centres.set(id, {
        x: known.reduce((sum, position) => sum + position.x, 0) / known.length,
        y: known.reduce((sum, position) => sum + position.y, 0) / known.length,
        radius: centre?.radius ?? 0,
      });
    }
  }
  return centres;
}

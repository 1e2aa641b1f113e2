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
  // Thousands of nodes start on per-namespace spirals that are already readable; 90 ticks settle them
  // and keep the worker's layout of a 2,000-node graph within the 4 s navigation → ready budget.
  return nodeCount <= 1500 ? 120 : 90;
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

  const groups = separateGroups(positions, members, minWidths);
  return { positions, groups, bounds: unionBoxes(Object.values(groups)) };
}

const REGION_GAP = 16;

/** The region box around a group's nodes, padded for labels and at least the group's minimum width. */
function groupBox(positions: Readonly<Record<string, { x: number; y: number }>>, list: readonly LayoutNodeInput[], minWidth: number): GroupBox {
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
  const fullWidth = Math.max(width, minWidth);
  return {
    x: minX - GROUP_PADDING - LABEL_ALLOWANCE - (fullWidth - width) / 2,
    y: minY - GROUP_PADDING - LABEL_ALLOWANCE,
    width: fullWidth,
    height: maxY - minY + 2 * GROUP_PADDING + 2 * LABEL_ALLOWANCE,
  };
}

/**
 * Region boxes, moved apart until none overlap: forces keep groups roughly where the packing put them,
 * but pulls along inter-namespace links can push two regions into each other, and overlapping regions
 * read as one namespace. Each pass pushes every overlapping pair apart along the axis of least overlap,
 * moving whole groups (their nodes with them). Mutates `positions`; deterministic (fixed order).
 */
function separateGroups(
  positions: Record<string, { x: number; y: number }>,
  members: ReadonlyMap<string, LayoutNodeInput[]>,
  minWidths: Readonly<Record<string, number>>,
): Record<string, GroupBox> {
  const ids = [...members.keys()].sort();
  const boxes = ids.map((id) => groupBox(positions, members.get(id) ?? [], minWidths[id] ?? 0));
  const shifts = ids.map(() => ({ x: 0, y: 0 }));
  for (let pass = 0; pass < 80; pass += 1) {
    let moved = false;
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i];
        const b = boxes[j];
        if (!a || !b) continue;
        const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) + REGION_GAP;
        const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) + REGION_GAP;
        if (overlapX <= 0 || overlapY <= 0) continue;
        moved = true;
        const shiftA = shifts[i] ?? { x: 0, y: 0 };
        const shiftB = shifts[j] ?? { x: 0, y: 0 };
        if (overlapX < overlapY) {
          const direction = a.x + a.width / 2 <= b.x + b.width / 2 ? 1 : -1;
          a.x -= (direction * overlapX) / 2;
          b.x += (direction * overlapX) / 2;
          shiftA.x -= (direction * overlapX) / 2;
          shiftB.x += (direction * overlapX) / 2;
        } else {
          const direction = a.y + a.height / 2 <= b.y + b.height / 2 ? 1 : -1;
          a.y -= (direction * overlapY) / 2;
          b.y += (direction * overlapY) / 2;
          shiftA.y -= (direction * overlapY) / 2;
          shiftB.y += (direction * overlapY) / 2;
        }
      }
    }
    if (!moved) break;
  }
  const groups: Record<string, GroupBox> = {};
  ids.forEach((id, index) => {
    const shift = shifts[index] ?? { x: 0, y: 0 };
    for (const node of members.get(id) ?? []) {
      const position = positions[node.id];
      if (position) positions[node.id] = { x: round(position.x + shift.x), y: round(position.y + shift.y) };
    }
    const box = boxes[index];
    if (box) groups[id] = { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) };
  });
  return groups;
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
 * Group centres: per cluster, shelf-packed rows of boxes sized by member count (and label width);
 * clusters side by side, so regions never start overlapping. A group whose nodes all have previous positions keeps its old centre.
 */
function packGroups(
  members: ReadonlyMap<string, LayoutNodeInput[]>,
  previous: NodePositions,
  minWidths: Readonly<Record<string, number>>,
  aspectRatio: number,
): Map<string, { x: number; y: number; radius: number }> {
  const ids = [...members.keys()].sort();
  // Each region's expected box: its nodes on a grid NODE_SPACING apart, padded, at least its label wide.
  const sizeOf = (id: string): { width: number; height: number } => {
    const count = members.get(id)?.length ?? 1;
    const columns = Math.ceil(Math.sqrt(count * 1.5));
    const rows = Math.ceil(count / columns);
    const padding = 2 * (GROUP_PADDING + LABEL_ALLOWANCE);
    return { width: Math.max(NODE_SPACING * (columns - 1) + padding, minWidths[id] ?? 0), height: NODE_SPACING * (rows - 1) + padding };
  };
  const byCluster = new Map<string, string[]>();
  for (const id of ids) {
    const cluster = id.split('/')[0] ?? '';
    const list = byCluster.get(cluster);
    if (list) list.push(id);
    else byCluster.set(cluster, [id]);
  }
  // Clusters side by side (a wide screen shows both at once); each cluster shelf-packs its regions into a
  // block whose shape is the screen's shape divided by the number of clusters.
  const clusterAspect = aspectRatio / Math.max(1, byCluster.size);
  const centres = new Map<string, { x: number; y: number; radius: number }>();
  const gap = GROUP_PADDING;
  let blockX = 0;
  for (const clusterIds of byCluster.values()) {
    // Regions per row: the count whose block shape comes closest to the cluster's share of the screen.
    const sizes = clusterIds.map(sizeOf);
    const meanWidth = sizes.reduce((sum, size) => sum + size.width + gap, 0) / sizes.length;
    const meanHeight = sizes.reduce((sum, size) => sum + size.height + gap, 0) / sizes.length;
    let perRow = 1;
    let bestMiss = Infinity;
    for (let columns = 1; columns <= clusterIds.length; columns += 1) {
      const miss = Math.abs(Math.log((columns * meanWidth) / (Math.ceil(clusterIds.length / columns) * meanHeight) / clusterAspect));
      if (miss < bestMiss - 1e-9) {
        bestMiss = miss;
        perRow = columns;
      }
    }
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    let blockWidth = 0;
    for (const [index, id] of clusterIds.entries()) {
      const size = sizeOf(id);
      if (index > 0 && index % perRow === 0) {
        y += rowHeight + gap;
        x = 0;
        rowHeight = 0;
      }
      centres.set(id, { x: blockX + x + size.width / 2, y: y + size.height / 2, radius: Math.max(size.width, size.height) / 2 });
      x += size.width + gap;
      blockWidth = Math.max(blockWidth, x);
      rowHeight = Math.max(rowHeight, size.height);
    }
    blockX += blockWidth + gap * 2;
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

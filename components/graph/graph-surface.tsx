'use client';
import { quadtree, select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { GraphEdge, GraphGroup, GraphLayout, GraphNode, ServiceGraph } from '@/core/graph';
import type { OverlayKey } from './graph-url-state';
import { EDGE_COLORS, edgeLook, GENAI_COLORS, nodeFill, nodeRadius, regionFill, regionStroke, type GenAiMarks } from './graph-style';

/** SVG up to this many visible nodes; canvas beyond (STYLE rule 14). */
export const SVG_NODE_LIMIT = 400;
/** Below this zoom, node labels are hidden rather than shrunk to an unreadable size (13 px × k < 6.5 px). */
export const NODE_LABEL_MIN_SCALE = 0.5;

export interface GraphSurfaceProps {
  graph: ServiceGraph;
  layout: GraphLayout;
  state: 'layout' | 'ready';
  overlays: Record<OverlayKey, boolean>;
  selectedNode: string | null;
  selectedEdge: string | null;
  /** Nodes to emphasise (a GenAI path from `?highlight=`); the rest is dimmed. Null: nothing highlighted. */
  highlight: ReadonlySet<string> | null;
  /** GenAI roles and data tags per node id, when the GenAI overlay is on. */
  genai: Readonly<Record<string, GenAiMarks>> | null;
  /** A node to centre on (search); changes of `focusToken` re-centre. */
  focusNode: string | null;
  focusToken: number;
  fitToken: number;
  onSelectNode: (id: string) => void;
  onSelectEdge: (id: string) => void;
  onToggleGroup: (group: GraphGroup) => void;
}

type Point = { x: number; y: number };

function truncate(text: string, max = 24): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A point `distance` back from `to` along the segment from `from` (so arrows stop at the node's rim). */
function shorten(from: Point, to: Point, distance: number): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: to.x - (dx / length) * distance, y: to.y - (dy / length) * distance };
}

function verdictOf(edge: GraphEdge): 'denied' | 'mixed' | 'allowed' {
  return edge.overlays.deniedOnly ? 'denied' : edge.overlays.denied ? 'mixed' : 'allowed';
}

function edgeAriaLabel(edge: GraphEdge): string {
  return `${edge.source.split('/').pop()} to ${edge.target.split('/').pop()}: ${edge.flows} flows, ${edge.deniedFlows} denied`;
}

function nodeDescription(node: GraphNode, marks: GenAiMarks | undefined): string {
  const genai = marks ? `, GenAI: ${[...marks.roles, ...marks.tags].join(', ')}` : '';
  return `${node.kind} ${node.label}${node.namespace && node.kind !== 'namespace' ? ` in ${node.namespace}` : ''} (${node.cluster})${node.unprotected ? ', unprotected: no policy selects it' : ''}${genai}`;
}

/** Squared distance from p to the segment a–b (edge hit-testing on canvas). */
function segmentDistanceSquared(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  const x = ax + t * dx - px;
  const y = ay + t * dy - py;
  return x * x + y * y;
}

/** Whether an edge is lit by the highlight: both ends highlighted. */
function inHighlight(edge: GraphEdge, highlight: ReadonlySet<string> | null): boolean {
  return highlight !== null && highlight.has(edge.source) && highlight.has(edge.target);
}

/**
 * The graph drawing. React owns the elements; d3 does the zoom behaviour and the maths. Pan/zoom writes
 * one transform on one layer (no React render); the region, edge and node layers are memoised (SVG), or
 * prebuilt as Path2D batches that a frame only strokes and fills (canvas).
 */
export function GraphSurface(props: GraphSurfaceProps) {
  const { graph, layout, highlight, genai } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<Element, unknown> | null>(null);
  const transformRef = useRef<ZoomTransform>(zoomIdentity);
  const drawRef = useRef<() => void>(() => {});
  const [hovered, setHovered] = useState<string | null>(null);
  const useCanvas = graph.nodes.length > SVG_NODE_LIMIT;

  const nodeById = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node])), [graph.nodes]);
  const neighbours = useMemo(() => {
    if (!hovered) return null;
    const set = new Set([hovered]);
    for (const edge of graph.edges) {
      if (edge.source === hovered) set.add(edge.target);
      if (edge.target === hovered) set.add(edge.source);
    }
    return set;
  }, [hovered, graph.edges]);

  // One zoom behaviour for the surface's lifetime; it writes the transform straight onto the layer.
  useEffect(() => {
    const target = (useCanvas ? canvasRef.current : svgRef.current) as Element | null;
    if (!target) return;
    const behaviour = zoom<Element, unknown>()
      .scaleExtent([0.03, 4])
      .on('zoom', (event: { transform: ZoomTransform }) => {
        transformRef.current = event.transform;
        if (layerRef.current) {
          layerRef.current.setAttribute('transform', event.transform.toString());
          // Labels hide below a zoom threshold (a class, not a React render).
          svgRef.current?.classList.toggle('is-far', event.transform.k < NODE_LABEL_MIN_SCALE);
        } else drawRef.current();
      });
    select(target).call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    return () => {
      select(target).on('.zoom', null);
    };
  }, [useCanvas]);

  const applyTransform = useCallback(
    (transform: ZoomTransform) => {
      const target = (useCanvas ? canvasRef.current : svgRef.current) as Element | null;
      if (target && zoomRef.current) select(target).call(zoomRef.current.transform, transform);
    },
    [useCanvas],
  );

  const fit = useCallback(() => {
    const container = containerRef.current;
    if (!container) return;
    const { width, height } = container.getBoundingClientRect();
    // Room above the regions for the cluster titles.
    const bounds = { x: layout.bounds.x, y: layout.bounds.y - 40, width: layout.bounds.width, height: layout.bounds.height + 40 };
    if (bounds.width <= 0 || bounds.height <= 0 || width <= 0 || height <= 0) return;
    const scale = Math.min(1.6, 0.96 * Math.min(width / bounds.width, height / bounds.height));
    applyTransform(
      zoomIdentity
        .translate(width / 2, height / 2)
        .scale(scale)
        .translate(-(bounds.x + bounds.width / 2), -(bounds.y + bounds.height / 2)),
    );
  }, [layout.bounds, applyTransform]);

  // Fit when asked, and on the first layout.
  const fittedOnce = useRef(false);
  useEffect(() => {
    if (!fittedOnce.current || props.fitToken > 0) {
      fittedOnce.current = true;
      fit();
    }
  }, [props.fitToken, fit]);

  useEffect(() => {
    if (!props.focusNode || props.focusToken === 0) return;
    const position = layout.positions[props.focusNode];
    const container = containerRef.current;
    if (!position || !container) return;
    const { width, height } = container.getBoundingClientRect();
    const scale = Math.max(1.2, transformRef.current.k);
    applyTransform(zoomIdentity.translate(width / 2, height / 2).scale(scale).translate(-position.x, -position.y));
  }, [props.focusNode, props.focusToken, layout.positions, applyTransform]);

  // ── Canvas renderer (large graphs) ───────────────────────────────────────────────
  const tree = useMemo(
    () =>
      quadtree<GraphNode>()
        .x((node) => layout.positions[node.id]?.x ?? 0)
        .y((node) => layout.positions[node.id]?.y ?? 0)
        .addAll(graph.nodes),
    [graph.nodes, layout.positions],
  );
  // The memoised layers: everything a frame draws, batched by look, rebuilt only when the graph, layout
  // or overlays change — a pan/zoom frame is a transform plus a handful of stroke()/fill() calls.
  const scene = useMemo(() => (useCanvas ? buildCanvasScene(graph, layout, props.overlays, genai) : null), [useCanvas, graph, layout, props.overlays, genai]);
  // What hover, selection and highlight light up (drawn over a veil that dims the rest).
  const lit = useMemo(() => {
    if (!useCanvas) return null;
    const nodes = new Set<string>();
    if (neighbours) for (const id of neighbours) nodes.add(id);
    if (highlight) for (const id of highlight) if (nodeById.has(id)) nodes.add(id);
    if (nodes.size === 0 && !props.selectedEdge && !props.selectedNode) return null;
    const edges = graph.edges.filter(
      (edge) => edge.id === props.selectedEdge || (hovered !== null && (edge.source === hovered || edge.target === hovered)) || inHighlight(edge, highlight),
    );
    return { nodes, edges, veil: nodes.size > 0 };
  }, [useCanvas, neighbours, highlight, nodeById, graph.edges, hovered, props.selectedEdge, props.selectedNode]);

  useEffect(() => {
    if (!useCanvas || !scene) return;
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (!canvas || !container) return;
    let frame = 0;
    const draw = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const context = canvas.getContext('2d');
        if (!context) return;
        const ratio = window.devicePixelRatio || 1;
        const { width, height } = container.getBoundingClientRect();
        if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
        if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
        drawCanvasScene(context, scene, {
          transform: transformRef.current,
          ratio,
          width,
          height,
          lit,
          layout,
          nodeById,
          selectedNode: props.selectedNode,
          selectedEdge: props.selectedEdge,
          overlays: props.overlays,
        });
      });
    };
    drawRef.current = draw;
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(container);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      drawRef.current = () => {};
    };
  }, [useCanvas, scene, lit, layout, nodeById, props.selectedNode, props.selectedEdge, props.overlays]);

  /** The node or edge under a canvas point (nodes first; edges within 6 screen pixels). */
  const hitTest = useCallback(
    (event: React.MouseEvent<HTMLCanvasElement>): { node: string } | { edge: string } | null => {
      const rect = event.currentTarget.getBoundingClientRect();
      const k = transformRef.current.k;
      const [x, y] = transformRef.current.invert([event.clientX - rect.left, event.clientY - rect.top]);
      const node = tree.find(x, y, 14 + 4 / k);
      if (node) return { node: node.id };
      if (!scene) return null;
      const tolerance = (6 / k) ** 2;
      let best: { edge: string; distance: number } | null = null;
      const segments = scene.segments;
      for (let index = 0; index < scene.segmentEdges.length; index += 1) {
        const offset = index * 4;
        const distance = segmentDistanceSquared(x, y, segments[offset] ?? 0, segments[offset + 1] ?? 0, segments[offset + 2] ?? 0, segments[offset + 3] ?? 0);
        if (distance <= tolerance && (!best || distance < best.distance)) best = { edge: scene.segmentEdges[index] ?? '', distance };
      }
      return best ? { edge: best.edge } : null;
    },
    [tree, scene],
  );

  const onCanvasClick = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const hit = hitTest(event);
    if (hit && 'node' in hit) props.onSelectNode(hit.node);
    else if (hit) props.onSelectEdge(hit.edge);
  };
  const onCanvasMove = (event: React.MouseEvent<HTMLCanvasElement>) => {
    if (event.buttons !== 0) return; // dragging: d3 pans, no hover work
    const hit = hitTest(event);
    const node = hit && 'node' in hit ? hit.node : null;
    event.currentTarget.style.cursor = hit ? 'pointer' : 'grab';
    if (node !== hovered) setHovered(node);
  };

  return (
    <div
      ref={containerRef}
      className="graph-surface"
      data-testid="service-graph"
      data-state={props.state}
      data-renderer={useCanvas ? 'canvas' : 'svg'}
      data-node-count={graph.nodes.length}
      data-edge-count={graph.edges.length}
      data-highlight={highlight ? highlight.size : 0}
    >
      {useCanvas ? (
        <>
          <canvas
            ref={canvasRef}
            className="graph-canvas"
            onClick={onCanvasClick}
            onMouseMove={onCanvasMove}
            onMouseLeave={() => setHovered(null)}
            aria-label={`Service graph, ${graph.nodes.length} nodes and ${graph.edges.length} edges (drawn on canvas; the lists below are the accessible view)`}
            role="img"
          />
          <CanvasAccessibleList
            nodes={graph.nodes}
            edges={graph.edges}
            overlays={props.overlays}
            genai={genai}
            selectedNode={props.selectedNode}
            selectedEdge={props.selectedEdge}
            onSelectNode={props.onSelectNode}
            onSelectEdge={props.onSelectEdge}
            onHover={setHovered}
          />
        </>
      ) : (
        <svg ref={svgRef} className="graph-svg" role="group" aria-label={`Service graph, ${graph.nodes.length} nodes and ${graph.edges.length} edges`}>
          <defs>
            {(['normal', 'nopolicy', 'denied', 'highlight'] as const).map((tone) => (
              <marker key={tone} id={`arrow-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" fill={tone === 'denied' ? EDGE_COLORS.denied : tone === 'nopolicy' ? EDGE_COLORS.noPolicy : tone === 'highlight' ? EDGE_COLORS.highlight : EDGE_COLORS.normal} />
              </marker>
            ))}
          </defs>
          <g ref={layerRef}>
            <RegionLayer groups={graph.groups} layout={layout} onToggleGroup={props.onToggleGroup} />
            <EdgeLayer
              edges={graph.edges}
              layout={layout}
              nodeById={nodeById}
              overlays={props.overlays}
              selectedEdge={props.selectedEdge}
              neighbours={neighbours}
              hovered={hovered}
              highlight={highlight}
              onSelectEdge={props.onSelectEdge}
            />
            <NodeLayer
              nodes={graph.nodes}
              layout={layout}
              overlays={props.overlays}
              selectedNode={props.selectedNode}
              neighbours={neighbours}
              highlight={highlight}
              genai={genai}
              onSelectNode={props.onSelectNode}
              onHover={setHovered}
            />
          </g>
        </svg>
      )}
    </div>
  );
}

function activate(event: KeyboardEvent, action: () => void): void {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    action();
  }
}

// ── Canvas scene ─────────────────────────────────────────────────────────────────────

interface CanvasScene {
  regions: { box: { x: number; y: number; width: number; height: number }; fill: string; stroke: string; label: string; cluster: string }[];
  /** Edges batched by look: one stroke() per batch. */
  edgeBatches: { path: Path2D; color: string; width: number; alpha: number; dashed: boolean }[];
  /** Workload/pod/namespace discs batched by fill colour. */
  nodeBatches: { path: Path2D; fill: string }[];
  externals: Path2D;
  unprotected: Path2D;
  /** GenAI marks: a ring per marked node, by colour. */
  genaiRings: { path: Path2D; color: string }[];
  labels: { x: number; y: number; text: string; genai: string | null }[];
  /** x1, y1, x2, y2 per edge, for hit-testing; `segmentEdges[i]` is the edge id of segment i. */
  segments: Float32Array;
  segmentEdges: string[];
}

function buildCanvasScene(graph: ServiceGraph, layout: GraphLayout, overlays: Record<OverlayKey, boolean>, genai: Readonly<Record<string, GenAiMarks>> | null): CanvasScene {
  const regions = graph.groups.flatMap((group) => {
    const box = layout.groups[group.id];
    return box ? [{ box, fill: regionFill(group.namespace), stroke: regionStroke(group.namespace), label: group.label, cluster: group.cluster }] : [];
  });
  const batches = new Map<string, { path: Path2D; color: string; width: number; alpha: number; dashed: boolean }>();
  const segments = new Float32Array(graph.edges.length * 4);
  const segmentEdges: string[] = [];
  for (const edge of graph.edges) {
    const from = layout.positions[edge.source];
    const to = layout.positions[edge.target];
    if (!from || !to) continue;
    const look = edgeLook(edge, overlays);
    const key = `${look.tone}|${look.dashed}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { path: new Path2D(), color: look.color, width: look.tone === 'normal' ? 0.9 : 1.8, alpha: look.tone === 'normal' ? 0.35 : 0.9, dashed: look.dashed };
      batches.set(key, batch);
    }
    batch.path.moveTo(from.x, from.y);
    batch.path.lineTo(to.x, to.y);
    segments.set([from.x, from.y, to.x, to.y], segmentEdges.length * 4);
    segmentEdges.push(edge.id);
  }
  // Normal edges first, overlays on top.
  const edgeBatches = [...batches.entries()].sort(([a], [b]) => toneOrder(a) - toneOrder(b)).map(([, batch]) => batch);

  const fills = new Map<string, Path2D>();
  const externals = new Path2D();
  const unprotected = new Path2D();
  const rings = new Map<string, Path2D>();
  const labels: CanvasScene['labels'] = [];
  for (const node of graph.nodes) {
    const position = layout.positions[node.id];
    if (!position) continue;
    const radius = nodeRadius(node);
    if (node.externalGroup) {
      externals.moveTo(position.x, position.y - radius);
      externals.lineTo(position.x + radius, position.y);
      externals.lineTo(position.x, position.y + radius);
      externals.lineTo(position.x - radius, position.y);
      externals.closePath();
    } else {
      const fill = nodeFill(node);
      let path = fills.get(fill);
      if (!path) {
        path = new Path2D();
        fills.set(fill, path);
      }
      path.moveTo(position.x + radius, position.y);
      path.arc(position.x, position.y, radius, 0, Math.PI * 2);
    }
    if (overlays.unprotected && node.unprotected) {
      unprotected.moveTo(position.x + radius + 3, position.y);
      unprotected.arc(position.x, position.y, radius + 3, 0, Math.PI * 2);
    }
    const marks = genai?.[node.id];
    if (marks) {
      const color = marks.tags.length > 0 ? GENAI_COLORS.sensitive : GENAI_COLORS.role;
      let ring = rings.get(color);
      if (!ring) {
        ring = new Path2D();
        rings.set(color, ring);
      }
      ring.moveTo(position.x + radius + 6, position.y);
      ring.arc(position.x, position.y, radius + 6, 0, Math.PI * 2);
    }
    labels.push({ x: position.x, y: position.y + radius + 13, text: truncate(node.label), genai: marks ? marks.short : null });
  }
  return {
    regions,
    edgeBatches,
    nodeBatches: [...fills.entries()].map(([fill, path]) => ({ path, fill })),
    externals,
    unprotected,
    genaiRings: [...rings.entries()].map(([color, path]) => ({ path, color })),
    labels,
    segments,
    segmentEdges,
  };
}

function toneOrder(key: string): number {
  return key.startsWith('normal') ? 0 : key.startsWith('nopolicy') ? 1 : 2;
}

interface DrawState {
  transform: ZoomTransform;
  ratio: number;
  width: number;
  height: number;
  lit: { nodes: ReadonlySet<string>; edges: readonly GraphEdge[]; veil: boolean } | null;
  layout: GraphLayout;
  nodeById: ReadonlyMap<string, GraphNode>;
  selectedNode: string | null;
  selectedEdge: string | null;
  overlays: Record<OverlayKey, boolean>;
}

function drawCanvasScene(context: CanvasRenderingContext2D, scene: CanvasScene, state: DrawState): void {
  const { transform: t, ratio } = state;
  const k = t.k;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, state.width, state.height);
  context.setTransform(ratio * k, 0, 0, ratio * k, ratio * t.x, ratio * t.y);

  context.lineWidth = 1.2 / k;
  for (const region of scene.regions) {
    context.beginPath();
    context.roundRect(region.box.x, region.box.y, region.box.width, region.box.height, 14);
    context.fillStyle = region.fill;
    context.fill();
    context.strokeStyle = region.stroke;
    context.stroke();
  }
  // Edge widths stay about constant on screen (thin when zoomed out, never fat when zoomed in).
  for (const batch of scene.edgeBatches) {
    context.globalAlpha = batch.alpha;
    context.strokeStyle = batch.color;
    context.lineWidth = batch.width / Math.max(0.6, k);
    context.setLineDash(batch.dashed ? [7 / Math.max(0.6, k), 5 / Math.max(0.6, k)] : []);
    context.stroke(batch.path);
  }
  context.setLineDash([]);
  context.globalAlpha = 1;
  for (const batch of scene.nodeBatches) {
    context.fillStyle = batch.fill;
    context.fill(batch.path);
  }
  context.fillStyle = '#ffffff';
  context.fill(scene.externals);
  context.strokeStyle = '#3d4a5c';
  context.lineWidth = 2;
  context.stroke(scene.externals);
  context.strokeStyle = '#e09b00';
  context.lineWidth = 3;
  context.stroke(scene.unprotected);
  context.lineWidth = 2.5;
  for (const ring of scene.genaiRings) {
    context.strokeStyle = ring.color;
    context.stroke(ring.path);
  }

  // Hover / highlight / selection: a veil over everything, then what is lit, drawn again on top.
  if (state.lit) {
    if (state.lit.veil) {
      context.save();
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.fillStyle = 'rgba(251, 252, 254, 0.72)';
      context.fillRect(0, 0, state.width, state.height);
      context.restore();
    }
    context.lineWidth = 2.4 / Math.max(0.6, k);
    for (const edge of state.lit.edges) {
      const from = state.layout.positions[edge.source];
      const to = state.layout.positions[edge.target];
      if (!from || !to) continue;
      const look = edgeLook(edge, state.overlays);
      context.strokeStyle = edge.id === state.selectedEdge ? EDGE_COLORS.highlight : look.tone === 'normal' ? EDGE_COLORS.highlight : look.color;
      context.lineWidth = (edge.id === state.selectedEdge ? 4 : 2.4) / Math.max(0.6, k);
      context.beginPath();
      context.moveTo(from.x, from.y);
      context.lineTo(to.x, to.y);
      context.stroke();
    }
    for (const id of state.lit.nodes) {
      const node = state.nodeById.get(id);
      const position = state.layout.positions[id];
      if (!node || !position) continue;
      context.beginPath();
      context.arc(position.x, position.y, nodeRadius(node), 0, Math.PI * 2);
      context.fillStyle = nodeFill(node);
      context.fill();
    }
  }
  if (state.selectedNode) {
    const position = state.layout.positions[state.selectedNode];
    const node = state.nodeById.get(state.selectedNode);
    if (position && node) {
      context.beginPath();
      context.arc(position.x, position.y, nodeRadius(node) + 5, 0, Math.PI * 2);
      context.strokeStyle = EDGE_COLORS.highlight;
      context.lineWidth = 3;
      context.stroke();
    }
  }

  // Node labels: only when legible, and only those on screen.
  if (k >= NODE_LABEL_MIN_SCALE) {
    const [minX, minY] = t.invert([0, 0]);
    const [maxX, maxY] = t.invert([state.width, state.height]);
    context.font = '600 11px system-ui, sans-serif';
    context.textAlign = 'center';
    context.lineWidth = 3;
    context.strokeStyle = '#fbfcfe';
    for (const label of scene.labels) {
      if (label.x < minX - 80 || label.x > maxX + 80 || label.y < minY - 20 || label.y > maxY + 20) continue;
      context.fillStyle = '#1b2430';
      context.strokeText(label.text, label.x, label.y);
      context.fillText(label.text, label.x, label.y);
      if (label.genai) {
        context.fillStyle = GENAI_COLORS.role;
        context.fillText(label.genai, label.x, label.y + 12);
      }
    }
    context.textAlign = 'start';
  }
  // Region labels in screen space: always 13 px, shown when the region is wide enough for them.
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.font = '700 13px system-ui, sans-serif';
  context.fillStyle = '#1b2430';
  for (const region of scene.regions) {
    const screenWidth = region.box.width * k;
    if (screenWidth < 36) continue; // narrower regions: the label is squeezed to fit (fillText maxWidth)
    const x = t.x + region.box.x * k + 8;
    const y = t.y + region.box.y * k + 17;
    if (x > state.width || y > state.height || x + screenWidth < 0 || y < 0) continue;
    const text = screenWidth > 180 ? `${region.cluster} · ${region.label}` : region.label;
    context.fillText(text, x, y, screenWidth - 14);
  }
}

// ── Canvas mode: the accessible (and testable) list of what is drawn ───────────────────

const NO_NODES: readonly GraphNode[] = [];
const NO_EDGES: readonly GraphEdge[] = [];

const CanvasAccessibleList = memo(function CanvasAccessibleList(props: {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  overlays: Record<OverlayKey, boolean>;
  genai: Readonly<Record<string, GenAiMarks>> | null;
  selectedNode: string | null;
  selectedEdge: string | null;
  onSelectNode: (id: string) => void;
  onSelectEdge: (id: string) => void;
  onHover: (id: string | null) => void;
}) {
  // Thousands of buttons: rendered in a background pass after the canvas is on screen (the first commit
  // gets empty lists), so they do not delay the graph.
  const nodes = useDeferredValue(props.nodes, NO_NODES);
  const edges = useDeferredValue(props.edges, NO_EDGES);
  return (
    <div className="visually-hidden" data-testid="graph-accessible-list" data-count={nodes.length + edges.length}>
      <ul aria-label="Nodes">
        {nodes.map((node) => (
          <li key={node.id}>
            <button
              type="button"
              data-testid={`graph-node-${node.id}`}
              data-kind={node.kind}
              data-unprotected={node.unprotected ? 'true' : 'false'}
              data-denied={node.deniedFlows > 0 ? 'true' : 'false'}
              aria-pressed={props.selectedNode === node.id}
              onClick={() => props.onSelectNode(node.id)}
              onFocus={() => props.onHover(node.id)}
              onBlur={() => props.onHover(null)}
            >
              {nodeDescription(node, props.genai?.[node.id])}
              {props.overlays.unprotected && node.unprotected ? <span data-testid={`graph-badge-unprotected-${node.id}`}> (unprotected)</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <ul aria-label="Edges">
        {edges.map((edge) => (
          <li key={edge.id}>
            <button
              type="button"
              data-testid={`graph-edge-${edge.id}`}
              data-verdict={verdictOf(edge)}
              data-overlay={edgeLook(edge, props.overlays).tone}
              data-would-deny={edge.overlays.wouldDeny ? 'true' : 'false'}
              data-no-policy={edge.overlays.allowedNoPolicy ? 'true' : 'false'}
              data-infrastructure={edge.overlays.infrastructure ? 'true' : 'false'}
              aria-pressed={props.selectedEdge === edge.id}
              onClick={() => props.onSelectEdge(edge.id)}
            >
              {edgeAriaLabel(edge)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
});

// ── SVG layers (small graphs) ─────────────────────────────────────────────────────────

/** Each cluster's extent (the union of its regions), for one title above it. */
function clusterExtents(groups: readonly GraphGroup[], layout: GraphLayout): { cluster: string; x: number; y: number; width: number }[] {
  const extents = new Map<string, { minX: number; minY: number; maxX: number }>();
  for (const group of groups) {
    const box = layout.groups[group.id];
    if (!box) continue;
    const extent = extents.get(group.cluster) ?? { minX: Infinity, minY: Infinity, maxX: -Infinity };
    extent.minX = Math.min(extent.minX, box.x);
    extent.minY = Math.min(extent.minY, box.y);
    extent.maxX = Math.max(extent.maxX, box.x + box.width);
    extents.set(group.cluster, extent);
  }
  return [...extents.entries()].map(([cluster, extent]) => ({ cluster, x: extent.minX, y: extent.minY, width: extent.maxX - extent.minX }));
}

const RegionLayer = memo(function RegionLayer(props: { groups: readonly GraphGroup[]; layout: GraphLayout; onToggleGroup: (group: GraphGroup) => void }) {
  const clusters = clusterExtents(props.groups, props.layout);
  return (
    <g className="graph-regions">
      {clusters.map((cluster) => (
        <text key={cluster.cluster} className="graph-cluster-title" x={cluster.x + 4} y={cluster.y - 14} data-testid={`graph-cluster-${cluster.cluster}`}>
          {cluster.cluster}
        </text>
      ))}
      {props.groups.map((group) => {
        const box = props.layout.groups[group.id];
        if (!box) return null;
        const action = group.level === 'namespace' ? 'Expand' : 'Collapse';
        return (
          <g key={group.id} data-testid={`graph-group-${group.id}`} data-level={group.level}>
            <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={16} fill={regionFill(group.namespace)} stroke={regionStroke(group.namespace)} strokeWidth={1.2} />
            {group.expandable ? (
              <g
                className="graph-region-label"
                role="button"
                tabIndex={0}
                aria-label={`${action} namespace ${group.label} in ${group.cluster}`}
                onClick={() => props.onToggleGroup(group)}
                onKeyDown={(event) => activate(event, () => props.onToggleGroup(group))}
              >
                <text x={box.x + 12} y={box.y + 21}>
                  {group.label}
                  <tspan className="graph-region-action"> {group.level === 'namespace' ? '⊕' : '⊖'}</tspan>
                </text>
              </g>
            ) : (
              <text className="graph-region-label" x={box.x + 12} y={box.y + 21}>
                {group.label}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
});

const EdgeLayer = memo(function EdgeLayer(props: {
  edges: readonly GraphEdge[];
  layout: GraphLayout;
  nodeById: ReadonlyMap<string, GraphNode>;
  overlays: Record<OverlayKey, boolean>;
  selectedEdge: string | null;
  neighbours: ReadonlySet<string> | null;
  hovered: string | null;
  highlight: ReadonlySet<string> | null;
  onSelectEdge: (id: string) => void;
}) {
  return (
    <g className="graph-edges">
      {props.edges.map((edge) => {
        const from = props.layout.positions[edge.source];
        const to = props.layout.positions[edge.target];
        const target = props.nodeById.get(edge.target);
        if (!from || !to || !target) return null;
        const look = edgeLook(edge, props.overlays);
        const end = shorten(from, to, nodeRadius(target) + 3);
        const highlighted = inHighlight(edge, props.highlight);
        const lit = highlighted || (props.hovered !== null && (edge.source === props.hovered || edge.target === props.hovered));
        const dim = (props.neighbours !== null || props.highlight !== null) && !lit;
        const selected = props.selectedEdge === edge.id;
        const color = lit && look.tone === 'normal' ? EDGE_COLORS.highlight : look.color;
        return (
          <g
            key={edge.id}
            className={['graph-edge', dim ? 'is-dim' : '', selected ? 'is-selected' : '', highlighted ? 'is-highlight' : ''].join(' ')}
            data-testid={`graph-edge-${edge.id}`}
            data-verdict={verdictOf(edge)}
            data-overlay={look.tone}
            data-would-deny={edge.overlays.wouldDeny ? 'true' : 'false'}
            data-no-policy={edge.overlays.allowedNoPolicy ? 'true' : 'false'}
            data-infrastructure={edge.overlays.infrastructure ? 'true' : 'false'}
            data-highlight={highlighted ? 'true' : undefined}
            role="button"
            tabIndex={0}
            aria-label={edgeAriaLabel(edge)}
            aria-pressed={selected}
            onClick={() => props.onSelectEdge(edge.id)}
            onKeyDown={(event) => activate(event, () => props.onSelectEdge(edge.id))}
          >
            <line className="graph-edge-hit" x1={from.x} y1={from.y} x2={end.x} y2={end.y} />
            <line
              x1={from.x}
              y1={from.y}
              x2={end.x}
              y2={end.y}
              stroke={color}
              strokeWidth={selected || highlighted ? look.width + 2 : look.width}
              strokeDasharray={look.dashed ? '7 5' : undefined}
              markerEnd={`url(#arrow-${lit && look.tone === 'normal' ? 'highlight' : look.tone})`}
            />
          </g>
        );
      })}
    </g>
  );
});

const NodeLayer = memo(function NodeLayer(props: {
  nodes: readonly GraphNode[];
  layout: GraphLayout;
  overlays: Record<OverlayKey, boolean>;
  selectedNode: string | null;
  neighbours: ReadonlySet<string> | null;
  highlight: ReadonlySet<string> | null;
  genai: Readonly<Record<string, GenAiMarks>> | null;
  onSelectNode: (id: string) => void;
  onHover: (id: string | null) => void;
}) {
  return (
    <g className="graph-nodes">
      {props.nodes.map((node) => {
        const position = props.layout.positions[node.id];
        if (!position) return null;
        const radius = nodeRadius(node);
        const selected = props.selectedNode === node.id;
        const highlighted = props.highlight?.has(node.id) ?? false;
        const dim = (props.neighbours !== null && !props.neighbours.has(node.id)) || (props.highlight !== null && !highlighted && props.neighbours === null);
        const badge = props.overlays.unprotected && node.unprotected;
        const marks = props.genai?.[node.id];
        const description = nodeDescription(node, marks);
        return (
          <g
            key={node.id}
            className={['graph-node', dim ? 'is-dim' : '', selected ? 'is-selected' : '', highlighted ? 'is-highlight' : ''].join(' ')}
            transform={`translate(${position.x},${position.y})`}
            data-testid={`graph-node-${node.id}`}
            data-kind={node.kind}
            data-unprotected={node.unprotected ? 'true' : 'false'}
            data-denied={node.deniedFlows > 0 ? 'true' : 'false'}
            data-highlight={highlighted ? 'true' : undefined}
            role="button"
            tabIndex={0}
            aria-label={description}
            aria-pressed={selected}
            onClick={() => props.onSelectNode(node.id)}
            onKeyDown={(event) => activate(event, () => props.onSelectNode(node.id))}
            onMouseEnter={() => props.onHover(node.id)}
            onMouseLeave={() => props.onHover(null)}
            onFocus={() => props.onHover(node.id)}
            onBlur={() => props.onHover(null)}
          >
            <title>{description}</title>
            {highlighted ? <circle r={radius + 9} className="graph-node-halo" /> : null}
            {node.externalGroup ? (
              <rect x={-radius} y={-radius} width={radius * 2} height={radius * 2} rx={4} transform="rotate(45)" className="graph-node-external" />
            ) : (
              <circle r={radius} fill={nodeFill(node)} className="graph-node-shape" />
            )}
            {selected ? <circle r={radius + 5} className="graph-node-ring" /> : null}
            {node.kind === 'namespace' ? (
              <text className="graph-node-count" dy="0.35em">
                {node.workloadCount}
              </text>
            ) : null}
            {badge ? (
              <g className="graph-badge" transform={`translate(${radius * 0.8},${-radius * 0.8})`} data-testid={`graph-badge-unprotected-${node.id}`}>
                <circle r={6.5} />
                <text dy="0.35em">!</text>
              </g>
            ) : null}
            <text className="graph-node-label" y={radius + 14}>
              {truncate(node.label)}
            </text>
            {marks ? <GenAiBadges marks={marks} nodeId={node.id} y={radius + 20} /> : null}
          </g>
        );
      })}
    </g>
  );
});

/** Small pills under a node: its GenAI roles (LLM, embed, vector DB, RAG, ext LLM) and data tags (PII, PCI). */
function GenAiBadges(props: { marks: GenAiMarks; nodeId: string; y: number }) {
  const pills = [...props.marks.roleLabels.map((text) => ({ text, sensitive: false })), ...props.marks.tags.map((tag) => ({ text: tag.toUpperCase(), sensitive: true }))];
  const widths = pills.map((pill) => pill.text.length * 5.6 + 10);
  const total = widths.reduce((sum, width) => sum + width, 0) + (pills.length - 1) * 3;
  let x = -total / 2;
  return (
    <g className="graph-genai" data-testid={`graph-genai-${props.nodeId}`} transform={`translate(0,${props.y})`}>
      {pills.map((pill, index) => {
        const width = widths[index] ?? 0;
        const left = x;
        x += width + 3;
        return (
          <g key={pill.text} className={pill.sensitive ? 'graph-genai-pill is-sensitive' : 'graph-genai-pill'} transform={`translate(${left},0)`}>
            <rect width={width} height={14} rx={7} />
            <text x={width / 2} y={10.5}>
              {pill.text}
            </text>
          </g>
        );
      })}
    </g>
  );
}

'use client';
import { quadtree, select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { GraphEdge, GraphGroup, GraphLayout, GraphNode, ServiceGraph } from '@/core/graph';
import type { OverlayKey } from './graph-url-state';
import { EDGE_COLORS, edgeLook, nodeFill, nodeRadius, regionFill, regionStroke } from './graph-style';

/** SVG up to this many visible nodes; canvas beyond (STYLE rule 14). */
export const SVG_NODE_LIMIT = 400;

export interface GraphSurfaceProps {
  graph: ServiceGraph;
  layout: GraphLayout;
  state: 'layout' | 'ready';
  overlays: Record<OverlayKey, boolean>;
  selectedNode: string | null;
  selectedEdge: string | null;
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

/**
 * The graph drawing. React owns the elements; d3 does the zoom behaviour and the maths. Pan/zoom writes
 * one transform on one layer (no React render); the region, edge and node layers are memoised.
 */
export function GraphSurface(props: GraphSurfaceProps) {
  const { graph, layout } = props;
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
        if (layerRef.current) layerRef.current.setAttribute('transform', event.transform.toString());
        else drawRef.current();
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
    const bounds = layout.bounds;
    if (bounds.width <= 0 || bounds.height <= 0 || width <= 0 || height <= 0) return;
    const scale = Math.min(1.6, 0.94 * Math.min(width / bounds.width, height / bounds.height));
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
  useEffect(() => {
    if (!useCanvas) return;
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (!canvas || !container) return;
    let frame = 0;
    const draw = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const ratio = window.devicePixelRatio || 1;
        const { width, height } = container.getBoundingClientRect();
        if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
        if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
        const context = canvas.getContext('2d');
        if (!context) return;
        const transform = transformRef.current;
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        context.clearRect(0, 0, width, height);
        context.translate(transform.x, transform.y);
        context.scale(transform.k, transform.k);
        for (const group of graph.groups) {
          const box = layout.groups[group.id];
          if (!box) continue;
          context.fillStyle = regionFill(group.namespace);
          context.strokeStyle = regionStroke(group.namespace);
          context.lineWidth = 1 / transform.k;
          context.beginPath();
          context.roundRect(box.x, box.y, box.width, box.height, 14);
          context.fill();
          context.stroke();
          if (transform.k > 0.15) {
            context.fillStyle = '#1b2430';
            context.font = `600 ${Math.max(12, 12 / transform.k)}px system-ui, sans-serif`;
            context.fillText(`${group.cluster} · ${group.label}`, box.x + 10, box.y + 18 / Math.min(1, transform.k));
          }
        }
        for (const tone of ['normal', 'nopolicy', 'denied'] as const) {
          context.beginPath();
          for (const edge of graph.edges) {
            const look = edgeLook(edge, props.overlays);
            if (look.tone !== tone) continue;
            const from = layout.positions[edge.source];
            const to = layout.positions[edge.target];
            if (!from || !to) continue;
            context.moveTo(from.x, from.y);
            context.lineTo(to.x, to.y);
          }
          context.strokeStyle = tone === 'denied' ? EDGE_COLORS.denied : tone === 'nopolicy' ? EDGE_COLORS.noPolicy : EDGE_COLORS.normal;
          context.globalAlpha = tone === 'normal' ? 0.35 : 0.9;
          context.lineWidth = (tone === 'normal' ? 0.8 : 1.6) / Math.max(0.5, transform.k);
          context.stroke();
        }
        context.globalAlpha = 1;
        for (const node of graph.nodes) {
          const position = layout.positions[node.id];
          if (!position) continue;
          const radius = nodeRadius(node);
          context.beginPath();
          context.arc(position.x, position.y, radius, 0, Math.PI * 2);
          context.fillStyle = nodeFill(node);
          context.fill();
          if (props.overlays.unprotected && node.unprotected) {
            context.lineWidth = 3;
            context.strokeStyle = '#e09b00';
            context.stroke();
          }
        }
        if (transform.k > 0.6) {
          context.fillStyle = '#1b2430';
          context.font = '11px system-ui, sans-serif';
          context.textAlign = 'center';
          for (const node of graph.nodes) {
            const position = layout.positions[node.id];
            if (position) context.fillText(truncate(node.label), position.x, position.y + nodeRadius(node) + 13);
          }
          context.textAlign = 'start';
        }
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
  }, [useCanvas, graph, layout, props.overlays]);

  const onCanvasClick = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const [x, y] = transformRef.current.invert([event.clientX - rect.left, event.clientY - rect.top]);
    const found = tree.find(x, y, 30 / transformRef.current.k);
    if (found) props.onSelectNode(found.id);
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
    >
      {useCanvas ? (
        <canvas ref={canvasRef} className="graph-canvas" onClick={onCanvasClick} aria-label={`Service graph, ${graph.nodes.length} nodes (canvas)`} role="img" />
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
              onSelectEdge={props.onSelectEdge}
            />
            <NodeLayer
              nodes={graph.nodes}
              layout={layout}
              overlays={props.overlays}
              selectedNode={props.selectedNode}
              neighbours={neighbours}
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

const RegionLayer = memo(function RegionLayer(props: { groups: readonly GraphGroup[]; layout: GraphLayout; onToggleGroup: (group: GraphGroup) => void }) {
  return (
    <g className="graph-regions">
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
                <text x={box.x + 12} y={box.y + 20}>
                  <tspan className="graph-region-cluster">{group.cluster} · </tspan>
                  {group.label}
                  <tspan className="graph-region-action"> {group.level === 'namespace' ? '⊕' : '⊖'}</tspan>
                </text>
              </g>
            ) : (
              <text className="graph-region-label" x={box.x + 12} y={box.y + 20}>
                <tspan className="graph-region-cluster">{group.cluster} · </tspan>
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
        const lit = props.hovered !== null && (edge.source === props.hovered || edge.target === props.hovered);
        const dim = props.neighbours !== null && !lit;
        const selected = props.selectedEdge === edge.id;
        const color = lit && look.tone === 'normal' ? EDGE_COLORS.highlight : look.color;
        const label = `${edge.source.split('/').pop()} to ${edge.target.split('/').pop()}: ${edge.flows} flows, ${edge.deniedFlows} denied`;
        return (
          <g
            key={edge.id}
            className={['graph-edge', dim ? 'is-dim' : '', selected ? 'is-selected' : ''].join(' ')}
            data-testid={`graph-edge-${edge.id}`}
            data-verdict={verdictOf(edge)}
            data-overlay={look.tone}
            data-would-deny={edge.overlays.wouldDeny ? 'true' : 'false'}
            data-no-policy={edge.overlays.allowedNoPolicy ? 'true' : 'false'}
            data-infrastructure={edge.overlays.infrastructure ? 'true' : 'false'}
            role="button"
            tabIndex={0}
            aria-label={label}
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
              strokeWidth={selected ? look.width + 2 : look.width}
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
        const dim = props.neighbours !== null && !props.neighbours.has(node.id);
        const badge = props.overlays.unprotected && node.unprotected;
        const description = `${node.kind} ${node.label}${node.namespace && node.kind !== 'namespace' ? ` in ${node.namespace}` : ''} (${node.cluster})${node.unprotected ? ', unprotected: no policy selects it' : ''}`;
        return (
          <g
            key={node.id}
            className={['graph-node', dim ? 'is-dim' : '', selected ? 'is-selected' : ''].join(' ')}
            transform={`translate(${position.x},${position.y})`}
            data-testid={`graph-node-${node.id}`}
            data-kind={node.kind}
            data-unprotected={node.unprotected ? 'true' : 'false'}
            data-denied={node.deniedFlows > 0 ? 'true' : 'false'}
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
          </g>
        );
      })}
    </g>
  );
});

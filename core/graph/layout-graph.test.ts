import { describe, expect, it } from 'vitest';
import { layoutGraph, NODE_SPACING, type LayoutGraphInput } from './layout-graph';

/** `groups` namespaces of `perGroup` nodes, a chain inside each group and one link between neighbouring groups. */
function makeLayoutInput(groups: number, perGroup: number): LayoutGraphInput {
  const nodes = [];
  const edges = [];
  for (let group = 0; group < groups; group += 1) {
    for (let index = 0; index < perGroup; index += 1) {
      nodes.push({ id: `c/ns${group}/workload/w${index}`, groupId: `c/ns${group}` });
      if (index > 0) edges.push({ source: `c/ns${group}/workload/w${index - 1}`, target: `c/ns${group}/workload/w${index}` });
    }
    if (group > 0) edges.push({ source: `c/ns${group - 1}/workload/w0`, target: `c/ns${group}/workload/w0` });
  }
  return { nodes, edges };
}

function distance(a: { x: number; y: number } | undefined, b: { x: number; y: number } | undefined): number {
  if (!a || !b) return Number.NaN;
  return Math.hypot(a.x - b.x, a.y - b.y);
}

describe('layoutGraph', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const input = makeLayoutInput(3, 5);
    const first = layoutGraph(input, { seed: 7, ticks: 100 });
    expect(layoutGraph(input, { seed: 7, ticks: 100 })).toEqual(first);
    expect(layoutGraph(input, { seed: 8, ticks: 100 }).positions).not.toEqual(first.positions);
  });

  it.each([
    { groups: 2, perGroup: 4 },
    { groups: 5, perGroup: 8 },
  ])('keeps $groups namespaces of $perGroup as separate regions', ({ groups, perGroup }) => {
    const layout = layoutGraph(makeLayoutInput(groups, perGroup), { seed: 1, ticks: 200 });
    const boxes = Object.entries(layout.groups);
    expect(boxes).toHaveLength(groups);
    // Every node is nearer its own group's centre than any other group's.
    const centre = (id: string) => {
      const box = layout.groups[id];
      return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : undefined;
    };
    for (const [id, position] of Object.entries(layout.positions)) {
      const own = id.split('/').slice(0, 2).join('/');
      const ownDistance = distance(position, centre(own));
      for (const [other] of boxes) if (other !== own) expect(ownDistance).toBeLessThan(distance(position, centre(other)));
    }
  });

  it('keeps positions by id across refreshes', () => {
    const input = makeLayoutInput(2, 6);
    const first = layoutGraph(input, { seed: 3, ticks: 150 });
    const grown = { nodes: [...input.nodes, { id: 'c/ns0/workload/new', groupId: 'c/ns0' }], edges: [...input.edges, { source: 'c/ns0/workload/w0', target: 'c/ns0/workload/new' }] };
    const second = layoutGraph(grown, { seed: 3, ticks: 150, previousPositions: first.positions });
    // Old nodes move less than one node spacing (the new one nudges its neighbours).
    for (const node of input.nodes) expect(distance(first.positions[node.id], second.positions[node.id])).toBeLessThan(NODE_SPACING);
    expect(second.positions['c/ns0/workload/new']).toBeDefined();
  });

  it('lays out an empty and a one-node graph', () => {
    expect(layoutGraph({ nodes: [], edges: [] }, { seed: 1 }).positions).toEqual({});
    expect(Object.keys(layoutGraph({ nodes: [{ id: 'a', groupId: 'g' }], edges: [] }, { seed: 1 }).positions)).toEqual(['a']);
  });

  it('never lets two regions overlap, even with many cross-namespace links', () => {
    const input = makeLayoutInput(12, 6);
    const edges = [...input.edges];
    for (let group = 0; group < 12; group += 1) edges.push({ source: `c/ns${group}/workload/w1`, target: `c/ns${(group * 5 + 3) % 12}/workload/w2` });
    const layout = layoutGraph({ ...input, edges }, { seed: 3 });
    const boxes = Object.values(layout.groups);
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i];
        const b = boxes[j];
        if (!a || !b) continue;
        const overlaps = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlaps).toBe(false);
      }
    }
  });

  it('puts two clusters side by side on a wide screen', () => {
    const nodes = ['east', 'west'].flatMap((cluster) =>
      [0, 1, 2, 3].flatMap((group) => [0, 1, 2].map((index) => ({ id: `${cluster}/ns${group}/workload/w${index}`, groupId: `${cluster}/ns${group}` }))),
    );
    const layout = layoutGraph({ nodes, edges: [] }, { seed: 1, aspectRatio: 2.4 });
    const extent = (cluster: string) => {
      const boxes = Object.entries(layout.groups).filter(([id]) => id.startsWith(`${cluster}/`)).map(([, box]) => box);
      return { minX: Math.min(...boxes.map((box) => box.x)), maxX: Math.max(...boxes.map((box) => box.x + box.width)) };
    };
    expect(extent('east').maxX).toBeLessThanOrEqual(extent('west').minX);
    expect(layout.bounds.width).toBeGreaterThan(layout.bounds.height);
  });
});

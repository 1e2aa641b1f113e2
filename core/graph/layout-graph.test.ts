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
});

import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory';
import { classifyGenAi } from './classify-genai';
import { detectGenAiFindings } from './detect-genai-findings';
import { findGenAiPaths } from './find-genai-paths';
import { ID, makeEdge, makeNode, scenarioEdges, scenarioNodes } from './genai-scenario.test-helpers';
import { makeGenAiBenchmarkData } from './make-genai-benchmark-data';

/** Wall time of one call. */
function timed<T>(run: () => T): { value: T; elapsedMs: number } {
  // eslint-disable-next-line no-restricted-properties -- a benchmark measures wall time; the code under test takes no clock.
  const clock = () => performance.now();
  const started = clock();
  const value = run();
  return { value, elapsedMs: clock() - started };
}

describe('findGenAiPaths', () => {
  const { paths, entryNodeIds, truncated } = findGenAiPaths({ nodes: scenarioNodes, edges: scenarioEdges });

  it('starts at the internet and ingress controllers', () => {
    expect(entryNodeIds).toEqual([ID.internet, ID.ingress]);
    expect(truncated).toBe(false);
  });

  it('finds the chains to the PII store and to the external LLM API, and nothing else', () => {
    expect(paths.map((path) => [path.target, path.nodeIds])).toEqual([
      ['external-llm-api', [ID.internet, ID.ingress, ID.chatUi, ID.ragApi, ID.openai]],
      ['sensitive-store', [ID.internet, ID.ingress, ID.chatUi, ID.ragApi, ID.postgres]],
    ]);
  });

  it('gives each hop its edges, ports, flows and allowing policies', () => {
    const toStore = paths.find((path) => path.targetNodeId === ID.postgres);
    expect(toStore?.accessorNodeId).toBe(ID.ragApi);
    expect(toStore?.entryNodeId).toBe(ID.internet);
    expect(toStore?.hops[0]).toMatchObject({ sourceNodeId: ID.internet, destinationNodeId: ID.ingress, policies: [] });
    expect(toStore?.hops.at(-1)).toEqual({
      sourceNodeId: ID.ragApi,
      destinationNodeId: ID.postgres,
      edgeIds: [`${ID.ragApi}->${ID.postgres}:5432/TCP`],
      ports: ['5432/TCP'],
      flows: 10,
      bytesOut: 1000,
      policies: ['NetworkPolicy data/allow-rag'],
      evidenceFlowIds: [`flow:${ID.ragApi}->${ID.postgres}`],
    });
  });

  it.each([
    ['a GenAI accessor no entry reaches still yields a path from itself', [makeEdge(ID.ragApi, ID.postgres)], [[ID.ragApi, ID.postgres]]],
    ['a non-GenAI accessor yields nothing', [makeEdge(ID.billing, ID.postgres)], []],
    ['denied edges are not paths', [makeEdge(ID.ragApi, ID.postgres, { verdict: 'denied' })], []],
    [
      'a non-GenAI hop after a GenAI component still counts',
      [makeEdge(ID.internet, ID.ragApi), makeEdge(ID.ragApi, ID.billing), makeEdge(ID.billing, ID.postgres)],
      [[ID.internet, ID.ragApi, ID.billing, ID.postgres]],
    ],
  ])('%s', (_title, edges, expected) => {
    expect(findGenAiPaths({ nodes: scenarioNodes, edges }).paths.map((path) => path.nodeIds)).toEqual(expected);
  });

  it('respects maxHops and maxPaths', () => {
    expect(findGenAiPaths({ nodes: scenarioNodes, edges: scenarioEdges, maxHops: 2 }).paths.map((path) => path.entryNodeId)).toEqual([null, null]);
    expect(findGenAiPaths({ nodes: scenarioNodes, edges: scenarioEdges, maxPaths: 1 })).toMatchObject({ truncated: true, paths: [{}] });
  });

  it('is linear: 2,000 workloads and 10,000 edges well under a second (micro-benchmark)', () => {
    const data = makeGenAiBenchmarkData({ workloads: 2000, edges: 10000 });
    const classified = timed(() => classifyGenAi({ inventory: data.inventory, clusterId: data.clusterId, externalPeers: data.externalPeers, edges: data.edges }));
    const nodes = classified.value.nodes;
    const classifiedMs = classified.elapsedMs;
    const found = timed(() => findGenAiPaths({ nodes, edges: data.edges }));
    const result = found.value;
    const pathsMs = found.elapsedMs;
    const detected = timed(() => detectGenAiFindings({ nodes, edges: data.edges, previousEdges: data.edges.slice(0, 5000) }));
    const findings = detected.value.findings;
    const findingsMs = detected.elapsedMs;
    console.log(
      `[bench genai] 2000 workloads, 10000 edges: classify ${classifiedMs.toFixed(0)} ms, paths ${pathsMs.toFixed(0)} ms (${result.paths.length} paths), findings ${findingsMs.toFixed(0)} ms (${findings.length})`,
    );
    expect(result.paths.length).toBeGreaterThan(0);
    // Generous bound (CI noise on 2 cores); the budget itself is reported, not asserted tightly.
    expect(pathsMs).toBeLessThan(1000);
  });

  it('works on nodes classified from an inventory (ids line up with endpointNodeId)', () => {
    const { inventory } = buildInventory([]);
    const { nodes } = classifyGenAi({ inventory, externalPeers: [{ id: ID.openai, domain: 'api.openai.com' }] });
    const rag = makeNode(ID.ragApi, ['rag-app']);
    expect(findGenAiPaths({ nodes: [...nodes, rag], edges: [makeEdge(ID.ragApi, ID.openai)] }).paths).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  computePostureScore,
  isDefaultAllowPolicyKey,
  scoreDefaultDeny,
  scoreDeniedTrend,
  scoreExternalEgress,
  scoreGenAiFindings,
  scoreSensitiveStores,
  scoreUnpolicedTraffic,
  scoreWorkloadCoverage,
} from './compute-posture-score';
import { combinePostureScores } from './combine-posture-scores';
import { postureLinkHref } from './posture-link-href';
import type { PostureEndpoint, PostureFinding, PostureInputs, PostureTraffic, PostureWorkload } from './types';

const POLICY = 'NetworkPolicy||chat|allow-rag|allow|0';
const PROFILE = 'Profile|__PROFILE__||kns.llm|allow|0';

function inputs(overrides: Partial<PostureInputs> = {}): PostureInputs {
  return {
    clusterName: 'c1',
    inventoryKnown: true,
    workloads: [],
    namespaces: [],
    traffic: [],
    trafficDays: 1,
    deniedFlowsBaselinePerDay: null,
    stores: [],
    findings: [],
    ...overrides,
  };
}
const workload = (namespace: string, name: string, ingressGoverned: boolean, egressGoverned: boolean): PostureWorkload => ({ namespace, name, ingressGoverned, egressGoverned });
const internal = (namespace: string, name: string): PostureEndpoint => ({ namespace, name, external: false });
const external = (name: string): PostureEndpoint => ({ namespace: null, name, external: true });
function traffic(source: PostureEndpoint, destination: PostureEndpoint, overrides: Partial<PostureTraffic> = {}): PostureTraffic {
  return { source, destination, verdict: 'allowed', policyKey: POLICY, flows: 10, bytesOut: 100, ...overrides };
}
const finding = (severity: PostureFinding['severity'], kind: PostureFinding['kind'], nodeIds: string[]): PostureFinding => ({ id: `${kind}:${nodeIds.join(',')}`, kind, severity, title: `${kind} ${severity}`, nodeIds });

describe('isDefaultAllowPolicyKey', () => {
  it.each([
    ['', true],
    [PROFILE, true],
    ['Profile||||kns.chat|allow|0', true],
    ['CalicoNetworkPolicy|default||__PROFILE__.kns.x|allow|0', true],
    ['garbage', true],
    [POLICY, false],
    ['GlobalNetworkPolicy|security||allow-dns|allow|2', false],
  ])('%j → %s', (key, expected) => expect(isDefaultAllowPolicyKey(key)).toBe(expected));
});

describe('workload coverage (weight 25)', () => {
  it.each([
    { name: 'all governed', workloads: [workload('a', 'x', true, true), workload('a', 'y', true, true)], ratio: 0, lost: 0 },
    { name: 'nothing governed', workloads: [workload('a', 'x', false, false)], ratio: 1, lost: 25 },
    { name: 'ingress only', workloads: [workload('a', 'x', true, false), workload('a', 'y', true, false)], ratio: 0.5, lost: 12.5 },
    { name: '1 of 4 directions open', workloads: [workload('a', 'x', true, true), workload('b', 'y', false, true)], ratio: 0.25, lost: 6.3 },
  ])('$name → r=$ratio, $lost points', ({ workloads, ratio, lost }) => {
    const { component, attributions } = scoreWorkloadCoverage(inputs({ workloads }));
    expect(component.riskRatio).toBe(ratio);
    expect(component.pointsLost).toBe(lost);
    expect(attributions.reduce((sum, a) => sum + a.points, 0)).toBeCloseTo(25 * ratio);
    expect(component.link.target).toBe('policies');
  });
  it('is unknown (costs nothing) without an inventory', () => {
    const { component } = scoreWorkloadCoverage(inputs({ inventoryKnown: false, workloads: [workload('a', 'x', false, false)] }));
    expect(component).toMatchObject({ known: false, pointsLost: 0 });
    expect(component.summary).toMatch(/No inventory/);
  });
  it('says what is open in words', () => {
    const { component } = scoreWorkloadCoverage(inputs({ workloads: [workload('a', 'x', false, true), workload('a', 'y', true, true)] }));
    expect(component.summary).toBe('1 of 2 workloads (50 %) have no ingress policy and 0 (0 %) no egress policy.');
    expect(component.figures.coveragePct).toBe(75);
  });
});

describe('default deny (weight 10)', () => {
  const workloads = [workload('a', 'x', true, true), workload('b', 'y', false, false)];
  it.each([
    { name: 'both namespaces, both directions', namespaces: [{ namespace: 'a', defaultDenyIngress: true, defaultDenyEgress: true }, { namespace: 'b', defaultDenyIngress: true, defaultDenyEgress: true }], lost: 0 },
    { name: 'one namespace missing both', namespaces: [{ namespace: 'a', defaultDenyIngress: true, defaultDenyEgress: true }, { namespace: 'b', defaultDenyIngress: false, defaultDenyEgress: false }], lost: 5 },
    { name: 'egress missing everywhere', namespaces: [{ namespace: 'a', defaultDenyIngress: true, defaultDenyEgress: false }, { namespace: 'b', defaultDenyIngress: true, defaultDenyEgress: false }], lost: 5 },
    { name: 'empty namespaces do not count', namespaces: [{ namespace: 'a', defaultDenyIngress: true, defaultDenyEgress: true }, { namespace: 'b', defaultDenyIngress: true, defaultDenyEgress: true }, { namespace: 'empty', defaultDenyIngress: false, defaultDenyEgress: false }], lost: 0 },
  ])('$name → $lost points', ({ namespaces, lost }) => {
    expect(scoreDefaultDeny(inputs({ workloads, namespaces })).component.pointsLost).toBe(lost);
  });
});

describe('unpoliced traffic (weight 15)', () => {
  it.each([
    { name: 'all traffic by policy', rows: [traffic(internal('a', 'x'), internal('b', 'y'))], lost: 0 },
    { name: 'all by no policy', rows: [traffic(internal('a', 'x'), internal('b', 'y'), { policyKey: '' })], lost: 15 },
    { name: 'profile counts as no policy, by flows', rows: [traffic(internal('a', 'x'), internal('b', 'y'), { policyKey: PROFILE, flows: 30 }), traffic(internal('a', 'x'), internal('c', 'z'), { flows: 70 })], lost: 4.5 },
    { name: 'denied flows are not in the share', rows: [traffic(internal('a', 'x'), internal('b', 'y')), traffic(internal('a', 'x'), internal('b', 'y'), { verdict: 'denied', policyKey: '', flows: 1000 })], lost: 0 },
    { name: 'nothing allowed', rows: [], lost: 0 },
  ])('$name → $lost points', ({ rows, lost }) => {
    expect(scoreUnpolicedTraffic(inputs({ traffic: rows })).component.pointsLost).toBe(lost);
  });
  it('charges internal destinations to their namespace and external ones to the sender', () => {
    const { attributions } = scoreUnpolicedTraffic(
      inputs({ traffic: [traffic(internal('a', 'x'), internal('llm', 'vllm'), { policyKey: '' }), traffic(internal('chat', 'rag-api'), external('api.openai.com'), { policyKey: '' })] }),
    );
    expect(attributions.map((a) => [a.namespace, a.action, a.workload])).toEqual([
      ['llm', 'default-deny', undefined],
      ['chat', 'restrict-egress', 'rag-api'],
    ]);
  });
});

describe('denied trend (weight 10)', () => {
  const denied = (flows: number) => traffic(internal('chat', 'chat-ui'), internal('data', 'postgres'), { verdict: 'denied', flows });
  it.each([
    { name: 'no history', flows: 500, baseline: null, days: 1, lost: 0 },
    { name: 'as usual', flows: 100, baseline: 100, days: 1, lost: 0 },
    { name: 'fewer than usual', flows: 10, baseline: 100, days: 1, lost: 0 },
    { name: 'doubled', flows: 200, baseline: 100, days: 1, lost: 3.3 },
    { name: 'four times (full loss)', flows: 400, baseline: 100, days: 1, lost: 10 },
    { name: 'ten times', flows: 1000, baseline: 100, days: 1, lost: 10 },
    { name: 'quiet cluster: floor of 10/day', flows: 25, baseline: 1, days: 1, lost: 8 },
    { name: 'partial day is scaled to a day', flows: 50, baseline: 100, days: 0.25, lost: 3.3 },
  ])('$name → $lost points', ({ flows, baseline, days, lost }) => {
    const { component, attributions } = scoreDeniedTrend(inputs({ traffic: [denied(flows)], deniedFlowsBaselinePerDay: baseline, trafficDays: days }));
    expect(component.pointsLost).toBe(lost);
    if (lost > 0) expect(attributions[0]).toMatchObject({ namespace: 'chat', workload: 'chat-ui', action: 'investigate' });
  });
});

describe('GenAI findings (weight 20)', () => {
  const pii = finding('critical', 'sensitive-data-to-external-llm', ['c1/data/workload/postgres', 'c1/chat/workload/rag-api', 'c1/-/external/api.openai.com']);
  it.each([
    { name: 'none', findings: [], lost: 0 },
    { name: 'one critical', findings: [pii], lost: 6.7 },
    { name: 'one high, one medium, one low', findings: [finding('high', 'genai-unprotected', ['c1/llm/workload/vllm']), finding('medium', 'model-pull', ['c1/llm/workload/vllm', 'c1/-/external/huggingface.co']), finding('low', 'denied-attempt', ['c1/chat/workload/chat-ui'])], lost: 5.8 },
    { name: 'three critical saturate', findings: [pii, pii, pii, pii], lost: 20 },
  ])('$name → $lost points', ({ findings, lost }) => {
    const { component, attributions } = scoreGenAiFindings(inputs({ findings }));
    expect(component.pointsLost).toBe(lost);
    expect(attributions.reduce((sum, a) => sum + a.points, 0)).toBeCloseTo(component.pointsLost, 0);
  });
  it.each([
    [pii, 'chat', 'rag-api', 'restrict-egress'],
    [finding('high', 'genai-unprotected', ['c1/llm/workload/vllm', 'c1/llm/workload/tei']), 'llm', undefined, 'default-deny'],
    [finding('high', 'genai-exposed', ['c1/-/external/pub', 'c1/llm/workload/vllm']), 'llm', 'vllm', 'restrict-ingress'],
    [finding('high', 'denied-attempt', ['c1/chat/workload/chat-ui', 'c1/data/workload/postgres']), 'chat', 'chat-ui', 'investigate'],
  ] as const)('charges %j to %s/%s (%s)', (item, namespace, workloadName, action) => {
    const [attribution] = scoreGenAiFindings(inputs({ findings: [item] })).attributions;
    expect([attribution?.namespace, attribution?.workload, attribution?.action]).toEqual([namespace, workloadName, action]);
  });
});

describe('sensitive stores (weight 10)', () => {
  const stores = [
    { namespace: 'data', name: 'postgres', sensitivity: 'pii', ingressGoverned: true },
    { namespace: 'payments', name: 'payments-db', sensitivity: 'pci', ingressGoverned: true },
  ];
  it.each([
    { name: 'both governed, no open traffic', stores, rows: [], lost: 0 },
    { name: 'one without ingress policy', stores: [stores[0]!, { ...stores[1]!, ingressGoverned: false }], rows: [], lost: 5 },
    { name: 'traffic with no policy name into a governed store is not a gap', stores, rows: [traffic(internal('chat', 'rag-api'), internal('data', 'postgres'), { policyKey: '' })], lost: 0 },
    { name: 'no stores known', stores: [], rows: [], lost: 0 },
  ])('$name → $lost points', ({ stores: list, rows, lost }) => {
    expect(scoreSensitiveStores(inputs({ stores: list, traffic: rows })).component.pointsLost).toBe(lost);
  });
});

describe('external egress (weight 10)', () => {
  it.each([
    { name: 'nobody talks outside', rows: [traffic(internal('a', 'x'), internal('b', 'y'), { policyKey: '' })], lost: 0 },
    { name: 'one of two without policy', rows: [traffic(internal('chat', 'rag-api'), external('api.openai.com'), { policyKey: '' }), traffic(internal('llm', 'vllm'), external('huggingface.co'))], lost: 5 },
    { name: 'denied egress does not count', rows: [traffic(internal('chat', 'chat-ui'), external('203.0.113.66'), { verdict: 'denied', policyKey: '' })], lost: 0 },
    { name: 'inbound from the internet is not egress', rows: [traffic(external('pub'), internal('ingress-nginx', 'controller'), { policyKey: '' })], lost: 0 },
  ])('$name → $lost points', ({ rows, lost }) => {
    expect(scoreExternalEgress(inputs({ traffic: rows })).component.pointsLost).toBe(lost);
  });
});

describe('computePostureScore', () => {
  // The demo in miniature: llm has no policy at all, chat is covered but rag-api sends PII to OpenAI.
  const demo = inputs({
    workloads: [workload('llm', 'vllm', false, false), workload('llm', 'tei-embed', false, false), workload('llm', 'tei-rerank', false, false), workload('chat', 'rag-api', true, false), workload('data', 'postgres', true, true)],
    namespaces: [
      { namespace: 'llm', defaultDenyIngress: false, defaultDenyEgress: false },
      { namespace: 'chat', defaultDenyIngress: true, defaultDenyEgress: false },
      { namespace: 'data', defaultDenyIngress: true, defaultDenyEgress: true },
    ],
    traffic: [
      traffic(internal('chat', 'rag-api'), internal('llm', 'vllm'), { policyKey: PROFILE, flows: 50 }),
      traffic(internal('chat', 'rag-api'), internal('data', 'postgres'), { flows: 50 }),
      traffic(internal('chat', 'rag-api'), external('api.openai.com'), { policyKey: '', flows: 10 }),
    ],
    stores: [{ namespace: 'data', name: 'postgres', sensitivity: 'pii', ingressGoverned: true }],
    findings: [
      finding('critical', 'sensitive-data-to-external-llm', ['c1/data/workload/postgres', 'c1/chat/workload/rag-api', 'c1/-/external/api.openai.com']),
      finding('high', 'genai-unprotected', ['c1/llm/workload/vllm', 'c1/llm/workload/tei-embed', 'c1/llm/workload/tei-rerank']),
    ],
  });

  it('adds the components up to 100 − points lost', () => {
    const result = computePostureScore(demo);
    const lost = result.components.reduce((sum, component) => sum + component.weight * component.riskRatio, 0);
    expect(result.score).toBe(Math.round(100 - lost));
    expect(result.components.map((component) => component.weight).reduce((a, b) => a + b)).toBe(100);
    expect(result.components.map((component) => component.id)).toEqual(['workload-coverage', 'default-deny', 'unpoliced-traffic', 'denied-trend', 'genai-findings', 'sensitive-stores', 'external-egress']);
    expect(result.incomplete).toBe(false);
  });

  it('puts llm first with a default-deny action naming its 3 workloads', () => {
    const [first, second] = computePostureScore(demo).risks;
    expect(first).toMatchObject({ namespace: 'llm', action: { kind: 'default-deny', text: 'add a default-deny policy to `llm`: covers 3 workloads' } });
    expect(first?.link).toEqual({ target: 'policies', params: { cluster: 'c1', namespace: 'llm' } });
    // A namespace-wide default deny also governs rag-api's egress, so it wins back more than
    // restricting rag-api alone would.
    expect(second).toMatchObject({ namespace: 'chat', action: { kind: 'default-deny' } });
    expect(second?.action.text).toMatch(/^add a default-deny (egress )?policy to `chat`/);
  });

  it('scores a clean cluster 100', () => {
    const clean = inputs({ workloads: [workload('a', 'x', true, true)], namespaces: [{ namespace: 'a', defaultDenyIngress: true, defaultDenyEgress: true }], traffic: [traffic(internal('a', 'x'), internal('a', 'x'))], deniedFlowsBaselinePerDay: 0 });
    expect(computePostureScore(clean)).toMatchObject({ score: 100, risks: [] });
  });

  it('is deterministic and returns at most maxRisks', () => {
    expect(computePostureScore(demo)).toEqual(computePostureScore(demo));
    expect(computePostureScore(demo, { maxRisks: 1 }).risks).toHaveLength(1);
  });
});

describe('combinePostureScores', () => {
  it('weights cluster scores by workloads and scales risks by the cluster share', () => {
    const a = computePostureScore(inputs({ clusterName: 'a', workloads: [workload('x', 'w', false, false)], namespaces: [{ namespace: 'x', defaultDenyIngress: false, defaultDenyEgress: false }] }));
    const b = computePostureScore(inputs({ clusterName: 'b', workloads: [workload('y', 'w', true, true)], namespaces: [{ namespace: 'y', defaultDenyIngress: true, defaultDenyEgress: true }] }));
    const combined = combinePostureScores([
      { cluster: 'a', weight: 1, score: a },
      { cluster: 'b', weight: 3, score: b },
    ]);
    expect(a.score).toBe(65);
    expect(combined?.score).toBe(Math.round(65 * 0.25 + 100 * 0.75));
    expect(combined?.risks[0]).toMatchObject({ cluster: 'a', namespace: 'x', pointsLost: 8.8 });
    expect(combined?.components[0]?.byCluster).toEqual({ a: 25, b: 0 });
    expect(combinePostureScores([])).toBeNull();
  });
});

describe('postureLinkHref', () => {
  it('builds a sorted query', () => {
    expect(postureLinkHref({ target: 'flows', params: { verdict: 'denied', cluster: 'prod-east' } })).toBe('/flows?cluster=prod-east&verdict=denied');
    expect(postureLinkHref({ target: 'genai', params: {} })).toBe('/genai');
  });
});

import { describe, expect, it } from 'vitest';
import { parseFlowBatch } from '../../core/flow';
import { buildInventory } from './inventory';
import { buildTimeline, DAY_MS, diurnalFactor, HOUR_MS } from './scenario';
import { buildTopology, EXFILTRATION_IP, type DemoClusterName } from './topology';
import { windowRecords } from './window-records';

/** A fixed anchor: a Wednesday noon UTC, so the compromise (3 days earlier) is inside a 7-day backfill. */
const ANCHOR_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const BACKFILL_WINDOW_MS = 5 * 60_000;

type Json = Record<string, unknown>;

function windowLines(seed: string, cluster: DemoClusterName, windowStartMs: number, windowMs = BACKFILL_WINDOW_MS, meanRecordsPerWindow = 100): string[] {
  return windowRecords({ topology: buildTopology(seed, cluster), timeline: buildTimeline(seed, ANCHOR_MS), windowStartMs, windowMs, meanRecordsPerWindow }).lines;
}

/** An hour of 5-minute windows just before the anchor (the compromise is active). */
function lastHour(seed: string, cluster: DemoClusterName): string[] {
  const lines: string[] = [];
  for (let t = ANCHOR_MS - HOUR_MS; t < ANCHOR_MS; t += BACKFILL_WINDOW_MS) lines.push(...windowLines(seed, cluster, t));
  return lines;
}

const parsed = (lines: string[]): Json[] => lines.map((line) => JSON.parse(line) as Json);

describe('determinism', () => {
  it('gives identical lines for the same seed and start time', () => {
    for (const cluster of ['prod-east', 'prod-west'] as const) {
      expect(windowLines('42', cluster, ANCHOR_MS - HOUR_MS)).toEqual(windowLines('42', cluster, ANCHOR_MS - HOUR_MS));
      expect(windowLines('42', cluster, ANCHOR_MS, 1000, 25)).toEqual(windowLines('42', cluster, ANCHOR_MS, 1000, 25));
    }
    expect(buildInventory(buildTopology('42', 'prod-east'), ANCHOR_MS)).toEqual(buildInventory(buildTopology('42', 'prod-east'), ANCHOR_MS));
  });

  it('gives different lines for a different seed', () => {
    for (const cluster of ['prod-east', 'prod-west'] as const) {
      expect(windowLines('42', cluster, ANCHOR_MS - HOUR_MS)).not.toEqual(windowLines('43', cluster, ANCHOR_MS - HOUR_MS));
    }
  });

  it('does not depend on which windows were generated before', () => {
    const alone = windowLines('42', 'prod-west', ANCHOR_MS - 2 * HOUR_MS);
    windowLines('42', 'prod-west', ANCHOR_MS - 3 * HOUR_MS);
    expect(windowLines('42', 'prod-west', ANCHOR_MS - 2 * HOUR_MS)).toEqual(alone);
  });
});

describe('prod-east Calico flow logs', () => {
  const lines = lastHour('42', 'prod-east');
  const records = parsed(lines);
  const compromised = buildTopology('42', 'prod-east').compromisedPod;

  it('has the compromised chat-ui replica denied at payments-db by the default deny, reported by the destination only', () => {
    const probes = records.filter((r) => r.source_name === compromised.name && r.dest_name_aggr === 'payments-db-*' && r.dest_port === 5432);
    expect(probes.length).toBeGreaterThan(0);
    for (const probe of probes) {
      expect(probe).toMatchObject({ action: 'deny', reporter: 'dst', source_name_aggr: `${compromised.replicaSetName}-*`, dest_namespace: 'payments' });
      expect(probe.policies).toEqual({ all_policies: ['0|default|payments/knp.default.default-deny|deny|-1'] });
    }
    const postgresProbes = records.filter((r) => r.source_name === compromised.name && r.dest_name_aggr === 'postgres-*' && r.action === 'deny');
    expect(postgresProbes[0]?.policies).toEqual({ all_policies: ['0|default|data/knp.default.default-deny|deny|-1'] });
  });

  it('reports allowed intra-cluster flows from both ends, with the policy or profile that allowed each side', () => {
    const ragToPostgres = records.filter((r) => r.source_name_aggr?.toString().startsWith('rag-api-') && r.dest_name_aggr === 'postgres-*' && r.action === 'allow');
    const reporters = new Set(ragToPostgres.map((r) => r.reporter));
    expect(reporters).toEqual(new Set(['src', 'dst']));
    const dst = ragToPostgres.find((r) => r.reporter === 'dst');
    expect(dst?.policies).toEqual({ all_policies: ['0|default|data/knp.default.allow-rag-api|allow|0'] });
    const src = ragToPostgres.find((r) => r.reporter === 'src');
    expect(src?.policies).toEqual({ all_policies: ['0|__PROFILE__|__PROFILE__.kns.chat|allow|0'] });
    const toVllm = records.find((r) => r.dest_name_aggr?.toString().startsWith('vllm-') && r.reporter === 'dst');
    expect(toVllm?.policies).toEqual({ all_policies: ['0|__PROFILE__|__PROFILE__.kns.llm|allow|0'] });
  });

  it('names api.openai.com in dest_domains and sends bytes to the unknown address', () => {
    expect(records.some((r) => JSON.stringify(r.dest_domains) === '["api.openai.com"]' && r.dest_name_aggr === 'pub')).toBe(true);
    const exfiltration = records.filter((r) => r.dest_ip === EXFILTRATION_IP);
    expect(exfiltration.length).toBeGreaterThan(0);
    expect(exfiltration.every((r) => r.action === 'allow' && r.source_name === compromised.name)).toBe(true);
  });

  it('parses with zero errors', () => {
    const result = parseFlowBatch(lines, { clusterId: 'prod-east', format: 'calico' });
    expect(result.errors).toEqual([]);
    expect(result.flows.length).toBe(lines.length);
  });
});

describe('prod-west Hubble events', () => {
  const lines = lastHour('42', 'prod-west');
  const events = parsed(lines).map((line) => line.flow as Json);

  it('has DROPPED POLICY_DENIED events naming the default deny', () => {
    const drops = events.filter((e) => e.verdict === 'DROPPED');
    const compromised = buildTopology('42', 'prod-west').compromisedPod;
    expect(drops.length).toBeGreaterThan(0);
    for (const drop of drops) {
      expect(drop.drop_reason_desc).toBe('POLICY_DENIED');
      expect(JSON.stringify(drop.ingress_denied_by)).toContain('"name":"default-deny"');
      expect((drop.source as Json).pod_name).toBe(compromised.name);
    }
  });

  it('has DNS events resolving api.openai.com and flows that name it', () => {
    const answers = events.filter((e) => JSON.stringify(e.l7 ?? null).includes('"query":"api.openai.com."') && (e.l7 as Json).type === 'RESPONSE');
    expect(answers.length).toBeGreaterThan(0);
    expect(((answers[0]?.l7 as Json).dns as Json).ips).toEqual(['162.159.140.245', '172.66.0.243']);
    expect(events.some((e) => JSON.stringify(e.destination_names) === '["api.openai.com"]')).toBe(true);
  });

  it('marks replies, SYNs and internet peers as Hubble does', () => {
    expect(events.some((e) => e.is_reply === true)).toBe(true);
    expect(events.some((e) => JSON.stringify(e.l4).includes('"SYN":true') && e.verdict === 'FORWARDED')).toBe(true);
    expect(events.some((e) => JSON.stringify((e.source as Json).labels) === '["reserved:world"]')).toBe(true);
    expect(events.some((e) => e.Type === 'L7' && JSON.stringify(e.l7 ?? null).includes('"http"'))).toBe(true);
  });

  it('parses with zero errors', () => {
    const result = parseFlowBatch(lines, { clusterId: 'prod-west', format: 'hubble' });
    expect(result.errors).toEqual([]);
    expect(result.flows.length).toBeGreaterThan(0);
  });
});

describe('inventory', () => {
  const list = buildInventory(buildTopology('42', 'prod-east'), ANCHOR_MS - 7 * DAY_MS);
  const items = list.items as Json[];
  const meta = (item: Json): Json => item.metadata as Json;

  it('is a v1 List with the llm namespace and no NetworkPolicy in it', () => {
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(items.some((i) => i.kind === 'Namespace' && meta(i).name === 'llm')).toBe(true);
    const policies = items.filter((i) => i.kind === 'NetworkPolicy');
    expect(policies.length).toBeGreaterThan(5);
    expect(policies.filter((p) => meta(p).namespace === 'llm')).toEqual([]);
    expect(policies.some((p) => meta(p).namespace === 'payments' && meta(p).name === 'default-deny')).toBe(true);
  });

  it('labels data/postgres as PII and resolves pod → ReplicaSet → Deployment', () => {
    const postgres = items.find((i) => i.kind === 'StatefulSet' && meta(i).namespace === 'data' && meta(i).name === 'postgres');
    expect((meta(postgres ?? {}).labels as Json)['data-classification']).toBe('pii');
    const pod = items.find((i) => i.kind === 'Pod' && String(meta(i).name).startsWith('rag-api-'));
    const owner = (meta(pod ?? {}).ownerReferences as Json[])[0];
    expect(owner?.kind).toBe('ReplicaSet');
    const replicaSet = items.find((i) => i.kind === 'ReplicaSet' && meta(i).name === owner?.name);
    expect((meta(replicaSet ?? {}).ownerReferences as Json[])[0]).toMatchObject({ kind: 'Deployment', name: 'rag-api' });
    const vllm = items.find((i) => i.kind === 'Deployment' && meta(i).name === 'vllm');
    expect(JSON.stringify(vllm)).toContain('vllm/vllm-openai:v0.6.3');
    expect(JSON.stringify(vllm)).toContain('nvidia.com/gpu');
  });
});

describe('diurnal curve', () => {
  it('peaks in the afternoon, is quiet at night and averages about 1 over a week', () => {
    const timeline = buildTimeline('42', ANCHOR_MS);
    const dayStart = Math.floor(ANCHOR_MS / DAY_MS) * DAY_MS;
    expect(diurnalFactor(timeline, dayStart + 15 * HOUR_MS)).toBeGreaterThan(1.4);
    expect(diurnalFactor(timeline, dayStart + 3 * HOUR_MS)).toBeLessThan(0.6);
    let sum = 0;
    const steps = 7 * 24;
    for (let h = 0; h < steps; h++) sum += diurnalFactor(timeline, dayStart + h * HOUR_MS);
    expect(sum / steps).toBeCloseTo(1, 1);
  });
});

/**
 * One cluster's posture for one UTC day, from the database: the inventory snapshot in force that day
 * (→ coverage, sensitive stores), that day's daily rollup (→ traffic, denied flows, GenAI edges),
 * the GenAI findings (core/genai classify → paths → findings) and the previous snapshots (→ denied
 * baseline); then `computePostureScore`. Shared by the collector's posture job, the app (a missing
 * today's snapshot is computed on demand) and the tests, so it is not server-only.
 */
import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';
import type { EndpointKind } from '../../../core/flow/types';
import {
  classifyGenAi,
  defaultGenAiRules,
  detectGenAiFindings,
  findGenAiPaths,
  GENAI_STORE_ROLES,
  isSensitive,
  parseGenAiRules,
  type GenAiExternalPeer,
  type GenAiFinding,
  type GenAiRule,
  type GenAiSeverity,
  type ObservedEdge,
} from '../../../core/genai';
import { endpointGraphNodeId } from '../../../core/graph/build-service-graph';
import { buildInventory, type Inventory } from '../../../core/inventory';
import { computeCoverage, type Coverage } from '../../../core/policy';
import { computePostureScore, type PostureInputs, type PostureScore, type PostureTraffic } from '../../../core/posture';
import { edgeEnds, mergeObservedEdges, queryWorkloadEdgeRecords, type EdgeEnd, type WorkloadEdgeRecord } from '../workload-edges';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The denied-flow baseline is the mean of up to this many previous days. */
const BASELINE_DAYS = 7;
/** Findings kept per snapshot (the counts keep them all). */
const MAX_STORED_FINDINGS = 25;

export interface StoredFinding {
  id: string;
  kind: GenAiFinding['kind'];
  severity: GenAiSeverity;
  title: string;
  explanation: string;
  nodeIds: string[];
}

export interface SnapshotFindings {
  counts: Record<GenAiSeverity, number>;
  items: StoredFinding[];
}

/**
 * Bump when what a snapshot computes changes (scoring, GenAI detection): the posture job then
 * recomputes the stored days, so a trend never compares days scored two ways.
 * 2: metrics scrapers raise no exposure findings.
 */
const POSTURE_METHOD_VERSION = 2;

/** The version and the default rules, serialised once (the posture job asks for every day it computes). */
const BUILT_IN_METHOD = JSON.stringify([POSTURE_METHOD_VERSION, defaultGenAiRules]);

/**
 * The method a snapshot is computed with: {@link POSTURE_METHOD_VERSION} and every GenAI
 * classification rule, the defaults and the admin's. A snapshot of another method is recomputed.
 */
export function postureMethod(customRules: readonly GenAiRule[]): string {
  return createHash('sha256').update(BUILT_IN_METHOD).update(JSON.stringify(customRules)).digest('hex').slice(0, 16);
}

/** What `components` holds (versioned: readers skip rows of an unknown version). */
export interface SnapshotDetails {
  version: 1;
  posture: PostureScore;
  /** Days of traffic the snapshot covers (< 1 for today or a day where data started late). */
  trafficDays: number;
  allowedFlows: number;
  deniedFlows: number;
  /** The day's rollup flow count when computed: the posture job recomputes the day when it grows (late data). */
  rollupFlows: number;
  /** {@link postureMethod} when computed (absent before it was recorded: such a day is recomputed). */
  method?: string;
  workloads: number;
  inventoryTakenAtMs: number | null;
  genAiPaths: number;
}

export interface DaySnapshot {
  clusterId: number;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  score: number;
  details: SnapshotDetails;
  coveragePct: number | null;
  deniedFlows: number;
  findings: SnapshotFindings;
  computedAtMs: number;
}

export interface ComputeDaySnapshotOptions {
  clusterId: number;
  clusterName: string;
  /** Start of the UTC day. */
  dayStartMs: number;
  nowMs: number;
  /** Admin GenAI rules; read from `genai_rule_sets` when omitted. */
  rules?: readonly GenAiRule[];
}

export const dayText = (dayStartMs: number): string => new Date(dayStartMs).toISOString().slice(0, 10);

// ------------------------------------------------------------------------------------------------
// Inventory in force (parsed once per snapshot id: a snapshot never changes).

interface ParsedInventory {
  id: string;
  takenAtMs: number;
  inventory: Inventory;
  coverage: Coverage;
}
const inventoryCache = new Map<string, Promise<ParsedInventory>>();
const MAX_CACHED_INVENTORIES = 8;

/** The snapshot taken last before the day ends; before any snapshot, the earliest one (the best guess). */
async function inventoryInForce(sql: Sql, clusterId: number, dayEndMs: number): Promise<ParsedInventory | null> {
  const [row] = await sql<{ id: string; takenAt: Date }[]>`
    (select id, taken_at as "takenAt", 0 as rank from inventory_snapshots
      where cluster_id = ${clusterId} and taken_at < ${new Date(dayEndMs)} order by taken_at desc, created_at desc limit 1)
    union all
    (select id, taken_at as "takenAt", 1 as rank from inventory_snapshots
      where cluster_id = ${clusterId} order by taken_at asc, created_at asc limit 1)
    order by rank limit 1`;
  if (!row) return null;
  let parsed = inventoryCache.get(row.id);
  if (!parsed) {
    parsed = (async () => {
      const [objectsRow] = await sql<{ objects: unknown }[]>`select objects from inventory_snapshots where id = ${row.id}`;
      const { inventory } = buildInventory(Array.isArray(objectsRow?.objects) ? objectsRow.objects : []);
      return { id: row.id, takenAtMs: row.takenAt.getTime(), inventory, coverage: computeCoverage(inventory) };
    })();
    inventoryCache.set(row.id, parsed);
    parsed.catch(() => inventoryCache.delete(row.id));
    while (inventoryCache.size > MAX_CACHED_INVENTORIES) {
      const oldest = inventoryCache.keys().next().value;
      if (oldest === undefined) break;
      inventoryCache.delete(oldest);
    }
  }
  return parsed;
}

/** The admin's GenAI rules; invalid or missing rows mean the built-in rules only. */
export async function loadStoredGenAiRules(sql: Sql): Promise<readonly GenAiRule[]> {
  const [row] = await sql<{ rules: unknown }[]>`select rules from genai_rule_sets where id = 'default'`.catch(() => []);
  if (!row) return [];
  const parsed = parseGenAiRules(row.rules);
  return parsed.ok ? parsed.rules : [];
}

// ------------------------------------------------------------------------------------------------
// Traffic of the day.

const isWorkloadEnd = (end: EdgeEnd): boolean => (end.kind === 'workload' || end.kind === 'pod') && end.namespace !== null;

function nodeIdOf(cluster: string, end: EdgeEnd): string {
  return endpointGraphNodeId(cluster, { kind: end.kind as EndpointKind, namespace: end.namespace, name: end.name, workloadKind: null, pod: null, ip: end.ip, domain: end.domain, serviceName: null }, 'workload');
}

/** The traffic, GenAI edges and external peers of the day, from the edge records. */
export function shapeDayTraffic(cluster: string, records: readonly WorkloadEdgeRecord[]): { traffic: PostureTraffic[]; edges: ObservedEdge[]; peers: GenAiExternalPeer[] } {
  const traffic: PostureTraffic[] = [];
  const peers = new Map<string, GenAiExternalPeer>();
  const posture = (end: EdgeEnd) => ({
    namespace: isWorkloadEnd(end) ? end.namespace : null,
    name: isWorkloadEnd(end) ? end.name : (end.domain ?? end.ip ?? end.name),
    external: end.kind === 'external',
  });
  const edges = mergeObservedEdges(records, (record) => {
    const [source, destination] = edgeEnds(record);
    const sourceNodeId = nodeIdOf(cluster, source);
    const destinationNodeId = nodeIdOf(cluster, destination);
    for (const [end, id] of [
      [source, sourceNodeId],
      [destination, destinationNodeId],
    ] as const) {
      if (!isWorkloadEnd(end) && !peers.has(id)) peers.set(id, { id, ...(end.domain ? { domain: end.domain } : {}), ...(end.kind === 'external' && !end.domain && end.ip ? { ip: end.ip } : {}) });
    }
    traffic.push({ source: posture(source), destination: posture(destination), verdict: record.verdict, policyKey: record.policyKey, flows: record.flows, bytesOut: record.bytesOut });
    return { source: sourceNodeId, destination: destinationNodeId, group: cluster };
  });
  return { traffic, edges: edges.get(cluster) ?? [], peers: [...peers.values()] };
}

// ------------------------------------------------------------------------------------------------

/** Workload name from a connlist peer `namespace/name[Kind]`. */
function peerWorkloadName(peer: string, namespace: string): string {
  return peer.slice(namespace.length + 1).replace(/\[[^\]]*\]$/, '');
}

/**
 * Computes (does not store) one cluster's snapshot for one UTC day, from the rollup stores: fold pending
 * batches first (lib/db/compact-rollups) when the newest flows must count.
 */
export async function computeDaySnapshot(sql: Sql, options: ComputeDaySnapshotOptions): Promise<DaySnapshot> {
  const { clusterId, clusterName, dayStartMs, nowMs } = options;
  const dayEndMs = dayStartMs + DAY_MS;
  const windowEndMs = Math.min(dayEndMs, Math.max(nowMs, dayStartMs + 60_000));
  const [inventory, records, firstBucket, previous, rules] = await Promise.all([
    inventoryInForce(sql, clusterId, dayEndMs),
    // The day's one daily bucket (up to 24× fewer rows than its hours).
    queryWorkloadEdgeRecords(sql, { table: 'edge_rollup_1d_store', from: new Date(dayStartMs), to: new Date(dayEndMs), clusterIds: [clusterId] }),
    // The day's flow count from the daily rollup: the posture job compares against the same store.
    sql<{ first: Date | null; flows: number | null }[]>`
      select (select min(bucket) from edge_rollup_1h_store where cluster_id = ${clusterId} and bucket >= ${new Date(dayStartMs)} and bucket < ${new Date(dayEndMs)}) as first,
             (select sum(flows)::float8 from edge_rollup_1d_store where cluster_id = ${clusterId} and bucket = ${new Date(dayStartMs)}) as flows`,
    sql<{ deniedFlows: number; trafficDays: number | null }[]>`
      select denied_flows::float8 as "deniedFlows", (components->>'trafficDays')::float8 as "trafficDays"
      from posture_snapshots
      where cluster_id = ${clusterId} and day < ${dayText(dayStartMs)}::date and day >= ${dayText(dayStartMs - BASELINE_DAYS * DAY_MS)}::date`,
    options.rules ? Promise.resolve(options.rules) : loadStoredGenAiRules(sql),
  ]);
  // A day whose data starts late (the first day of history) counts only the hours it has.
  const startMs = Math.max(dayStartMs, firstBucket[0]?.first?.getTime() ?? dayStartMs);
  const trafficDays = Math.max(1 / 24, Math.min(1, (windowEndMs - startMs) / DAY_MS));
  const baselineDays = previous.reduce((sum, row) => sum + (row.trafficDays ?? 1), 0);
  const deniedFlowsBaselinePerDay = baselineDays >= 0.5 ? previous.reduce((sum, row) => sum + row.deniedFlows, 0) / baselineDays : null;

  const { traffic, edges, peers } = shapeDayTraffic(clusterName, records);
  const emptyInventory: Inventory = { namespaces: [], pods: [], workloads: [], services: [], networkPolicies: [], adminNetworkPolicies: [], baselineAdminNetworkPolicies: [], exposures: [] };
  const coverage = inventory?.coverage ?? { workloads: [], namespaces: [] };
  const { nodes } = classifyGenAi({ inventory: inventory?.inventory ?? emptyInventory, clusterId: clusterName, externalPeers: peers, edges, rules: [...rules] });
  const { paths } = findGenAiPaths({ nodes, edges });
  const { findings } = detectGenAiFindings({ nodes, edges, ...(inventory ? { coverage } : {}) });

  // By namespace/name: GenAI nodes and coverage peers may spell the workload kind differently.
  const ingressGoverned = new Map(coverage.workloads.map((workload) => [`${workload.namespace}/${peerWorkloadName(workload.peer, workload.namespace)}`, workload.ingress.governed]));
  const stores = nodes
    .filter((node) => node.kind === 'workload' && node.namespace !== undefined && node.roles.some((role) => GENAI_STORE_ROLES.includes(role.role)) && isSensitive(node.sensitivity))
    .map((node) => ({
      namespace: node.namespace as string,
      name: node.name,
      sensitivity: node.sensitivity && node.sensitivity.tags.length > 0 ? node.sensitivity.tags.join(', ') : (node.sensitivity?.level ?? 'sensitive'),
      ingressGoverned: ingressGoverned.get(`${node.namespace}/${node.name}`) ?? false,
    }));

  const inputs: PostureInputs = {
    clusterName,
    inventoryKnown: inventory !== null,
    workloads: coverage.workloads.map((workload) => ({
      namespace: workload.namespace,
      name: peerWorkloadName(workload.peer, workload.namespace),
      ingressGoverned: workload.ingress.governed,
      egressGoverned: workload.egress.governed,
    })),
    namespaces: coverage.namespaces.map((namespace) => ({ namespace: namespace.namespace, defaultDenyIngress: namespace.hasDefaultDenyIngress, defaultDenyEgress: namespace.hasDefaultDenyEgress })),
    traffic,
    trafficDays,
    deniedFlowsBaselinePerDay,
    stores,
    findings: findings.map((finding) => ({ id: finding.id, kind: finding.kind, severity: finding.severity, title: finding.title, nodeIds: [...finding.path] })),
  };
  const posture = computePostureScore(inputs);
  const counts: Record<GenAiSeverity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  const deniedFlows = traffic.filter((row) => row.verdict === 'denied').reduce((sum, row) => sum + row.flows, 0);
  const allowedFlows = traffic.filter((row) => row.verdict === 'allowed').reduce((sum, row) => sum + row.flows, 0);
  const coverageComponent = posture.components.find((component) => component.id === 'workload-coverage');
  return {
    clusterId,
    day: dayText(dayStartMs),
    score: posture.score,
    details: {
      version: 1,
      posture,
      trafficDays: Math.round(trafficDays * 1000) / 1000,
      allowedFlows,
      deniedFlows,
      rollupFlows: firstBucket[0]?.flows ?? 0,
      method: postureMethod(rules),
      workloads: inputs.workloads.length,
      inventoryTakenAtMs: inventory?.takenAtMs ?? null,
      genAiPaths: paths.length,
    },
    coveragePct: coverageComponent?.known ? (coverageComponent.figures.coveragePct ?? null) : null,
    deniedFlows,
    findings: {
      counts,
      items: findings.slice(0, MAX_STORED_FINDINGS).map((finding) => ({ id: finding.id, kind: finding.kind, severity: finding.severity, title: finding.title, explanation: finding.explanation, nodeIds: [...finding.path] })),
    },
    computedAtMs: nowMs,
  };
}

/** Stores a snapshot, replacing the day's previous one (idempotent). */
export async function upsertDaySnapshot(sql: Sql, snapshot: DaySnapshot): Promise<void> {
  await sql`
    insert into posture_snapshots (cluster_id, day, score, components, coverage_pct, denied_flows, findings, computed_at)
    values (${snapshot.clusterId}, ${snapshot.day}::date, ${snapshot.score}, ${sql.json(snapshot.details as never)}, ${snapshot.coveragePct},
            ${Math.round(snapshot.deniedFlows)}, ${sql.json(snapshot.findings as never)}, ${new Date(snapshot.computedAtMs)})
    on conflict (cluster_id, day) do update set
      score = excluded.score, components = excluded.components, coverage_pct = excluded.coverage_pct,
      denied_flows = excluded.denied_flows, findings = excluded.findings, computed_at = excluded.computed_at`;
}

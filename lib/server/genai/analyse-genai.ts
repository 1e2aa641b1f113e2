import 'server-only';
import type { Sql } from 'postgres';
import {
  classifyGenAi,
  detectGenAiFindings,
  findGenAiPaths,
  isSensitive,
  type DailyEgress,
  type GenAiFinding,
  type GenAiNode,
  type GenAiPath,
  type GenAiRule,
  type ObservedEdge,
} from '@/core/genai';
import { workloadPeerName } from '@/core/policy';
import type { Inventory } from '@/core/inventory';
import type { Coverage } from '@/core/policy';
import { getDataScope, selectClustersInScope, isNamespaceVisible, type DataScope } from '../auth/data-scope';
import type { Session } from '../auth/get-session';
import { getSql } from '../db';
import { graphWindow } from '../graph/graph-window';
import { latestInventories, type ClusterInventory } from '../graph/latest-inventories';
import { loadGenAiRules } from './genai-rules-store';
import { queryDailyEgress, queryGenAiEdges, type ClusterEdges } from './query-genai-edges';

const DAY_MS = 24 * 3_600_000;
/** "New edge into a sensitive store" compares against this much history before the window. */
export const PREVIOUS_WINDOW_MS = 7 * DAY_MS;
/** Windows are cached per minute bucket for this long: pages fire several GenAI requests at once. */
const CACHE_TTL_MS = 30_000;
const MAX_CACHE_ENTRIES = 32;

export interface GenAiAnalysisQuery {
  /** Cluster names; empty = every cluster in the caller's scope. */
  clusters: readonly string[];
  fromMs: number;
  toMs: number;
}

export interface ClusterAnalysis {
  clusterId: number;
  cluster: string;
  inventoryTakenAtMs: number | null;
  nodes: readonly GenAiNode[];
  edges: readonly ObservedEdge[];
  paths: readonly GenAiPath[];
  truncated: boolean;
  findings: readonly GenAiFinding[];
  coverage: Coverage | null;
}

export interface GenAiAnalysis {
  generatedAtMs: number;
  fromMs: number;
  toMs: number;
  rollup: '1m' | '1h';
  clusters: readonly ClusterAnalysis[];
  /** Every node by id across clusters. */
  nodeById: ReadonlyMap<string, GenAiNode>;
}

export interface AnalyseGenAiInputs {
  cluster: string;
  inventory: Inventory;
  coverage: Coverage | null;
  edges: readonly ObservedEdge[];
  externalPeers: readonly { id: string; domain?: string; ip?: string }[];
  rules: readonly GenAiRule[];
}

/** The pure part for one cluster: classify → paths → findings (no previous/daily inputs). Exposed for the benchmark. */
export function classifyAndFindPaths(inputs: AnalyseGenAiInputs): { nodes: readonly GenAiNode[]; paths: readonly GenAiPath[]; truncated: boolean } {
  const { nodes } = classifyGenAi({ inventory: inputs.inventory, clusterId: inputs.cluster, externalPeers: inputs.externalPeers, edges: inputs.edges, rules: inputs.rules });
  const { paths, truncated } = findGenAiPaths({ nodes, edges: inputs.edges });
  return { nodes, paths, truncated };
}

const cache = new Map<string, { expiresMs: number; value: Promise<GenAiAnalysis> }>();

function scopeKey(scope: DataScope): string {
  return JSON.stringify([scope.clusterIds, scope.namespaces ? [...scope.namespaces.entries()].map(([id, set]) => [id, [...set].sort()]) : null]);
}

/** The inventory restricted to namespaces the caller may see: classification must not reveal hidden workloads. */
function scopedInventory(inventory: Inventory, scope: DataScope, clusterId: number): Inventory {
  if (scope.namespaces === null) return inventory;
  const visible = (namespace: string): boolean => isNamespaceVisible(scope, clusterId, namespace);
  return {
    ...inventory,
    namespaces: inventory.namespaces.filter((namespace) => visible(namespace.name)),
    pods: inventory.pods.filter((pod) => visible(pod.namespace)),
    workloads: inventory.workloads.filter((workload) => visible(workload.namespace)),
    services: inventory.services.filter((service) => visible(service.namespace)),
  };
}

const EMPTY_INVENTORY: Inventory = { namespaces: [], pods: [], workloads: [], services: [], networkPolicies: [], adminNetworkPolicies: [], baselineAdminNetworkPolicies: [], exposures: [] };

/**
 * The GenAI analysis of a window for the caller: per cluster in scope, the latest inventory
 * (`inventory_snapshots` → `buildInventory`), observed workload-level edges from the rollups (1m up to
 * 6 h, 1h beyond), the external peers seen, coverage, the previous 7 days' edges into sensitive stores
 * and per-day egress to external LLM APIs; then core's classify → paths → findings. Cached briefly per
 * (scope, clusters, snapshot ids, rules version, minute bucket of the window).
 */
export async function analyseGenAi(session: Session, query: GenAiAnalysisQuery, options: { sql?: Sql; nowMs?: number } = {}): Promise<GenAiAnalysis> {
  const sql = options.sql ?? getSql();
  const scope = await getDataScope(session);
  const selected = await selectClustersInScope(sql, scope, query.clusters);
  const clusterIds = selected.map((cluster) => cluster.id);
  const [inventories, stored] = await Promise.all([clusterIds.length > 0 ? latestInventories(sql, clusterIds) : Promise.resolve([]), loadGenAiRules()]);

  const bucketMs = 60_000;
  const fromMs = Math.floor(query.fromMs / bucketMs) * bucketMs;
  const toMs = Math.ceil(query.toMs / bucketMs) * bucketMs;
  const key = JSON.stringify([scopeKey(scope), clusterIds, inventories.map((entry) => entry.snapshotId), stored.version, fromMs, toMs]);
  const nowMs = options.nowMs ?? Date.now();
  const cached = cache.get(key);
  if (cached && cached.expiresMs > nowMs) return cached.value;
  const value = computeAnalysis(sql, { scope, selected, inventories, rules: stored.rules, fromMs, toMs, nowMs });
  cache.set(key, { expiresMs: nowMs + CACHE_TTL_MS, value });
  value.catch(() => cache.delete(key));
  for (const [entryKey, entry] of cache) {
    if (cache.size <= MAX_CACHE_ENTRIES && entry.expiresMs > nowMs) break;
    cache.delete(entryKey);
  }
  return value;
}

interface ComputeInputs {
  scope: DataScope;
  selected: readonly { id: number; name: string }[];
  inventories: readonly ClusterInventory[];
  rules: readonly GenAiRule[];
  fromMs: number;
  toMs: number;
  nowMs: number;
}

async function computeAnalysis(sql: Sql, inputs: ComputeInputs): Promise<GenAiAnalysis> {
  const { scope, selected, inventories, rules, fromMs, toMs } = inputs;
  const clusterIds = selected.map((cluster) => cluster.id);
  const clusterNames = new Map(selected.map((cluster) => [cluster.id, cluster.name]));
  const window = graphWindow(fromMs, toMs);
  const current = await queryGenAiEdges(sql, { table: window.table, from: window.from, to: window.to, clusterIds, scope, clusterNames });

  // First pass per cluster: classify and find paths over the window's edges.
  const partial = selected.map((cluster) => {
    const inventoryEntry = inventories.find((entry) => entry.clusterId === cluster.id);
    const edges: ClusterEdges = current.get(cluster.id) ?? { clusterId: cluster.id, cluster: cluster.name, edges: [], peers: new Map() };
    const inventory = inventoryEntry ? scopedInventory(inventoryEntry.inventory, scope, cluster.id) : EMPTY_INVENTORY;
    const { nodes, paths, truncated } = classifyAndFindPaths({
      cluster: cluster.name,
      inventory,
      coverage: inventoryEntry?.coverage ?? null,
      edges: edges.edges,
      externalPeers: [...edges.peers.values()].map((peer) => ({ id: peer.id, ...(peer.domain ? { domain: peer.domain } : {}), ...(peer.ip ? { ip: peer.ip } : {}) })),
      rules,
    });
    return { cluster, inventoryEntry, edges: edges.edges, nodes, paths, truncated };
  });

  // Second: history the findings compare against, narrowed to what the first pass found relevant.
  const sensitiveStores = new Set<string>();
  const llmDomains = new Set<string>();
  for (const entry of partial) {
    for (const node of entry.nodes) {
      if (node.kind === 'workload' && node.namespace && isSensitive(node.sensitivity)) sensitiveStores.add(`${node.namespace}/${node.name}`);
      if (node.domain && node.roles.some((assignment) => assignment.role === 'external-llm-api')) llmDomains.add(node.domain);
    }
  }
  const previousFrom = new Date(Math.floor((fromMs - PREVIOUS_WINDOW_MS) / 3_600_000) * 3_600_000);
  const baselineFrom = new Date(Math.floor(toMs / DAY_MS) * DAY_MS - PREVIOUS_WINDOW_MS);
  const [previous, daily, withHistory] = await Promise.all([
    sensitiveStores.size > 0
      ? queryGenAiEdges(sql, { table: 'edge_rollup_1h', from: previousFrom, to: new Date(fromMs), clusterIds, scope, clusterNames, allowedOnly: true, destinationWorkloads: [...sensitiveStores] })
      : Promise.resolve(new Map<number, ClusterEdges>()),
    llmDomains.size > 0
      ? queryDailyEgress(sql, { table: 'edge_rollup_1h', from: baselineFrom, to: new Date(toMs), clusterIds, scope, clusterNames, destinationDomains: [...llmDomains] })
      : Promise.resolve([]),
    // Clusters with any traffic recorded before the window: without history every edge would look "new".
    sql<{ clusterId: number }[]>`
      select c as "clusterId" from unnest(${clusterIds}::int[]) c
      where exists (select 1 from edge_rollup_1h r where r.cluster_id = c and r.bucket >= ${previousFrom} and r.bucket < ${new Date(fromMs)})`,
  ]);
  const hasHistory = new Set(withHistory.map((row) => row.clusterId));

  const nodeById = new Map<string, GenAiNode>();
  const clusters: ClusterAnalysis[] = partial.map((entry) => {
    for (const node of entry.nodes) nodeById.set(node.id, node);
    const dailyEgress: DailyEgress[] = daily
      .filter((row) => row.clusterId === entry.cluster.id)
      .map((row) => ({ sourceNodeId: row.sourceNodeId, destinationNodeId: row.destinationNodeId, dayStartMs: row.dayStartMs, bytesOut: row.bytesOut }));
    const { findings } = detectGenAiFindings({
      nodes: entry.nodes,
      edges: entry.edges,
      ...(entry.inventoryEntry ? { coverage: entry.inventoryEntry.coverage } : {}),
      ...(hasHistory.has(entry.cluster.id) ? { previousEdges: previous.get(entry.cluster.id)?.edges ?? [] } : {}),
      dailyEgress,
      evaluatedDayStartMs: Math.floor(toMs / DAY_MS) * DAY_MS,
    });
    return {
      clusterId: entry.cluster.id,
      cluster: entry.cluster.name,
      inventoryTakenAtMs: entry.inventoryEntry?.takenAtMs ?? null,
      nodes: entry.nodes,
      edges: entry.edges,
      paths: entry.paths,
      truncated: entry.truncated,
      findings,
      coverage: entry.inventoryEntry?.coverage ?? null,
    };
  });
  return { generatedAtMs: inputs.nowMs, fromMs, toMs, rollup: window.rollup, clusters, nodeById };
}

/** Coverage of a workload node (null for peers or without an inventory). */
export function coverageOf(analysis: ClusterAnalysis, node: GenAiNode): { ingress: boolean; egress: boolean } | null {
  if (!analysis.coverage || node.kind !== 'workload' || node.workloadKind === undefined || node.namespace === undefined) return null;
  const peer = workloadPeerName({ kind: node.workloadKind, namespace: node.namespace, name: node.name });
  const found = analysis.coverage.workloads.find((workload) => workload.peer === peer);
  return found ? { ingress: found.ingress.governed, egress: found.egress.governed } : null;
}

import 'server-only';
import type { Sql } from 'postgres';
import { parsePolicyHitKey } from '@/core/flow/deciding-policy';
import type { PolicyHit, Verdict } from '@/core/flow/types';
import { describePolicyHit, nodePairEdgeId, workloadDisplayName } from '@/core/graph';
import {
  resolveGraphWindow,
  type EdgeDetailDto,
  type EdgeDetailRequest,
  type EdgePortBreakdownDto,
  type EvidenceFlowDto,
  type PolicyTraceLineDto,
} from '../../api/graph';
import { FULL_SCOPE, isNamespaceVisible, type DataScope } from '../auth/data-scope';
import { getSql } from '../db';
import { AppError } from '../errors';
import { clusterOfNodeIdOrThrow, listClusters } from './get-graph';
import { findNodeEndpoints } from './find-node-endpoints';
import { graphQueryWindow } from './graph-window';
import { queryGraphRows } from './query-graph-rows';

/** Evidence flows per edge: the newest ones are what an analyst opens; the flow explorer has the rest. */
export const EVIDENCE_LIMIT = 20;

interface EvidenceRecord {
  id: string;
  startTime: Date;
  endTime: Date;
  sourceNamespace: string | null;
  sourceName: string;
  sourcePod: string | null;
  sourceIp: string | null;
  destinationNamespace: string | null;
  destinationName: string;
  destinationPod: string | null;
  destinationIp: string | null;
  destinationDomain: string | null;
  port: number | null;
  protocol: string;
  verdict: Verdict;
  reporter: string;
  policyTrace: PolicyHit[] | null;
  pendingTrace: PolicyHit[] | null;
  dropReason: string | null;
  bytesOut: number;
  bytesIn: number;
  format: string;
}

/** The namespace a node id is in (null for peers outside namespaces: external, hosts, network sets). */
export function nodeNamespace(nodeId: string): string | null {
  const [, namespace, kind] = nodeId.split('/');
  return namespace && namespace !== '-' && (kind === 'namespace' || kind === 'workload' || kind === 'pod') ? namespace : null;
}

const hitVerdict = (hit: PolicyHit): Verdict => (hit.action === 'deny' ? 'denied' : 'allowed');

/**
 * One edge (a node pair) in a window: per-port breakdown and verdict split from the rollup, each deciding
 * policy in words, and the newest raw flows as evidence (raw flows only for this edge, bounded).
 */
export async function getEdgeDetail(request: EdgeDetailRequest, options: { nowMs?: number; sql?: Sql; scope?: DataScope } = {}): Promise<EdgeDetailDto> {
  const sql = options.sql ?? getSql();
  const scope = options.scope ?? FULL_SCOPE;
  const nowMs = options.nowMs ?? Date.now();
  const { fromMs, toMs } = resolveGraphWindow(request, nowMs);
  const clusters = await listClusters(sql);
  const cluster = clusterOfNodeIdOrThrow(clusters, request.source);
  if (clusterOfNodeIdOrThrow(clusters, request.target).id !== cluster.id) throw new AppError('bad_request', 'An edge joins two nodes of one cluster.');
  // Both ends must be in the user's scope: the details (evidence, IPs) of the other end are not theirs to see.
  for (const nodeId of [request.source, request.target]) {
    if (!isNamespaceVisible(scope, cluster.id, nodeNamespace(nodeId))) throw new AppError('not_found', `${nodeId} is outside your scope.`);
  }
  const [sources, targets] = await Promise.all([findNodeEndpoints(sql, cluster.id, request.source), findNodeEndpoints(sql, cluster.id, request.target)]);
  if (sources.length === 0 || targets.length === 0) throw new AppError('not_found', `No endpoints behind ${sources.length === 0 ? request.source : request.target}.`);
  const sourceIds = sources.map((endpoint) => endpoint.id);
  const destinationIds = targets.map((endpoint) => endpoint.id);

  const window = graphQueryWindow(fromMs, toMs, nowMs);
  const rows = await queryGraphRows(sql, { window, clusterIds: [cluster.id], namespaces: [], verdict: request.verdict, withPods: false, sourceIds, destinationIds, scope });

  const ports = new Map<string, EdgePortBreakdownDto>();
  const policies = new Map<string, PolicyTraceLineDto>();
  const totals = { flows: 0, connections: 0, bytesOut: 0, bytesIn: 0, allowedFlows: 0, deniedFlows: 0, pendingDeniedFlows: 0 };
  for (const row of rows) {
    const portKey = `${row.port}/${row.protocol}`;
    const port = ports.get(portKey) ?? { port: row.port, protocol: row.protocol, flows: 0, connections: 0, bytesOut: 0, bytesIn: 0, allowedFlows: 0, deniedFlows: 0 };
    port.flows += row.flows;
    port.connections += row.connections;
    port.bytesOut += row.bytesOut;
    port.bytesIn += row.bytesIn;
    if (row.verdict === 'denied') port.deniedFlows += row.flows;
    else port.allowedFlows += row.flows;
    ports.set(portKey, port);
    const policyKey = `${row.verdict}|${row.policyKey}|${row.pendingVerdict}`;
    const policy = policies.get(policyKey) ?? {
      key: row.policyKey,
      verdict: row.verdict,
      text: describePolicyHit(parsePolicyHitKey(row.policyKey), row.verdict),
      flows: 0,
      pendingVerdict: row.pendingVerdict === '' ? null : row.pendingVerdict,
    };
    policy.flows += row.flows;
    policies.set(policyKey, policy);
    totals.flows += row.flows;
    totals.connections += row.connections;
    totals.bytesOut += row.bytesOut;
    totals.bytesIn += row.bytesIn;
    if (row.verdict === 'denied') totals.deniedFlows += row.flows;
    else totals.allowedFlows += row.flows;
    if (row.pendingVerdict === 'denied') totals.pendingDeniedFlows += row.flows;
  }

  const verdictFilter = request.verdict === 'all' ? sql`` : sql`and f.verdict = ${request.verdict}`;
  const evidence = await sql<EvidenceRecord[]>`
    select f.id::text as id, f.start_time as "startTime", f.end_time as "endTime",
           s.namespace as "sourceNamespace", s.name as "sourceName", s.pod as "sourcePod", s.ip as "sourceIp",
           d.namespace as "destinationNamespace", d.name as "destinationName", d.pod as "destinationPod", d.ip as "destinationIp", d.domain as "destinationDomain",
           f.dst_port as port, f.protocol, f.verdict, f.reporter, f.policy_trace as "policyTrace", f.pending_trace as "pendingTrace",
           f.drop_reason as "dropReason", f.bytes_out::float8 as "bytesOut", f.bytes_in::float8 as "bytesIn", f.format
    from flows f
    join endpoints s on s.cluster_id = f.cluster_id and s.id = f.src_id
    join endpoints d on d.cluster_id = f.cluster_id and d.id = f.dst_id
    where f.cluster_id = ${cluster.id} and f.start_time >= ${new Date(fromMs)} and f.start_time < ${new Date(toMs)}
      and f.src_id = any(${sourceIds}::bigint[]) and f.dst_id = any(${destinationIds}::bigint[]) ${verdictFilter}
    order by f.start_time desc
    limit ${EVIDENCE_LIMIT}`;

  const sortedPorts = [...ports.values()].sort((a, b) => b.flows - a.flows);
  const sourceFacts = sources[0]?.facts;
  const targetFacts = targets[0]?.facts;
  const flowsLink: Record<string, string> = { cluster: cluster.name, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  if (sourceFacts?.namespace) flowsLink.srcNamespace = sourceFacts.namespace;
  if (sourceFacts?.namespace && request.source.split('/')[2] !== 'namespace') flowsLink.srcWorkload = workloadDisplayName(sourceFacts.name);
  if (targetFacts?.namespace) flowsLink.dstNamespace = targetFacts.namespace;
  if (targetFacts?.namespace && request.target.split('/')[2] !== 'namespace') flowsLink.dstWorkload = workloadDisplayName(targetFacts.name);
  if (sortedPorts.length === 1 && sortedPorts[0]?.port !== null && sortedPorts[0]?.port !== undefined) flowsLink.port = String(sortedPorts[0].port);
  if (request.verdict !== 'all') flowsLink.verdict = request.verdict;
  else if (totals.deniedFlows > 0 && totals.allowedFlows === 0) flowsLink.verdict = 'denied';

  return {
    edgeId: nodePairEdgeId(request.source, request.target),
    source: request.source,
    target: request.target,
    fromMs,
    toMs,
    totals,
    ports: sortedPorts,
    policies: [...policies.values()].sort((a, b) => b.flows - a.flows),
    evidence: evidence.map(
      (record): EvidenceFlowDto => ({
        id: record.id,
        startMs: record.startTime.getTime(),
        endMs: record.endTime.getTime(),
        source: [record.sourceNamespace, record.sourcePod ?? record.sourceName].filter(Boolean).join('/'),
        destination: [record.destinationNamespace, record.destinationPod ?? record.destinationDomain ?? record.destinationName].filter(Boolean).join('/'),
        sourceIp: record.sourceIp,
        destinationIp: record.destinationIp,
        port: record.port,
        protocol: record.protocol,
        verdict: record.verdict,
        reporter: record.reporter,
        policyTrace: (record.policyTrace ?? []).map((hit) => describePolicyHit(hit, hitVerdict(hit))),
        pendingTrace: (record.pendingTrace ?? []).map((hit) => describePolicyHit(hit, hitVerdict(hit))),
        dropReason: record.dropReason,
        bytesOut: record.bytesOut,
        bytesIn: record.bytesIn,
        format: record.format,
      }),
    ),
    flowsLink,
  };
}

import 'server-only';
import type { Sql } from 'postgres';
import { describePolicyTrace } from '@/core/flow/describe-policy-trace';
import type { PolicyHit, Reporter } from '@/core/flow/types';
import { describeDecision, evaluateFlow } from '@/core/policy';
import type { FlowDetailDto, PolicyEngineExplanationDto } from '../../api/flows';
import { readRawLine } from '../../db/read-raw-line';
import { clusterInScope, edgeInScope, type DataScope } from '../auth/data-scope';
import { AppError } from '../errors';
import { latestInventories } from '../graph/latest-inventories';
import { flowRowColumns, flowRowFrom, toFlowRowDto, type FlowRowRecord } from './flow-row';

interface DetailRow extends FlowRowRecord {
  srcPort: number | null;
  policyTrace: PolicyHit[] | null;
  pendingTrace: PolicyHit[] | null;
  l7: unknown;
  tcpFlags: string | null;
  rawBatchId: string | null;
  rawLine: number | null;
  sLabels: Record<string, string>;
  dLabels: Record<string, string>;
}

const CONTEXT_MS = 15 * 60_000;

/**
 * One flow with everything the drawer shows: the canonical record, its original line, the trace in words,
 * and — when the cluster has an inventory with policies — what the policy engine computes for the same
 * connection now, flagged when it disagrees with what was observed. `startMs` finds the day partition.
 */
export async function getFlowDetail(sql: Sql, params: { clusterId: number; flowId: string; startMs: number }, scope: DataScope): Promise<FlowDetailDto> {
  const [row] = await sql<DetailRow[]>`
    select ${flowRowColumns(sql)}, f.src_port as "srcPort", f.policy_trace as "policyTrace", f.pending_trace as "pendingTrace", f.l7,
           f.tcp_flags as "tcpFlags", f.batch_id::text as "rawBatchId", f.raw_line as "rawLine", s.labels as "sLabels", d.labels as "dLabels"
    from ${flowRowFrom(sql)}
    where f.cluster_id = ${params.clusterId} and f.id = ${params.flowId}
      and f.start_time >= ${new Date(params.startMs)} and f.start_time < ${new Date(params.startMs + 1)}
      and ${clusterInScope(sql, scope, 'f.cluster_id')} and ${edgeInScope(sql, scope, 's', 'd')}`;
  if (!row) throw new AppError('not_found', 'No such flow in your scope (it may have aged out of retention).');
  const dto = toFlowRowDto(row, scope);
  const reporter = row.reporter as Reporter;
  const trace = describePolicyTrace(row.policyTrace, row.verdict, { reporter });
  const pendingTrace = row.pendingTrace && row.pendingTrace.length > 0 ? describePolicyTrace(row.pendingTrace, row.pendingVerdict === 'denied' ? 'denied' : 'allowed', { reporter }) : null;
  const rawLine = row.rawBatchId !== null && row.rawLine !== null ? await readRawLine(sql, row.clusterId, row.rawBatchId, row.rawLine).catch(() => null) : null;
  const record = {
    id: row.id,
    cluster: row.cluster,
    start: row.startTime.toISOString(),
    end: row.endTime.toISOString(),
    source: dto.source.masked ? dto.source : { ...dto.source, labels: row.sLabels },
    destination: dto.destination.masked ? dto.destination : { ...dto.destination, labels: row.dLabels },
    protocol: row.protocol,
    destinationPort: row.dstPort,
    sourcePort: row.srcPort,
    verdict: row.verdict,
    reporter: row.reporter,
    dropReason: row.dropReason,
    policyTrace: row.policyTrace ?? [],
    pendingTrace: row.pendingTrace ?? [],
    pendingVerdict: row.pendingVerdict,
    bytesOut: dto.bytesOut,
    bytesIn: dto.bytesIn,
    packetsOut: dto.packetsOut,
    packetsIn: dto.packetsIn,
    connections: dto.connections,
    countedInTotals: row.counted,
    l7: row.l7 ?? null,
    tcpFlags: row.tcpFlags ? row.tcpFlags.split(',') : [],
    format: row.format,
  };
  const masked = dto.source.masked || dto.destination.masked;
  const engine = masked ? null : await explainWithEngine(sql, row);
  const fromMs = dto.startMs - CONTEXT_MS;
  const toMs = dto.endMs + CONTEXT_MS;
  const namespaces = [...new Set([row.sNamespace, row.dNamespace].filter((value): value is string => !!value))];
  const graph = new URLSearchParams({ range: 'custom', from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), cluster: row.cluster, level: 'workload' });
  if (namespaces.length > 0) graph.set('ns', namespaces.join(','));
  if (!masked) {
    const nodeId = (kind: string, namespace: string | null, name: string) => `${row.cluster}/${namespace ?? '-'}/${kind}/${name}`;
    graph.set('edge', `${nodeId(row.sKind, row.sNamespace, row.sName)}->${nodeId(row.dKind, row.dNamespace, row.dName)}:*/*`);
  }
  const coverage = (namespace: string | null, name: string, visible: boolean) =>
    visible && namespace ? `/policies?${new URLSearchParams({ cluster: row.cluster, ns: namespace, workload: name })}` : null;
  return {
    row: dto,
    record,
    rawLine,
    trace,
    pendingTrace,
    engine,
    links: {
      graph: `/graph?${graph}`,
      sourceCoverage: coverage(row.sNamespace, row.sName, !dto.source.masked && (row.sKind === 'workload' || row.sKind === 'pod')),
      destinationCoverage: coverage(row.dNamespace, row.dName, !dto.destination.masked && (row.dKind === 'workload' || row.dKind === 'pod')),
    },
  };
}

async function explainWithEngine(sql: Sql, row: DetailRow): Promise<PolicyEngineExplanationDto | null> {
  const [latest] = await latestInventories(sql, [row.clusterId]);
  const policyCount = latest ? latest.inventory.networkPolicies.length + latest.inventory.adminNetworkPolicies.length + latest.inventory.baselineAdminNetworkPolicies.length : 0;
  if (!latest || policyCount === 0) return null;
  const endpoint = (kind: string, namespace: string | null, name: string, ip: string | null, labels: Record<string, string>) =>
    kind === 'workload' || kind === 'pod'
      ? { ...(namespace ? { namespace } : {}), workload: name, ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(ip ? { ip } : {}) }
      : { ...(ip ? { ip } : {}) };
  const base = { snapshotTakenAtMs: latest.takenAtMs };
  if (row.dstPort === null) return { ...base, verdict: null, explanation: 'The policy engine needs a port; this flow has none.', egress: null, ingress: null, mismatch: false, error: 'invalid-port' };
  const result = evaluateFlow(latest.inventory, {
    source: endpoint(row.sKind, row.sNamespace, row.sName, row.sIp, row.sLabels),
    destination: endpoint(row.dKind, row.dNamespace, row.dName, row.dIp, row.dLabels),
    protocol: row.protocol,
    port: row.dstPort,
  });
  if (!result.ok) return { ...base, verdict: null, explanation: result.error.message, egress: null, ingress: null, mismatch: false, error: result.error.kind };
  return {
    ...base,
    verdict: result.value.verdict,
    explanation: result.value.explanation,
    egress: describeDecision(result.value.egress),
    ingress: describeDecision(result.value.ingress),
    mismatch: result.value.verdict !== row.verdict,
    error: null,
  };
}

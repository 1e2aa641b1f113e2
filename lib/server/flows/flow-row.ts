import 'server-only';
import type { Sql } from 'postgres';
import { describePolicyTrace } from '@/core/flow/describe-policy-trace';
import { parsePolicyHitKey } from '@/core/flow/deciding-policy';
import type { Reporter, Verdict } from '@/core/flow/types';
import type { FlowEndpointDto, FlowRowDto } from '../../api/flows';
import { isNamespaceVisible, OUTSIDE_SCOPE_LABEL, type DataScope } from '../auth/data-scope';

/** A flow row as the list, export and live queries select it (aliases f, s, d, c). */
export interface FlowRowRecord {
  clusterId: number;
  cluster: string;
  id: string;
  startTime: Date;
  /** start_time as Postgres text (microsecond precision) for keyset cursors. */
  startText: string;
  endTime: Date;
  protocol: string;
  dstPort: number | null;
  verdict: Verdict;
  reporter: string;
  dropReason: string | null;
  policyKey: string;
  pendingVerdict: string | null;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  connections: number;
  counted: boolean;
  format: string;
  sKind: string; sNamespace: string | null; sName: string; sWorkloadKind: string | null; sPod: string | null; sIp: string | null; sDomain: string | null; sService: string | null;
  dKind: string; dNamespace: string | null; dName: string; dWorkloadKind: string | null; dPod: string | null; dIp: string | null; dDomain: string | null; dService: string | null;
}

/** The select list for {@link FlowRowRecord} (flows f, endpoints s and d, clusters c). */
export function flowRowColumns(sql: Sql) {
  return sql`f.cluster_id as "clusterId", c.name as cluster, f.id::text as id, f.start_time as "startTime", f.start_time::text as "startText",
    f.end_time as "endTime", f.protocol, f.dst_port as "dstPort", f.verdict, f.reporter, f.drop_reason as "dropReason",
    f.policy_key as "policyKey", f.pending_verdict as "pendingVerdict", f.bytes_out::float8 as "bytesOut", f.bytes_in::float8 as "bytesIn",
    f.packets_out::float8 as "packetsOut", f.packets_in::float8 as "packetsIn", f.connections, f.counted, f.format,
    s.kind as "sKind", s.namespace as "sNamespace", s.name as "sName", s.workload_kind as "sWorkloadKind", s.pod as "sPod", s.ip as "sIp",
    s.domain as "sDomain", s.service_name as "sService",
    d.kind as "dKind", d.namespace as "dNamespace", d.name as "dName", d.workload_kind as "dWorkloadKind", d.pod as "dPod", d.ip as "dIp",
    d.domain as "dDomain", d.service_name as "dService"`;
}

/** `from flows f join endpoints s … join endpoints d … join clusters c …`. */
export function flowRowFrom(sql: Sql) {
  return sql`flows f
    join endpoints s on s.cluster_id = f.cluster_id and s.id = f.src_id
    join endpoints d on d.cluster_id = f.cluster_id and d.id = f.dst_id
    join clusters c on c.id = f.cluster_id`;
}

const MASKED: Omit<FlowEndpointDto, 'kind'> = {
  namespace: null, name: OUTSIDE_SCOPE_LABEL, workloadKind: null, pod: null, ip: null, domain: null, serviceName: null, masked: true,
};

function endpoint(scope: DataScope, clusterId: number, parts: [string, string | null, string, string | null, string | null, string | null, string | null, string | null]): FlowEndpointDto {
  const [kind, namespace, name, workloadKind, pod, ip, domain, serviceName] = parts;
  if (!isNamespaceVisible(scope, clusterId, namespace)) return { kind, ...MASKED };
  return { kind, namespace, name, workloadKind, pod, ip, domain, serviceName, masked: false };
}

/** The deciding policy in words, from the rollup-style key (the full trace is in the detail). */
export function policyKeyText(policyKey: string, verdict: Verdict, reporter: string): string {
  const hit = parsePolicyHitKey(policyKey);
  return describePolicyTrace(hit ? [hit] : [], verdict, { reporter: reporter as Reporter }).summary;
}

/** DB row → DTO; an end outside the viewer's scope is masked (kind only). */
export function toFlowRowDto(row: FlowRowRecord, scope: DataScope): FlowRowDto {
  return {
    key: `${row.clusterId}:${row.id}`,
    id: row.id,
    clusterId: row.clusterId,
    cluster: row.cluster,
    startMs: row.startTime.getTime(),
    endMs: row.endTime.getTime(),
    source: endpoint(scope, row.clusterId, [row.sKind, row.sNamespace, row.sName, row.sWorkloadKind, row.sPod, row.sIp, row.sDomain, row.sService]),
    destination: endpoint(scope, row.clusterId, [row.dKind, row.dNamespace, row.dName, row.dWorkloadKind, row.dPod, row.dIp, row.dDomain, row.dService]),
    protocol: row.protocol,
    port: row.dstPort,
    verdict: row.verdict,
    reporter: row.reporter,
    dropReason: row.dropReason,
    policyKey: row.policyKey,
    policyText: policyKeyText(row.policyKey, row.verdict, row.reporter),
    pendingVerdict: row.pendingVerdict,
    bytesOut: Number(row.bytesOut),
    bytesIn: Number(row.bytesIn),
    packetsOut: Number(row.packetsOut),
    packetsIn: Number(row.packetsIn),
    connections: Number(row.connections),
    counted: row.counted,
    format: row.format,
  };
}

import 'server-only';
import type { Sql } from 'postgres';
import type { PolicyHit, Verdict } from '@/core/flow/types';
import { describePolicyHit } from '@/core/graph';
import { resolveGenAiWindow, type GenAiEvidenceDto, type GenAiEvidenceRequest } from '../../api/genai';
import { edgeInScope, getDataScope, isNamespaceVisible } from '../auth/data-scope';
import type { Session } from '../auth/get-session';
import { getSql } from '../db';
import { AppError } from '../errors';
import { findNodeEndpoints } from '../graph/find-node-endpoints';

/** The newest flows of one hop: what an analyst opens; `/flows` has the rest. */
export const GENAI_EVIDENCE_LIMIT = 20;

interface EvidenceRecord {
  id: string;
  startTime: Date;
  endTime: Date;
  sourceNamespace: string | null;
  sourceName: string;
  sourcePod: string | null;
  sourceIp: string | null;
  sourceDomain: string | null;
  destinationNamespace: string | null;
  destinationName: string;
  destinationPod: string | null;
  destinationDomain: string | null;
  destinationIp: string | null;
  port: number | null;
  protocol: string;
  verdict: Verdict;
  reporter: string;
  policyTrace: PolicyHit[] | null;
  bytesOut: number;
  bytesIn: number;
}

const hitVerdict = (hit: PolicyHit): Verdict => (hit.action === 'deny' ? 'denied' : 'allowed');

/**
 * Evidence flows of one hop (source → target node ids, workload level) in the window, newest first,
 * bounded, scoped: raw `flows` rows of that edge only.
 */
export async function getGenAiEvidence(session: Session, request: GenAiEvidenceRequest, options: { sql?: Sql; nowMs?: number } = {}): Promise<GenAiEvidenceDto> {
  const sql = options.sql ?? getSql();
  const scope = await getDataScope(session);
  const { fromMs, toMs } = resolveGenAiWindow(request, options.nowMs ?? Date.now());
  const clusterName = request.source.split('/')[0] ?? '';
  if (request.target.split('/')[0] !== clusterName) throw new AppError('bad_request', 'A hop joins two nodes of one cluster.');
  const [cluster] = await sql<{ id: number }[]>`select id from clusters where name = ${clusterName}`;
  if (!cluster || !isNamespaceVisible(scope, cluster.id, null)) throw new AppError('not_found', `No cluster named "${clusterName}".`);
  const [sources, targets] = await Promise.all([findNodeEndpoints(sql, cluster.id, request.source), findNodeEndpoints(sql, cluster.id, request.target)]);
  if (sources.length === 0 || targets.length === 0) throw new AppError('not_found', `No endpoints behind ${sources.length === 0 ? request.source : request.target}.`);
  const verdictFilter = request.verdict === 'all' ? sql`` : sql`and f.verdict = ${request.verdict}`;
  const records = await sql<EvidenceRecord[]>`
    select f.id::text as id, f.start_time as "startTime", f.end_time as "endTime",
           s.namespace as "sourceNamespace", s.name as "sourceName", s.pod as "sourcePod", s.ip as "sourceIp", s.domain as "sourceDomain",
           d.namespace as "destinationNamespace", d.name as "destinationName", d.pod as "destinationPod", d.domain as "destinationDomain", d.ip as "destinationIp",
           f.dst_port as port, f.protocol, f.verdict, f.reporter, f.policy_trace as "policyTrace",
           f.bytes_out::float8 as "bytesOut", f.bytes_in::float8 as "bytesIn"
    from flows f
    join endpoints s on s.cluster_id = f.cluster_id and s.id = f.src_id
    join endpoints d on d.cluster_id = f.cluster_id and d.id = f.dst_id
    where f.cluster_id = ${cluster.id} and f.start_time >= ${new Date(fromMs)} and f.start_time < ${new Date(toMs)}
      and f.src_id = any(${sources.map((endpoint) => endpoint.id)}::bigint[]) and f.dst_id = any(${targets.map((endpoint) => endpoint.id)}::bigint[])
      and ${edgeInScope(sql, scope, 's', 'd')} ${verdictFilter}
    order by f.start_time desc
    limit ${GENAI_EVIDENCE_LIMIT}`;
  const search = new URLSearchParams({ cluster: clusterName, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
  const source = sources[0]?.facts;
  const target = targets[0]?.facts;
  if (source?.namespace) search.set('srcNamespace', source.namespace);
  if (source?.namespace) search.set('srcWorkload', source.name);
  if (target?.namespace) search.set('dstNamespace', target.namespace);
  if (target?.namespace) search.set('dstWorkload', target.name);
  if (request.verdict !== 'all') search.set('verdict', request.verdict);
  return {
    source: request.source,
    target: request.target,
    fromMs,
    toMs,
    flowsHref: `/flows?${search}`,
    flows: records.map((record) => ({
      id: record.id,
      startMs: record.startTime.getTime(),
      endMs: record.endTime.getTime(),
      source: record.sourceNamespace ? `${record.sourceNamespace}/${record.sourcePod ?? record.sourceName}` : (record.sourceDomain ?? record.sourceIp ?? record.sourceName),
      destination: record.destinationNamespace
        ? `${record.destinationNamespace}/${record.destinationPod ?? record.destinationName}`
        : (record.destinationDomain ?? record.destinationIp ?? record.destinationName),
      port: record.port,
      protocol: record.protocol,
      verdict: record.verdict,
      reporter: record.reporter,
      policyTrace: (record.policyTrace ?? []).map((hit) => describePolicyHit(hit, hitVerdict(hit))),
      bytesOut: record.bytesOut,
      bytesIn: record.bytesIn,
    })),
  };
}

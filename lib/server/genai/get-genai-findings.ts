import 'server-only';
import type { Sql } from 'postgres';
import { GENAI_SEVERITIES, type GenAiFindingKind, type GenAiSeverity } from '@/core/genai';
import type { GenAiFindingDto, GenAiFindingsDto } from '../../api/genai';
import type { Session } from '../auth/get-session';
import { analyseGenAi, type GenAiAnalysisQuery } from './analyse-genai';
import { windowDto } from './get-genai-components';
import { flowsHref, graphHref } from './genai-links';
import { genAiNodeRefs } from './genai-node-ref';

export interface GenAiFindingsFilter {
  severity: readonly GenAiSeverity[];
  kind: readonly GenAiFindingKind[];
}

/**
 * Findings of the window sorted by severity (critical first), filtered by severity and kind, each with
 * a graph link highlighting its path and a `/flows` link for its first evidence edge. Counts are taken
 * before the severity/kind filters so the page can show what a filter hides.
 */
export async function getGenAiFindings(
  session: Session,
  query: GenAiAnalysisQuery & GenAiFindingsFilter,
  options: { sql?: Sql; nowMs?: number } = {},
): Promise<GenAiFindingsDto> {
  const analysis = await analyseGenAi(session, query, options);
  const nowMs = options.nowMs ?? Date.now();
  const window = { fromMs: analysis.fromMs, toMs: analysis.toMs, nowMs };
  const bySeverity = Object.fromEntries(GENAI_SEVERITIES.map((severity) => [severity, 0])) as Record<GenAiSeverity, number>;
  const byKind: Partial<Record<GenAiFindingKind, number>> = {};
  const findings: GenAiFindingDto[] = [];
  const ids = new Set<string>();
  let total = 0;
  for (const cluster of analysis.clusters) {
    for (const finding of cluster.findings) {
      total++;
      bySeverity[finding.severity]++;
      byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
      if (query.severity.length > 0 && !query.severity.includes(finding.severity)) continue;
      if (query.kind.length > 0 && !query.kind.includes(finding.kind)) continue;
      const edge = finding.evidence.find((entry) => entry.kind === 'edge');
      for (const id of finding.path) ids.add(id);
      for (const entry of finding.evidence) if (entry.kind === 'edge') ids.add(entry.edge.sourceNodeId).add(entry.edge.destinationNodeId);
      findings.push({
        ...finding,
        cluster: cluster.cluster,
        graphHref: graphHref(cluster.cluster, finding.path, window),
        flowsHref:
          edge?.kind === 'edge'
            ? flowsHref(cluster.cluster, analysis.nodeById.get(edge.edge.sourceNodeId), analysis.nodeById.get(edge.edge.destinationNodeId), {
                ...window,
                port: finding.kind === 'denied-attempt' ? null : edge.edge.destinationPort,
                verdict: edge.edge.verdict,
              })
            : null,
      });
    }
  }
  const rank = (severity: GenAiSeverity): number => GENAI_SEVERITIES.indexOf(severity);
  findings.sort((a, b) => rank(a.severity) - rank(b.severity) || a.cluster.localeCompare(b.cluster) || a.id.localeCompare(b.id));
  return { ...windowDto(analysis), findings, counts: { bySeverity, byKind, total }, nodes: genAiNodeRefs(ids, analysis.nodeById) };
}

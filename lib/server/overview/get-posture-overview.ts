import 'server-only';
import type { Sql } from 'postgres';
import type { GenAiSeverity } from '@/core/genai/types';
import { combinePostureScores, postureLinkHref, type PostureScore } from '@/core/posture';
import { compactRollups } from '@/lib/db/compact-rollups';
import { computeDaySnapshot, DAY_MS, dayText, upsertDaySnapshot, type StoredFinding } from '@/lib/db/posture/compute-day-snapshot';
import {
  POSTURE_PERIOD_DAYS,
  type PostureCalloutDto,
  type PostureClusterDto,
  type PostureFindingDto,
  type PostureOverviewDto,
  type PosturePeriod,
  type PostureTrendPointDto,
} from '../../api/posture';
import { getDataScope, selectClustersInScope, isNamespaceVisible, type DataScope } from '../auth/data-scope';
import type { Session } from '../auth/get-session';
import { getSql } from '../db';

export interface PostureOverviewQuery {
  period: PosturePeriod;
  /** Cluster names; empty = every cluster in the caller's scope. */
  clusters: readonly string[];
}

const SEVERITIES: readonly GenAiSeverity[] = ['critical', 'high', 'medium', 'low'];
const emptyCounts = (): Record<GenAiSeverity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });
/** Findings listed on the page (the counts include all). */
const MAX_FINDINGS = 12;

interface TrendRow {
  clusterId: number;
  day: string;
  score: number;
  coveragePct: number | null;
  deniedFlows: number;
  counts: Record<GenAiSeverity, number> | null;
  workloads: number | null;
  trafficDays: number | null;
}

interface LatestRow {
  clusterId: number;
  day: string;
  posture: PostureScore | null;
  items: StoredFinding[] | null;
  computedAt: Date;
}

/** In-flight on-demand computations per cluster: a burst of page loads computes today's snapshot once. */
const onDemand = new Map<number, Promise<void>>();

/**
 * Today's snapshot for clusters that have flows today but none yet (first minutes after a start,
 * before the collector's posture job has run): computed here with the job's own function, and stored.
 */
export async function ensureTodaySnapshots(sql: Sql, clusters: readonly { id: number; name: string }[], nowMs: number): Promise<void> {
  if (clusters.length === 0) return;
  const todayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const ids = clusters.map((cluster) => cluster.id);
  const missing = await sql<{ id: number }[]>`
    select c.id from clusters c
    where c.id = any(${ids}::int[])
      and not exists (select 1 from posture_snapshots p where p.cluster_id = c.id and p.day = ${dayText(todayStartMs)}::date)
      and exists (select 1 from edge_rollup_1h r where r.cluster_id = c.id and r.bucket >= ${new Date(todayStartMs)})`;
  // The snapshot reads the rollup stores: fold the flows committed so far into them first.
  if (missing.length > 0) await compactRollups(sql, { wait: true });
  await Promise.all(
    missing.map(({ id }) => {
      let running = onDemand.get(id);
      if (!running) {
        const name = clusters.find((cluster) => cluster.id === id)?.name ?? String(id);
        running = computeDaySnapshot(sql, { clusterId: id, clusterName: name, dayStartMs: todayStartMs, nowMs })
          .then((snapshot) => upsertDaySnapshot(sql, snapshot))
          .finally(() => onDemand.delete(id));
        onDemand.set(id, running);
      }
      return running;
    }),
  );
}

function signed(value: number, digits = 0): string {
  const rounded = Number(value.toFixed(digits));
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(digits)}`;
}

/** Week-over-week callouts from the combined trend: the newest day against the same weekday a week earlier. */
export function weekOverWeekCallouts(trend: readonly PostureTrendPointDto[], deniedPerDay: (point: PostureTrendPointDto) => number): PostureCalloutDto[] {
  const latest = trend[trend.length - 1];
  if (!latest) return [];
  const weekAgo = trend.find((point) => point.dayStartMs === latest.dayStartMs - 7 * DAY_MS);
  if (!weekAgo) return [];
  const callouts: PostureCalloutDto[] = [];
  const scoreChange = latest.score - weekAgo.score;
  callouts.push({ id: 'score', text: `score ${signed(scoreChange)} points since last week (${weekAgo.score} → ${latest.score})`, tone: scoreChange > 0 ? 'better' : scoreChange < 0 ? 'worse' : 'same' });
  if (latest.coveragePct !== null && weekAgo.coveragePct !== null) {
    const change = latest.coveragePct - weekAgo.coveragePct;
    callouts.push({ id: 'coverage', text: `coverage ${signed(change)} points since last week (${Math.round(weekAgo.coveragePct)} % → ${Math.round(latest.coveragePct)} %)`, tone: change >= 0.5 ? 'better' : change <= -0.5 ? 'worse' : 'same' });
  }
  const before = deniedPerDay(weekAgo);
  const now = deniedPerDay(latest);
  if (before > 0 || now > 0) {
    const ratio = before > 0 ? now / before : Infinity;
    const text =
      !Number.isFinite(ratio)
        ? `denied flows: ${Math.round(now).toLocaleString('en-US')}/day, none a week ago`
        : Math.abs(ratio - 1) < 0.1
          ? `denied flows about the same as last week (${Math.round(now).toLocaleString('en-US')}/day)`
          : `denied flows ${ratio > 1 ? `up ${ratio >= 3 ? `${ratio.toFixed(0)}×` : `${Math.round((ratio - 1) * 100)} %`}` : `down ${Math.round((1 - ratio) * 100)} %`} since last week (${Math.round(before).toLocaleString('en-US')} → ${Math.round(now).toLocaleString('en-US')}/day)`;
    callouts.push({ id: 'denied', text, tone: Number.isFinite(ratio) && Math.abs(ratio - 1) < 0.1 ? 'same' : now > before ? 'worse' : 'better' });
  }
  const findingChange = latest.findings - weekAgo.findings;
  callouts.push({
    id: 'findings',
    text: findingChange === 0 ? `open GenAI findings unchanged since last week (${latest.findings})` : `${Math.abs(findingChange)} ${findingChange > 0 ? 'more' : 'fewer'} open GenAI finding${Math.abs(findingChange) === 1 ? '' : 's'} than last week (${weekAgo.findings} → ${latest.findings})`,
    tone: findingChange < 0 ? 'better' : findingChange > 0 ? 'worse' : 'same',
  });
  return callouts;
}

function nodeIdVisible(scope: DataScope, clusterId: number, nodeId: string): boolean {
  const namespace = nodeId.split('/')[1];
  return namespace === undefined || namespace === '-' || isNamespaceVisible(scope, clusterId, namespace);
}

/**
 * The posture summary for the caller: the daily snapshots of the clusters in scope (all, or the ones
 * named) over the period — the newest day's score with its components, top risks and findings, the
 * combined daily trend, week-over-week callouts and a per-cluster comparison. Reads `posture_snapshots`
 * only (a handful of rows per cluster and day), plus at most one on-demand computation of today.
 */
export async function getPostureOverview(session: Session, query: PostureOverviewQuery, options: { nowMs?: number; sql?: Sql } = {}): Promise<PostureOverviewDto> {
  const sql = options.sql ?? getSql();
  const nowMs = options.nowMs ?? Date.now();
  const scope = await getDataScope(session);
  const selected = await selectClustersInScope(sql, scope, query.clusters);
  const ids = selected.map((cluster) => cluster.id);
  const nameById = new Map(selected.map((cluster) => [cluster.id, cluster.name]));
  const todayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const periodDays = POSTURE_PERIOD_DAYS[query.period];
  const periodStartMs = todayStartMs - (periodDays - 1) * DAY_MS;
  // The week-over-week comparison may reach a day before a 7-day period.
  const readFromMs = Math.min(periodStartMs, todayStartMs - 7 * DAY_MS);

  await ensureTodaySnapshots(sql, selected, nowMs);
  const [rows, latestRows] = ids.length === 0
    ? [[] as TrendRow[], [] as LatestRow[]]
    : await Promise.all([
        sql<TrendRow[]>`
          select cluster_id as "clusterId", to_char(day, 'YYYY-MM-DD') as day, score, coverage_pct::float8 as "coveragePct",
                 denied_flows::float8 as "deniedFlows", findings->'counts' as counts,
                 (components->>'workloads')::int as workloads, (components->>'trafficDays')::float8 as "trafficDays"
          from posture_snapshots
          where cluster_id = any(${ids}::int[]) and day >= ${dayText(readFromMs)}::date and day <= ${dayText(todayStartMs)}::date
          order by day, cluster_id`,
        sql<LatestRow[]>`
          select distinct on (cluster_id) cluster_id as "clusterId", to_char(day, 'YYYY-MM-DD') as day,
                 components->'posture' as posture, findings->'items' as items, computed_at as "computedAt"
          from posture_snapshots
          where cluster_id = any(${ids}::int[]) and day <= ${dayText(todayStartMs)}::date
          order by cluster_id, day desc`,
      ]);

  const weightOf = (clusterId: number, day?: string): number => {
    const row = rows.find((candidate) => candidate.clusterId === clusterId && (day === undefined ? true : candidate.day === day));
    return Math.max(row?.workloads ?? 1, 1);
  };

  // Trend: one point per day with at least one snapshot, clusters combined (weighted by workloads).
  const byDay = new Map<string, TrendRow[]>();
  for (const row of rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  const allPoints: (PostureTrendPointDto & { deniedPerDay: number })[] = [...byDay.entries()].map(([day, dayRows]) => {
    const totalWeight = dayRows.reduce((sum, row) => sum + Math.max(row.workloads ?? 1, 1), 0);
    const withCoverage = dayRows.filter((row) => row.coveragePct !== null);
    const coverageWeight = withCoverage.reduce((sum, row) => sum + Math.max(row.workloads ?? 1, 1), 0);
    return {
      day,
      dayStartMs: Date.parse(`${day}T00:00:00Z`),
      score: Math.round(dayRows.reduce((sum, row) => sum + row.score * Math.max(row.workloads ?? 1, 1), 0) / totalWeight),
      coveragePct: withCoverage.length === 0 ? null : Math.round((withCoverage.reduce((sum, row) => sum + (row.coveragePct as number) * Math.max(row.workloads ?? 1, 1), 0) / coverageWeight) * 10) / 10,
      deniedFlows: dayRows.reduce((sum, row) => sum + row.deniedFlows, 0),
      findings: dayRows.reduce((sum, row) => sum + SEVERITIES.reduce((total, severity) => total + (row.counts?.[severity] ?? 0), 0), 0),
      scoreByCluster: Object.fromEntries(dayRows.map((row) => [nameById.get(row.clusterId) ?? String(row.clusterId), row.score])),
      deniedPerDay: dayRows.reduce((sum, row) => sum + row.deniedFlows / Math.max(row.trafficDays ?? 1, 1 / 24), 0),
    };
  });
  const deniedPerDayByDay = new Map(allPoints.map((point) => [point.day, point.deniedPerDay]));
  const callouts = weekOverWeekCallouts(
    allPoints.map(({ deniedPerDay: _ignored, ...point }) => point),
    (point) => deniedPerDayByDay.get(point.day) ?? point.deniedFlows,
  );
  const trend = allPoints.filter((point) => point.dayStartMs >= periodStartMs).map(({ deniedPerDay: _ignored, ...point }) => point);

  // The newest snapshot of each cluster, combined.
  const latest = latestRows.filter((row): row is LatestRow & { posture: PostureScore } => row.posture !== null && Array.isArray(row.posture.components));
  const combined = combinePostureScores(
    latest.map((row) => ({ cluster: nameById.get(row.clusterId) ?? String(row.clusterId), weight: weightOf(row.clusterId, row.day), score: row.posture })),
    { maxRisks: 20 },
  );
  const idByName = new Map(selected.map((cluster) => [cluster.name, cluster.id]));
  const risks = (combined?.risks ?? [])
    .filter((risk) => risk.namespace === '-' ? scope.namespaces === null : isNamespaceVisible(scope, idByName.get(risk.cluster) ?? -1, risk.namespace))
    .slice(0, 5)
    .map((risk) => ({ cluster: risk.cluster, namespace: risk.namespace, pointsLost: risk.pointsLost, action: risk.action, href: postureLinkHref(risk.link) }));

  const findingCounts = emptyCounts();
  const findings: PostureFindingDto[] = [];
  for (const row of latest) {
    const cluster = nameById.get(row.clusterId) ?? String(row.clusterId);
    for (const item of row.items ?? []) {
      if (!item.nodeIds.every((nodeId) => nodeIdVisible(scope, row.clusterId, nodeId))) continue;
      findingCounts[item.severity] += 1;
      findings.push({ cluster, id: item.id, kind: item.kind, severity: item.severity, title: item.title, explanation: item.explanation, href: `/genai?${new URLSearchParams({ cluster, finding: item.id }).toString()}` });
    }
  }
  if (scope.namespaces === null) {
    // Unrestricted: the stored counts include the findings beyond the stored list.
    for (const severity of SEVERITIES) {
      findingCounts[severity] = latest.reduce((sum, row) => sum + (rows.find((candidate) => candidate.clusterId === row.clusterId && candidate.day === row.day)?.counts?.[severity] ?? 0), 0);
    }
  }
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.kind === 'sensitive-data-to-external-llm' ? -1 : b.kind === 'sensitive-data-to-external-llm' ? 1 : 0) || a.cluster.localeCompare(b.cluster) || a.id.localeCompare(b.id));

  const perCluster: PostureClusterDto[] = selected.map((cluster) => {
    const newest = latest.find((row) => row.clusterId === cluster.id);
    const newestTrend = newest ? rows.find((row) => row.clusterId === cluster.id && row.day === newest.day) : undefined;
    const weekAgoDay = newest ? dayText(Date.parse(`${newest.day}T00:00:00Z`) - 7 * DAY_MS) : undefined;
    const weekAgo = rows.find((row) => row.clusterId === cluster.id && row.day === weekAgoDay);
    const counts = emptyCounts();
    for (const severity of SEVERITIES) counts[severity] = newestTrend?.counts?.[severity] ?? 0;
    const topRisk = newest?.posture.risks.find((risk) => risk.namespace === '-' ? scope.namespaces === null : isNamespaceVisible(scope, cluster.id, risk.namespace));
    return {
      name: cluster.name,
      score: newest?.posture ? (newestTrend?.score ?? newest.posture.score) : null,
      coveragePct: newestTrend?.coveragePct ?? null,
      deniedFlowsToday: newestTrend?.deniedFlows ?? 0,
      findings: counts,
      workloads: newestTrend?.workloads ?? 0,
      scoreChange7d: newestTrend && weekAgo ? newestTrend.score - weekAgo.score : null,
      topRisk: topRisk ? topRisk.action.text : null,
      computedAtMs: newest?.computedAt.getTime() ?? null,
    };
  });

  const computedAt = latest.map((row) => row.computedAt.getTime());
  return {
    generatedAtMs: nowMs,
    period: query.period,
    periodStartDay: dayText(periodStartMs),
    periodEndDay: dayText(todayStartMs),
    clusters: selected.map((cluster) => cluster.name),
    score: combined?.score ?? null,
    incomplete: combined?.incomplete ?? false,
    computedAtMs: computedAt.length > 0 ? Math.max(...computedAt) : null,
    components: (combined?.components ?? []).map((component) => ({
      id: component.id,
      label: component.label,
      weight: component.weight,
      pointsLost: component.pointsLost,
      summary: component.summary,
      href: postureLinkHref(component.link),
      linkTarget: component.link.target,
      known: component.known,
      byCluster: component.byCluster,
    })),
    risks,
    findings: findings.slice(0, MAX_FINDINGS),
    findingCounts,
    trend,
    callouts,
    perCluster,
    namespaceRestricted: scope.namespaces !== null,
  };
}

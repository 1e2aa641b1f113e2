import 'server-only';
import type { Sql } from 'postgres';
import { POSTURE_COMPONENT_IDS, type PostureScore } from '@/core/posture';
import { DAY_MS, dayText } from '@/lib/db/posture/compute-day-snapshot';
import { refreshPostureSnapshots } from '@/lib/db/posture/refresh-posture-snapshots';
import { POSTURE_PERIOD_DAYS, type PosturePeriod } from '../../api/posture';
import { getDataScope, selectClustersInScope } from '../auth/data-scope';
import type { Session } from '../auth/get-session';
import { getSql } from '../db';
import { ensureTodaySnapshots } from './get-posture-overview';

const COLUMNS = [
  'day',
  'cluster',
  'score',
  'coverage_pct',
  'denied_flows',
  'allowed_flows',
  'workloads',
  'findings_critical',
  'findings_high',
  'findings_medium',
  'findings_low',
  ...POSTURE_COMPONENT_IDS.map((id) => `points_lost_${id.replaceAll('-', '_')}`),
  'top_risk_namespace',
  'top_risk_action',
  'computed_at',
];

/** RFC 4180 quoting, and a leading quote for text a spreadsheet would run as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The report's underlying figures as CSV: one row per cluster and day of the period, with the score,
 * coverage, flows, findings by severity and each component's points lost. Clusters in the caller's scope.
 */
export async function getPostureCsv(session: Session, query: { period: PosturePeriod; clusters: readonly string[] }, options: { nowMs?: number; sql?: Sql } = {}): Promise<string> {
  const sql = options.sql ?? getSql();
  const scope = await getDataScope(session);
  const selected = await selectClustersInScope(sql, scope, query.clusters);
  const nowMs = options.nowMs ?? Date.now();
  const todayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const fromMs = todayStartMs - (POSTURE_PERIOD_DAYS[query.period] - 1) * DAY_MS;
  // NOTE: the CSV once came back as its header alone: it read only stored snapshots, and right after a
  // start (or a backfill) the collector's job had not yet written the period's days. Bring the
  // period's days with rollups up to date first (the job's own function; a no-op while the job runs).
  if (selected.length > 0) {
    const refreshed = await refreshPostureSnapshots(sql, { nowMs, maxDays: POSTURE_PERIOD_DAYS[query.period] - 1, clusterIds: selected.map((cluster) => cluster.id) });
    if (!refreshed.ran) await ensureTodaySnapshots(sql, selected, nowMs);
  }
  const rows =
    selected.length === 0
      ? []
      : await sql<{ day: string; cluster: string; score: number; coveragePct: number | null; deniedFlows: number; allowedFlows: number | null; workloads: number | null; counts: Record<string, number> | null; posture: PostureScore | null; computedAt: Date }[]>`
          select to_char(p.day, 'YYYY-MM-DD') as day, c.name as cluster, p.score, p.coverage_pct::float8 as "coveragePct",
                 p.denied_flows::float8 as "deniedFlows", (p.components->>'allowedFlows')::float8 as "allowedFlows",
                 (p.components->>'workloads')::int as workloads, p.findings->'counts' as counts,
                 p.components->'posture' as posture, p.computed_at as "computedAt"
          from posture_snapshots p join clusters c on c.id = p.cluster_id
          where p.cluster_id = any(${selected.map((cluster) => cluster.id)}::int[])
            and p.day >= ${dayText(fromMs)}::date and p.day <= ${dayText(todayStartMs)}::date
          order by p.day, c.name`;
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    const lost = new Map((row.posture?.components ?? []).map((component) => [component.id, component.pointsLost]));
    const top = row.posture?.risks[0];
    lines.push(
      [
        row.day,
        row.cluster,
        row.score,
        row.coveragePct === null ? null : Math.round(row.coveragePct * 10) / 10,
        row.deniedFlows,
        row.allowedFlows,
        row.workloads,
        row.counts?.critical ?? 0,
        row.counts?.high ?? 0,
        row.counts?.medium ?? 0,
        row.counts?.low ?? 0,
        ...POSTURE_COMPONENT_IDS.map((id) => lost.get(id) ?? null),
        top?.namespace ?? null,
        top?.action.text.replaceAll('`', '') ?? null,
        row.computedAt.toISOString(),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

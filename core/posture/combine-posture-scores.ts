import { POSTURE_WEIGHTS } from './compute-posture-score';
import type { PostureComponent, PostureComponentId, PostureRisk, PostureScore } from './types';

export interface ClusterPostureScore {
  readonly cluster: string;
  /** How much this cluster counts: its workload count (at least 1, so an empty cluster still counts a little). */
  readonly weight: number;
  readonly score: PostureScore;
}

/** A risk of the combined score: the cluster it belongs to is part of its identity. */
export interface CombinedPostureRisk extends PostureRisk {
  readonly cluster: string;
}

export interface CombinedPostureScore {
  readonly score: number;
  readonly incomplete: boolean;
  /** Points lost per component, the weighted mean over clusters; summaries of the single cluster, or per cluster joined. */
  readonly components: readonly (PostureComponent & { readonly byCluster: Readonly<Record<string, number>> })[];
  readonly risks: readonly CombinedPostureRisk[];
}

/**
 * Several clusters' scores as one: the mean of the cluster scores weighted by workload count (so a
 * big cluster's gaps weigh more than a small one's), the same for each component's points lost, and
 * the top risks of all clusters with their points scaled by the cluster's share of the weight.
 */
export function combinePostureScores(clusters: readonly ClusterPostureScore[], options: { maxRisks?: number } = {}): CombinedPostureScore | null {
  if (clusters.length === 0) return null;
  const totalWeight = clusters.reduce((sum, cluster) => sum + Math.max(cluster.weight, 1), 0);
  const share = (cluster: ClusterPostureScore): number => Math.max(cluster.weight, 1) / totalWeight;
  const score = Math.round(clusters.reduce((sum, cluster) => sum + cluster.score.score * share(cluster), 0));
  const first = clusters[0] as ClusterPostureScore;
  const components = first.score.components.map((base) => {
    const id: PostureComponentId = base.id;
    const perCluster = clusters.map((cluster) => ({ cluster, component: cluster.score.components.find((candidate) => candidate.id === id) }));
    const ratio = perCluster.reduce((sum, entry) => sum + (entry.component?.riskRatio ?? 0) * share(entry.cluster), 0);
    const summary =
      clusters.length === 1 ? base.summary : perCluster.map((entry) => `${entry.cluster.cluster}: ${entry.component?.summary ?? 'not measured'}`).join(' ');
    const figures: Record<string, number> = {};
    for (const entry of perCluster) {
      for (const [name, value] of Object.entries(entry.component?.figures ?? {})) {
        // Percentages and baselines do not add up across clusters; counts do.
        if (name.endsWith('Pct') || name.endsWith('PerDay')) continue;
        figures[name] = (figures[name] ?? 0) + value;
      }
    }
    const { cluster: _cluster, ...params } = base.link.params;
    return {
      ...base,
      riskRatio: Math.round(ratio * 1000) / 1000,
      pointsLost: Math.round(POSTURE_WEIGHTS[id] * ratio * 10) / 10,
      summary,
      known: perCluster.some((entry) => entry.component?.known ?? false),
      figures: clusters.length === 1 ? base.figures : figures,
      link: clusters.length === 1 ? base.link : { target: base.link.target, params },
      byCluster: Object.fromEntries(perCluster.map((entry) => [entry.cluster.cluster, entry.component?.pointsLost ?? 0])),
    };
  });
  const risks = clusters
    .flatMap((cluster) =>
      cluster.score.risks.map(
        (risk): CombinedPostureRisk => ({
          ...risk,
          cluster: cluster.cluster,
          pointsLost: Math.round(risk.pointsLost * share(cluster) * 10) / 10,
          action: { ...risk.action, pointsGained: Math.round(risk.action.pointsGained * share(cluster) * 10) / 10 },
        }),
      ),
    )
    .sort((a, b) => b.pointsLost - a.pointsLost || (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : a.namespace < b.namespace ? -1 : 1))
    .slice(0, options.maxRisks ?? 5);
  return { score, incomplete: clusters.some((cluster) => cluster.score.incomplete), components, risks };
}

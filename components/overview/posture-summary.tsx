import type { ReactNode } from 'react';
import type { PostureOverviewDto, PostureTrendPointDto } from '@/lib/api/posture';
import { formatCount } from '@/components/ui/format-count';
import { PostureTrendChart } from './posture-trend-chart';

/** Contrast ≥ 4.5:1 on white; distinguishable for the common colour-vision deficiencies (blue/orange/red/purple). */
const COLORS = { score: '#2f62d0', coverage: '#b45309', denied: '#c0262d', findings: '#7b3fb2' };

/** `a `b` c` → a <code>b</code> c: core writes names in backticks. */
export function withCode(text: string): ReactNode[] {
  return text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : <span key={index}>{part}</span>));
}

export function scoreBand(score: number): { word: string; className: string } {
  if (score >= 80) return { word: 'good', className: 'score-good' };
  if (score >= 60) return { word: 'fair', className: 'score-fair' };
  return { word: 'poor', className: 'score-poor' };
}

const pct = (value: number) => `${value >= 10 ? Math.round(value) : value.toFixed(1)}`;

export interface PostureSummaryProps {
  data: PostureOverviewDto;
  /** `report`: printable (no interactive links besides the evidence, charts two per row). */
  variant: 'page' | 'report';
  /** Right of the score: period selector and report links on the page. */
  actions?: ReactNode;
}

/** The posture summary: score and reasons, callouts, trends, top risks, GenAI findings, clusters. */
export function PostureSummary({ data, variant, actions }: PostureSummaryProps) {
  const periodStartMs = Date.parse(`${data.periodStartDay}T00:00:00Z`);
  const periodEndMs = Date.parse(`${data.periodEndDay}T00:00:00Z`);
  const series = (pick: (point: PostureTrendPointDto) => number | null) => data.trend.map((point) => ({ dayStartMs: point.dayStartMs, value: pick(point) }));
  const todayIncluded = data.trend[data.trend.length - 1]?.dayStartMs === periodEndMs;
  const band = data.score === null ? null : scoreBand(data.score);
  // The headline's "why" in one line; the panel below has each part in full.
  const biggestLosses = [...data.components].filter((component) => component.known && component.pointsLost >= 0.5).sort((a, b) => b.pointsLost - a.pointsLost).slice(0, 3);
  const piiFinding = data.findings.find((finding) => finding.kind === 'sensitive-data-to-external-llm');

  return (
    <div className={`posture posture-${variant}`}>
      <section className="panel posture-headline" aria-labelledby="posture-score-title">
        <div className="posture-score-box">
          <h2 id="posture-score-title" className="stat-label">
            Posture score
          </h2>
          {data.score === null ? (
            <p className="muted" data-testid="posture-score" data-score="">
              No snapshot yet: the score appears once flows arrive.
            </p>
          ) : (
            <p className={`posture-score ${band?.className ?? ''}`} data-testid="posture-score" data-score={data.score}>
              {data.score}
              <span className="posture-score-max">/100</span>
            </p>
          )}
          {band ? <p className="small">
              <strong>{band.word}</strong> · {data.clusters.length === 1 ? data.clusters[0] : `${data.clusters.length} clusters, weighted by workloads`}
            </p> : null}
          {biggestLosses.length > 0 ? (
            <p className="small" data-testid="posture-biggest-losses">
              Most points lost to: {biggestLosses.map((component) => `${component.label} (−${Math.round(component.pointsLost)})`).join(', ')}
            </p>
          ) : null}
          {data.incomplete ? <p className="small muted">Some parts could not be measured (no inventory uploaded).</p> : null}
        </div>
        <div className="posture-headline-side">
          {actions}
          {data.callouts.length > 0 ? (
            <ul className="posture-callouts" data-testid="posture-callouts" aria-label="Change since last week">
              {data.callouts.map((callout) => (
                <li key={callout.id} className={`callout-${callout.tone}`}>
                  <span aria-hidden="true">{callout.tone === 'better' ? '▲' : callout.tone === 'worse' ? '▼' : '●'}</span> {callout.text}
                  <span className="visually-hidden"> ({callout.tone === 'same' ? 'unchanged' : callout.tone})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="small muted" data-testid="posture-callouts">
              Week-over-week changes appear after 8 days of snapshots.
            </p>
          )}
        </div>
      </section>

      <section className="panel" aria-labelledby="posture-reasons-title">
        <div className="panel-header">
          <h2 id="posture-reasons-title">Why this score</h2>
          <span className="muted small">100 minus the points each part loses; weights add up to 100</span>
        </div>
        <ol className="posture-reasons" data-testid="posture-reasons">
          {data.components.map((component) => (
            <li key={component.id} data-testid={`posture-component-${component.id}`} data-points-lost={component.pointsLost}>
              <div className="reason-bar" aria-hidden="true">
                <span style={{ width: `${(component.weight > 0 ? (component.weight - component.pointsLost) / component.weight : 1) * 100}%` }} />
              </div>
              <div className="reason-text">
                <strong>{component.label}</strong>{' '}
                <span className={component.pointsLost > 0 ? 'reason-lost' : 'muted'}>
                  {!component.known ? `not measured (${component.weight} points)` : component.pointsLost > 0 ? `−${component.pointsLost.toFixed(1)} of ${component.weight} points` : `full ${component.weight} of ${component.weight} points`}
                </span>
                <div className="small">{withCode(component.summary)}</div>
              </div>
              <a className="reason-link small" href={component.href}>
                Evidence in {component.linkTarget === 'genai' ? 'GenAI' : component.linkTarget} →
              </a>
            </li>
          ))}
        </ol>
      </section>

      <section className="panel" aria-labelledby="posture-trend-title">
        <div className="panel-header">
          <h2 id="posture-trend-title">Trend, {data.period === '7d' ? 'last 7 days' : data.period === '30d' ? 'last 30 days' : 'last 90 days'}</h2>
          <span className="muted small">one point per day (UTC){todayIncluded ? '; today so far' : ''}</span>
        </div>
        <div className="trend-grid" data-testid="posture-trend">
          <PostureTrendChart id="score" title="Posture score" unit="points" points={series((point) => point.score)} periodStartMs={periodStartMs} periodEndMs={periodEndMs} yMax={100} color={COLORS.score} format="integer" />
          <PostureTrendChart id="coverage" title="Policy coverage" unit="% of workload directions" points={series((point) => point.coveragePct)} periodStartMs={periodStartMs} periodEndMs={periodEndMs} yMax={100} color={COLORS.coverage} format="percent" />
          <PostureTrendChart
            id="denied"
            title="Denied flows"
            unit="flows/day"
            points={series((point) => point.deniedFlows)}
            periodStartMs={periodStartMs}
            periodEndMs={periodEndMs}
            color={COLORS.denied}
            format="compact"
            {...(todayIncluded ? { lastPointNote: 'today so far' } : {})}
          />
          <PostureTrendChart id="findings" title="Open GenAI findings" unit="findings" points={series((point) => point.findings)} periodStartMs={periodStartMs} periodEndMs={periodEndMs} color={COLORS.findings} format="integer" />
        </div>
      </section>

      <div className="posture-columns">
        <section className="panel" aria-labelledby="posture-risks-title">
          <div className="panel-header">
            <h2 id="posture-risks-title">Top risks</h2>
            <span className="muted small">namespaces that cost the most points, and the one action that wins most back</span>
          </div>
          {data.risks.length === 0 ? (
            <p className="muted" data-testid="posture-risks">
              Nothing costs points right now.
            </p>
          ) : (
            <ol className="posture-risks" data-testid="posture-risks">
              {data.risks.map((risk) => (
                <li key={`${risk.cluster}/${risk.namespace}`} data-testid="posture-risk" data-namespace={risk.namespace} data-cluster={risk.cluster}>
                  <div className="risk-head">
                    <strong>
                      <code>{risk.namespace === '-' ? 'outside namespaces' : risk.namespace}</code>
                    </strong>
                    {data.clusters.length > 1 ? <span className="muted small"> in {risk.cluster}</span> : null}
                    <span className="reason-lost small"> −{risk.pointsLost.toFixed(1)} points</span>
                  </div>
                  <div className="risk-action" data-testid="posture-risk-action">
                    → {withCode(risk.action.text)} <span className="muted small">(+{risk.action.pointsGained.toFixed(1)} points)</span>
                  </div>
                  <a className="small" href={risk.href}>
                    See the evidence →
                  </a>
                </li>
              ))}
            </ol>
          )}
        </section>

        <section className="panel" aria-labelledby="posture-findings-title">
          <div className="panel-header">
            <h2 id="posture-findings-title">GenAI findings</h2>
            <span className="small">
              {(['critical', 'high', 'medium', 'low'] as const).map((severity) => (
                <span key={severity} className={`severity severity-${severity}`}>
                  {data.findingCounts[severity]} {severity}
                </span>
              ))}
            </span>
          </div>
          {piiFinding ? (
            <div className="pii-callout" data-testid="finding-sensitive-data-to-external-llm" role="note">
              <p className="notice-title">
                <span className={`severity severity-${piiFinding.severity}`}>{piiFinding.severity}</span> Sensitive data can reach an external LLM
              </p>
              <p>{piiFinding.title}{data.clusters.length > 1 ? ` (${piiFinding.cluster})` : ''}.</p>
              <p className="small muted">{piiFinding.explanation}</p>
              <a className="small" href={piiFinding.href}>
                Open the path in GenAI →
              </a>
            </div>
          ) : null}
          {data.findings.length === 0 ? (
            <p className="muted">No open GenAI findings.</p>
          ) : (
            <ul className="posture-findings" data-testid="posture-findings">
              {data.findings
                .filter((finding) => finding !== piiFinding)
                .slice(0, variant === 'report' ? 8 : 6)
                .map((finding) => (
                  <li key={`${finding.cluster}/${finding.id}`}>
                    <span className={`severity severity-${finding.severity}`}>{finding.severity}</span>{' '}
                    <a href={finding.href}>{finding.title}</a>
                    {data.clusters.length > 1 ? <span className="muted small"> · {finding.cluster}</span> : null}
                  </li>
                ))}
            </ul>
          )}
        </section>
      </div>

      {data.perCluster.length > 1 ? (
        <section className="panel" aria-labelledby="posture-clusters-title">
          <h2 id="posture-clusters-title">Clusters compared</h2>
          <div className="table-scroll">
            <table className="data" data-testid="posture-clusters">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Score</th>
                  <th scope="col">vs last week</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">Denied flows today</th>
                  <th scope="col">GenAI findings</th>
                  <th scope="col">Top risk: action</th>
                </tr>
              </thead>
              <tbody>
                {data.perCluster.map((cluster) => (
                  <tr key={cluster.name} data-testid={`posture-cluster-${cluster.name}`}>
                    <th scope="row" className="cluster-name">{cluster.name}</th>
                    <td className={cluster.score === null ? 'muted' : scoreBand(cluster.score).className}>
                      <strong>{cluster.score ?? '–'}</strong>
                    </td>
                    <td>{cluster.scoreChange7d === null ? <span className="muted">–</span> : `${cluster.scoreChange7d > 0 ? '+' : cluster.scoreChange7d < 0 ? '−' : '±'}${Math.abs(cluster.scoreChange7d)}`}</td>
                    <td>{cluster.coveragePct === null ? <span className="muted">unknown</span> : `${pct(cluster.coveragePct)} %`}</td>
                    <td>{formatCount(cluster.deniedFlowsToday, { compact: true })}</td>
                    <td>
                      {cluster.findings.critical + cluster.findings.high > 0 ? (
                        <>
                          {cluster.findings.critical > 0 ? <span className="severity severity-critical">{cluster.findings.critical} critical</span> : null}
                          {cluster.findings.high > 0 ? <span className="severity severity-high">{cluster.findings.high} high</span> : null}
                        </>
                      ) : null}
                      <span className="muted small">{cluster.findings.medium + cluster.findings.low > 0 ? ` +${cluster.findings.medium + cluster.findings.low} medium/low` : ''}</span>
                    </td>
                    <td className="small">{cluster.topRisk ? withCode(cluster.topRisk) : <span className="muted">none</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {data.namespaceRestricted ? (
        <p className="small muted">Scores cover whole clusters; the risks and findings listed are limited to the namespaces you may see.</p>
      ) : null}
    </div>
  );
}

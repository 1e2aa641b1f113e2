'use client';
import { extent, format as d3Format, line, max, scaleLinear, scaleUtc, utcDay, utcFormat, utcMonday } from 'd3';
import { memo } from 'react';
import { formatCount } from '@/components/ui/format-count';

const WIDTH_PX = 460;
const HEIGHT_PX = 180;
const MARGIN = { top: 12, right: 14, bottom: 30, left: 48 };
const dayLabel = utcFormat('%b %d');
const axisNumber = d3Format('~s');

export interface TrendChartPoint {
  dayStartMs: number;
  value: number | null;
}

export interface PostureTrendChartProps {
  /** Stable id for test ids: `score`, `coverage`, `denied`, `findings`. */
  id: string;
  title: string;
  /** Axis and tooltip unit, e.g. `points`, `%`, `flows/day`. */
  unit: string;
  points: readonly TrendChartPoint[];
  periodStartMs: number;
  periodEndMs: number;
  /** Fixed y domain (scores and percentages: 0–100); otherwise 0 to the peak. */
  yMax?: number;
  /** A CSS colour with at least 4.5:1 contrast on white. */
  color: string;
  /** How values read (a name, not a function: server components render this chart too). */
  format: 'integer' | 'percent' | 'compact';
  /** Text for the last point when the day is still running. */
  lastPointNote?: string;
}

/**
 * One daily series as a line with dots (a day without a snapshot leaves a gap). React owns the SVG
 * elements; d3 only computes scales, ticks and the path (STYLE rule 13). UTC so server and browser agree.
 */
const FORMATS: Record<PostureTrendChartProps['format'], (value: number) => string> = {
  integer: (value) => String(Math.round(value)),
  percent: (value) => (value >= 10 ? String(Math.round(value)) : value.toFixed(1)),
  compact: (value) => formatCount(value, { compact: true }),
};

export const PostureTrendChart = memo(function PostureTrendChart(props: PostureTrendChartProps) {
  const formatValue = FORMATS[props.format];
  const innerWidth = WIDTH_PX - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT_PX - MARGIN.top - MARGIN.bottom;
  const x = scaleUtc().domain([props.periodStartMs, props.periodEndMs]).range([0, innerWidth]);
  const values = props.points.filter((point): point is { dayStartMs: number; value: number } => point.value !== null);
  const peak = props.yMax ?? Math.max(4, (max(values, (point) => point.value) ?? 0) * 1.1);
  const y = scaleLinear().domain([0, peak]).nice(4).range([innerHeight, 0]);
  const days = (props.periodEndMs - props.periodStartMs) / 86_400_000;
  // Daily ticks for a week, else Mondays (every week for 30 days, every other for 90): day-of-month
  // steps (utcDay.every(7)) put "Oct 29" and "Nov 01" on top of each other at a month change.
  const interval = days <= 8 ? utcDay : days <= 31 ? utcMonday : utcMonday.every(2);
  const xTicks = interval ? x.ticks(interval) : x.ticks(6);
  const yTicks = y.ticks(4);
  const path = line<{ dayStartMs: number; value: number | null }>()
    .defined((point) => point.value !== null)
    .x((point) => x(point.dayStartMs))
    .y((point) => y(point.value ?? 0))(props.points as { dayStartMs: number; value: number | null }[]);
  const [low, high] = extent(values, (point) => point.value);
  const last = values[values.length - 1];
  const description =
    values.length === 0
      ? `${props.title}: no data in this period.`
      : `${props.title} over ${values.length} day${values.length === 1 ? '' : 's'}: from ${formatValue(values[0]?.value ?? 0)} to ${formatValue(last?.value ?? 0)} ${props.unit}, lowest ${formatValue(low ?? 0)}, highest ${formatValue(high ?? 0)}.`;

  return (
    <figure className="trend-chart" data-testid={`trend-chart-${props.id}`} data-points={values.length}>
      <figcaption>
        <span className="trend-title">{props.title}</span>
        <span className="muted small">
          {last ? (
            <>
              latest <strong style={{ color: props.color }}>{formatValue(last.value)}</strong> {props.unit}
              {props.lastPointNote ? ` (${props.lastPointNote})` : ''}
            </>
          ) : (
            'no data yet'
          )}
        </span>
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${WIDTH_PX} ${HEIGHT_PX}`} role="img" aria-label={description}>
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          {yTicks.map((tick) => (
            <g key={`y${tick}`} transform={`translate(0,${y(tick)})`}>
              <line className="grid-line" x1={0} x2={innerWidth} />
              <text x={-8} dy="0.32em" textAnchor="end">
                {axisNumber(tick)}
              </text>
            </g>
          ))}
          {path ? <path d={path} fill="none" stroke={props.color} strokeWidth={2.25} strokeLinejoin="round" /> : null}
          {values.map((point) => (
            <circle key={point.dayStartMs} cx={x(point.dayStartMs)} cy={y(point.value)} r={values.length > 40 ? 2 : 3} fill={props.color}>
              <title>{`${dayLabel(new Date(point.dayStartMs))}: ${formatValue(point.value)} ${props.unit}`}</title>
            </circle>
          ))}
          {values.length === 0 ? (
            <text x={innerWidth / 2} y={innerHeight / 2} textAnchor="middle">
              No snapshots in this period yet
            </text>
          ) : null}
          <line className="axis-line" x1={0} x2={innerWidth} y1={innerHeight} y2={innerHeight} />
          {xTicks.map((tick) => (
            <g key={`x${tick.getTime()}`} transform={`translate(${x(tick)},${innerHeight})`}>
              <line className="tick-line" y2={5} />
              <text y={18} textAnchor="middle">
                {dayLabel(tick)}
              </text>
            </g>
          ))}
          <text className="axis-title" transform={`translate(${-38},${innerHeight / 2}) rotate(-90)`} textAnchor="middle">
            {props.unit}
          </text>
        </g>
      </svg>
    </figure>
  );
});

'use client';
import { format as d3Format, max, scaleLinear, scaleUtc, utcFormat, utcHour } from 'd3';
import { memo } from 'react';
import type { FlowVolumeBucketDto } from '@/lib/api/overview';
import { formatCount } from '@/components/ui/format-count';

const WIDTH_PX = 640;
const HEIGHT_PX = 220;
const MARGIN = { top: 10, right: 12, bottom: 40, left: 56 };
const hourLabel = utcFormat('%H:%M');
const axisNumber = d3Format('~s');

export interface FlowVolumeChartProps {
  clusterName: string;
  series: FlowVolumeBucketDto[];
  windowStartMs: number;
  windowEndMs: number;
  bucketMs: number;
}

/**
 * Flows per hour over the window, stacked allowed (bottom) and denied (top). React owns the SVG
 * elements; d3 only computes scales and ticks (STYLE rule 13). Times are UTC so the server render and
 * the browser agree.
 */
export const FlowVolumeChart = memo(function FlowVolumeChart(props: FlowVolumeChartProps) {
  const innerWidth = WIDTH_PX - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT_PX - MARGIN.top - MARGIN.bottom;
  const x = scaleUtc().domain([props.windowStartMs, props.windowEndMs]).range([0, innerWidth]);
  const peak = max(props.series, (bucket) => bucket.allowedFlows + bucket.deniedFlows) ?? 0;
  // Flows are whole numbers: a floor of 4 keeps an empty or tiny series from getting ticks like "200m".
  const y = scaleLinear().domain([0, Math.max(peak, 4)]).nice(4).range([innerHeight, 0]);
  const barWidth = Math.max(1, x(props.windowStartMs + props.bucketMs) - x(props.windowStartMs) - 2);
  const everyThreeHours = utcHour.every(3);
  const xTicks = everyThreeHours ? x.ticks(everyThreeHours) : x.ticks(8);
  const yTicks = y.ticks(4).filter((tick) => Number.isInteger(tick));
  const allowedTotal = props.series.reduce((sum, bucket) => sum + bucket.allowedFlows, 0);
  const deniedTotal = props.series.reduce((sum, bucket) => sum + bucket.deniedFlows, 0);

  return (
    <figure style={{ margin: 0 }}>
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="legend-swatch" style={{ background: 'var(--allowed)' }} />
          allowed
        </li>
        <li>
          <span className="legend-swatch" style={{ background: 'var(--denied)' }} />
          denied
        </li>
      </ul>
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH_PX} ${HEIGHT_PX}`}
        role="img"
        aria-label={`Flows per hour in ${props.clusterName} over the last 24 hours: ${formatCount(allowedTotal)} allowed, ${formatCount(deniedTotal)} denied.`}
        data-testid={`flow-volume-chart-${props.clusterName}`}
      >
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          {yTicks.map((tick) => (
            <g key={`y${tick}`} transform={`translate(0,${y(tick)})`}>
              <line className="grid-line" x1={0} x2={innerWidth} />
              <text x={-8} dy="0.32em" textAnchor="end">
                {axisNumber(tick)}
              </text>
            </g>
          ))}
          {props.series.map((bucket) => {
            const left = x(bucket.startMs) + 1;
            const allowedTop = y(bucket.allowedFlows);
            const deniedTop = y(bucket.allowedFlows + bucket.deniedFlows);
            return (
              <g key={bucket.startMs}>
                <title>
                  {`${hourLabel(new Date(bucket.startMs))}–${hourLabel(new Date(bucket.startMs + props.bucketMs))} UTC: ${formatCount(bucket.allowedFlows)} allowed, ${formatCount(bucket.deniedFlows)} denied`}
                </title>
                <rect className="bar-allowed" x={left} y={allowedTop} width={barWidth} height={innerHeight - allowedTop} />
                <rect className="bar-denied" x={left} y={deniedTop} width={barWidth} height={allowedTop - deniedTop} />
              </g>
            );
          })}
          {peak === 0 ? (
            <text x={innerWidth / 2} y={innerHeight / 2} textAnchor="middle">
              No flows in the last 24 hours
            </text>
          ) : null}
          <line className="axis-line" x1={0} x2={innerWidth} y1={innerHeight} y2={innerHeight} />
          {xTicks.map((tick) => (
            <g key={`x${tick.getTime()}`} transform={`translate(${x(tick)},${innerHeight})`}>
              <line className="tick-line" y2={5} />
              <text y={17} textAnchor="middle">
                {hourLabel(tick)}
              </text>
            </g>
          ))}
          <text className="axis-title" x={innerWidth / 2} y={innerHeight + 34} textAnchor="middle">
            hour (UTC)
          </text>
          <text className="axis-title" transform={`translate(${-44},${innerHeight / 2}) rotate(-90)`} textAnchor="middle">
            flows / hour
          </text>
        </g>
      </svg>
    </figure>
  );
});

'use client';
import { brushX, max, scaleLinear, scaleUtc, select, utcFormat, type D3BrushEvent } from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import type { FlowHistogramDto } from '@/lib/api/flows';
import { formatCount } from '@/components/ui/format-count';

const WIDTH = 1200;
const HEIGHT = 140;
const MARGIN = { top: 8, right: 12, bottom: 22, left: 48 };

/**
 * Allowed vs denied flows per bucket, stacked. React draws the bars; d3 does the scales and the brush
 * behaviour. Brushing a span sets the time range (the parent writes it into the URL).
 */
export function FlowHistogram(props: { histogram: FlowHistogramDto | undefined; loading: boolean; onBrush: (fromMs: number, toMs: number) => void }) {
  const { histogram, onBrush } = props;
  const brushRef = useRef<SVGGElement>(null);
  const scales = useMemo(() => {
    if (!histogram) return null;
    const x = scaleUtc().domain([histogram.fromMs, histogram.toMs]).range([MARGIN.left, WIDTH - MARGIN.right]);
    const top = max(histogram.buckets, (bucket) => bucket.allowed + bucket.denied) ?? 0;
    const y = scaleLinear().domain([0, Math.max(1, top)]).nice(4).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    return { x, y };
  }, [histogram]);

  useEffect(() => {
    const group = brushRef.current;
    if (!group || !scales) return;
    const brush = brushX<unknown>()
      .extent([[MARGIN.left, MARGIN.top], [WIDTH - MARGIN.right, HEIGHT - MARGIN.bottom]])
      .on('end', (event: D3BrushEvent<unknown>) => {
        if (!event.selection || !event.sourceEvent) return;
        const [left, right] = event.selection as [number, number];
        const fromMs = Math.floor(scales.x.invert(left).getTime() / 1000) * 1000;
        const toMs = Math.ceil(scales.x.invert(right).getTime() / 1000) * 1000;
        select(group).call(brush.move, null);
        if (toMs - fromMs >= 1000) onBrush(fromMs, toMs);
      });
    select(group).call(brush);
    return () => {
      select(group).on('.brush', null).selectAll('*').remove();
    };
  }, [scales, onBrush]);

  if (!histogram || !scales) {
    return <div className="flow-histogram placeholder muted small" data-state="loading">{props.loading ? 'Counting flows…' : 'No histogram.'}</div>;
  }
  const { x, y } = scales;
  const barWidth = Math.max(1, x(histogram.fromMs + histogram.bucketMs) - x(histogram.fromMs) - 1);
  const ticks = x.ticks(8);
  // The page speaks UTC on a 24-hour clock; d3's default multi-scale format would print 12-hour times.
  const format = utcFormat(histogram.toMs - histogram.fromMs > 2 * 86_400_000 ? '%b %d' : histogram.toMs - histogram.fromMs > 86_400_000 ? '%b %d %H:%M' : '%H:%M');
  return (
    <figure className="flow-histogram" data-state={props.loading ? 'loading' : 'ready'} data-testid="flow-histogram">
      <figcaption className="histogram-caption">
        <ul className="legend">
          <li><span className="legend-swatch" style={{ background: 'var(--denied)' }} />denied</li>
          <li><span className="legend-swatch" style={{ background: 'var(--allowed)' }} />allowed</li>
        </ul>
        <span className="muted small">
          {formatCount(histogram.total)} flows{histogram.exact ? '' : ' (hour-aligned)'} · per {Math.round(histogram.bucketMs / 60_000)} min · drag across the chart to zoom in
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart" role="img" aria-label={`Flows over time: ${histogram.total} matching`}>
        {/* Counts are whole: fractional ticks of a small maximum would print as "0, 0, 1, 1". */}
        {y.ticks(4).filter((tick) => Number.isInteger(tick)).map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="#e6e9ef" />
            <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" fontSize="11" fill="#566275">{formatCount(tick, { compact: true })}</text>
          </g>
        ))}
        {histogram.buckets.map((bucket) => {
          const left = x(bucket.startMs);
          const deniedTop = y(bucket.denied);
          const allTop = y(bucket.denied + bucket.allowed);
          return (
            <g key={bucket.startMs}>
              <title>{`${new Date(bucket.startMs).toISOString().slice(0, 16).replace('T', ' ')} UTC — denied ${bucket.denied}, allowed ${bucket.allowed}`}</title>
              {bucket.denied > 0 ? <rect x={left} width={barWidth} y={deniedTop} height={y(0) - deniedTop} fill="var(--denied)" /> : null}
              {bucket.allowed > 0 ? <rect x={left} width={barWidth} y={allTop} height={deniedTop - allTop} fill="var(--allowed)" /> : null}
            </g>
          );
        })}
        {ticks.map((tick) => (
          <text key={tick.getTime()} x={x(tick)} y={HEIGHT - 6} textAnchor="middle" fontSize="11" fill="#566275">{format(tick)}</text>
        ))}
        <g ref={brushRef} className="histogram-brush" />
      </svg>
    </figure>
  );
}

import { describe, expect, it } from 'vitest';
import { toOverviewDto, type OverviewRows, type OverviewWindow } from './to-overview-dto';

const HOUR_MS = 3_600_000;
const windowStartMs = Date.UTC(2026, 10, 26, 23);
const window: OverviewWindow = {
  nowMs: windowStartMs + 23 * HOUR_MS + 30 * 60_000,
  windowStartMs,
  bucketMs: HOUR_MS,
  bucketCount: 24,
  recentWindowMs: 5 * 60_000,
};

function rows(overrides: Partial<OverviewRows> = {}): OverviewRows {
  return {
    clusters: [
      { id: 1, name: 'prod-east', displayName: null, flowFormat: 'calico', createdAt: new Date(windowStartMs - HOUR_MS) },
      { id: 2, name: 'prod-west', displayName: 'Production West', flowFormat: null, createdAt: new Date(windowStartMs) },
    ],
    buckets: [],
    lastSeen: [],
    recent: [],
    endpoints: [],
    ...overrides,
  };
}

describe('toOverviewDto', () => {
  it('gives every cluster a full, zero-filled 24-bucket series in time order', () => {
    const dto = toOverviewDto(rows(), window);
    expect(dto.clusters).toHaveLength(2);
    for (const cluster of dto.clusters) {
      expect(cluster.series).toHaveLength(24);
      expect(cluster.series[0]).toEqual({ startMs: windowStartMs, allowedFlows: 0, deniedFlows: 0 });
      expect(cluster.series[23]?.startMs).toBe(windowStartMs + 23 * HOUR_MS);
      expect(cluster.flowsLast24h).toBe(0);
      expect(cluster.lastFlowSeenMs).toBeNull();
    }
    expect(dto.windowEndMs).toBe(windowStartMs + 24 * HOUR_MS);
    expect(dto.generatedAtMs).toBe(window.nowMs);
    expect(dto.totals).toEqual({ clusters: 2, flowsLast24h: 0, deniedFlowsLast24h: 0, flowsPerMinuteLast5m: 0, lastFlowSeenMs: null });
  });

  it('places buckets by verdict, sums per cluster and overall, and coerces string counts', () => {
    const dto = toOverviewDto(
      rows({
        buckets: [
          { clusterId: 1, bucket: new Date(windowStartMs), verdict: 'allowed', flows: 100 },
          { clusterId: 1, bucket: new Date(windowStartMs), verdict: 'denied', flows: 7 },
          { clusterId: 1, bucket: new Date(windowStartMs + 5 * HOUR_MS), verdict: 'allowed', flows: '40' as unknown as number },
          { clusterId: 2, bucket: new Date(windowStartMs + 23 * HOUR_MS), verdict: 'denied', flows: 3 },
        ],
      }),
      window,
    );
    const [east, west] = dto.clusters;
    expect(east?.series[0]).toEqual({ startMs: windowStartMs, allowedFlows: 100, deniedFlows: 7 });
    expect(east?.series[5]?.allowedFlows).toBe(40);
    expect(east?.flowsLast24h).toBe(147);
    expect(east?.deniedFlowsLast24h).toBe(7);
    expect(west?.series[23]?.deniedFlows).toBe(3);
    expect(dto.totals.flowsLast24h).toBe(150);
    expect(dto.totals.deniedFlowsLast24h).toBe(10);
  });

  it('ignores buckets outside the window and rows of unknown clusters', () => {
    const dto = toOverviewDto(
      rows({
        buckets: [
          { clusterId: 1, bucket: new Date(windowStartMs - HOUR_MS), verdict: 'allowed', flows: 999 },
          { clusterId: 1, bucket: new Date(windowStartMs + 24 * HOUR_MS), verdict: 'allowed', flows: 999 },
          { clusterId: 42, bucket: new Date(windowStartMs), verdict: 'allowed', flows: 999 },
        ],
      }),
      window,
    );
    expect(dto.totals.flowsLast24h).toBe(0);
  });

  it('maps last seen, live rate (per minute) and endpoint counts, and takes the newest last seen overall', () => {
    const dto = toOverviewDto(
      rows({
        lastSeen: [
          { clusterId: 1, lastSeen: new Date(window.nowMs - 12_000) },
          { clusterId: 2, lastSeen: null },
        ],
        recent: [{ clusterId: 1, flows: 500 }],
        endpoints: [{ clusterId: 2, endpoints: 17 }],
      }),
      window,
    );
    const [east, west] = dto.clusters;
    expect(east?.lastFlowSeenMs).toBe(window.nowMs - 12_000);
    expect(east?.flowsPerMinuteLast5m).toBe(100);
    expect(west?.lastFlowSeenMs).toBeNull();
    expect(west?.endpointCount).toBe(17);
    expect(west?.displayName).toBe('Production West');
    expect(west?.flowFormat).toBeNull();
    expect(dto.totals.lastFlowSeenMs).toBe(window.nowMs - 12_000);
    expect(dto.totals.flowsPerMinuteLast5m).toBe(100);
  });

  it('returns an empty overview when there are no clusters', () => {
    const dto = toOverviewDto(rows({ clusters: [] }), window);
    expect(dto.clusters).toEqual([]);
    expect(dto.totals.clusters).toBe(0);
  });
});

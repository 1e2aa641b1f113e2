import { describe, expect, it } from 'vitest';
import { partitionsToDrop } from './retention-job';

const nowMs = Date.UTC(2026, 10, 27, 12, 0, 0); // 2026-11-27 12:00 UTC

describe('partitionsToDrop', () => {
  it('drops only whole days past the cut-off, raw and rollups by their own retention', () => {
    const names = [
      'flows_p20261026', // ends 10-27 00:00: 31.5 days ago → drop at 30
      'flows_p20261027', // ends 10-28 00:00: 30.5 days ago → drop
      'flows_p20261028', // ends 10-29 00:00: 29.5 days → keep
      'raw_batches_p20261027',
      'edge_rollup_1m_p20261027',
      'edge_rollup_1h_p20261027', // rollups keep 400 days
      'edge_rollup_1h_p20251001', // 422 days → drop
      'edge_rollup_6h_p20261027', // the 6-hour rollup too
      'edge_rollup_6h_p20251001',
      'flows_default',
      'users',
    ];
    expect(partitionsToDrop(names, { rawFlowDays: 30, rollupDays: 400 }, nowMs)).toEqual([
      'edge_rollup_1h_p20251001',
      'edge_rollup_1m_p20261027',
      'edge_rollup_6h_p20251001',
      'flows_p20261026',
      'flows_p20261027',
      'raw_batches_p20261027',
    ]);
  });

  it('keeps today with a one-day retention', () => {
    expect(partitionsToDrop(['flows_p20261127', 'flows_p20261126', 'flows_p20261125'], { rawFlowDays: 1, rollupDays: 1 }, nowMs)).toEqual(['flows_p20261125']);
  });
});

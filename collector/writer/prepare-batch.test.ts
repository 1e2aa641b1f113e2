import { describe, expect, it } from 'vitest';
import { makeFlow } from '../../core/testing';
import { EndpointIdCache, prepareBatch } from './prepare-batch';

describe('prepareBatch', () => {
  it('writes COPY rows with exact times, shared traces once described, and the span of start times the rollup views bound their scan by', () => {
    const trace = [{ kind: 'NetworkPolicy', namespace: 'data', name: 'default-deny', action: 'deny' as const, ruleIndex: -1, staged: false }];
    const base = Date.UTC(2026, 10, 27, 22, 0, 0);
    const flows = [0, 7, 999, 1000, 61_005].map((offsetMs) =>
      makeFlow({ startMs: base + offsetMs, endMs: base + offsetMs + 1500, verdict: 'denied', policyTrace: trace, destinationPort: 5432 }),
    );
    const prepared = prepareBatch(3, flows.map((flow, index) => ({ flow, line: index + 1 })), new EndpointIdCache(), '42');
    const rows = Buffer.concat(prepared.copyChunks).toString('utf8').trimEnd().split('\n').map((row) => row.split('\t'));
    expect(rows.map((row) => [row[1], row[2]])).toEqual([
      ['2026-11-27T22:00:00.000Z', '2026-11-27T22:00:01.500Z'],
      ['2026-11-27T22:00:00.007Z', '2026-11-27T22:00:01.507Z'],
      ['2026-11-27T22:00:00.999Z', '2026-11-27T22:00:02.499Z'],
      ['2026-11-27T22:00:01.000Z', '2026-11-27T22:00:02.500Z'],
      ['2026-11-27T22:01:01.005Z', '2026-11-27T22:01:02.505Z'],
    ]);
    expect(new Set(rows.map((row) => row[12]))).toEqual(new Set(['NetworkPolicy||data|default-deny|deny|-1']));
    expect(rows[0]?.[13]).toContain('"default-deny"');
    expect(rows.map((row) => row.slice(-2))).toEqual([['42', '1'], ['42', '2'], ['42', '3'], ['42', '4'], ['42', '5']]);
    expect([prepared.firstStartMs - base, prepared.lastStartMs - base]).toEqual([0, 61_005]);
    expect(prepared.days).toEqual(['2026-11-27']);
    expect(prepared.newEndpoints).toHaveLength(2);
  });
});

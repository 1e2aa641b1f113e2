import { describe, expect, it } from 'vitest';
import { makeFlow } from '../testing';
import { countsTowardTotals } from './counts-toward-totals';
import type { EndpointKind, Reporter, Verdict } from './types';

describe('countsTowardTotals', () => {
  it.each<[Reporter, Verdict, EndpointKind, boolean]>([
    ['source', 'allowed', 'workload', false],
    ['source', 'allowed', 'pod', false],
    ['source', 'denied', 'workload', true],
    ['source', 'allowed', 'external', true],
    ['source', 'allowed', 'host', true],
    ['source', 'allowed', 'networkset', true],
    ['destination', 'allowed', 'workload', true],
    ['destination', 'denied', 'pod', true],
    ['observer', 'allowed', 'workload', true],
  ])('reporter %s, %s, destination %s → %s', (reporter, verdict, kind, expected) => {
    expect(countsTowardTotals(makeFlow({ reporter, verdict, destination: { kind } }))).toBe(expected);
  });
});

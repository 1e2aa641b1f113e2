import { describe, expect, it } from 'vitest';
import { accountThrottle } from './account-throttle';

const nowMs = 1_000_000_000;

describe('accountThrottle', () => {
  it.each([
    // failures, last failure (ms before now), expected wait
    [0, null, 0],
    [4, 0, 0],
    [5, 0, 1_000],
    [5, 400, 600],
    [5, 1_000, 0],
    [6, 0, 2_000],
    [8, 0, 8_000],
    [30, 0, 300_000],
    [10_000, 0, 300_000],
  ])('after %i failures, the last %s ms ago: wait %i ms', (failedLoginCount, agoMs, expected) => {
    const lastFailedLoginAtMs = agoMs === null ? null : nowMs - agoMs;
    expect(accountThrottle({ failedLoginCount, lastFailedLoginAtMs, nowMs }).retryAfterMs).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from './format-relative-time';

describe('formatRelativeTime', () => {
  it.each([
    [0, '0 s ago'],
    [12_400, '12 s ago'],
    [59_000, '59 s ago'],
    [60_000, '1 min ago'],
    [59 * 60_000, '59 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [47 * 3_600_000, '47 h ago'],
    [3 * 86_400_000, '3 d ago'],
    [-5_000, '0 s ago'],
  ])('%i ms → %s', (ageMs, expected) => {
    expect(formatRelativeTime(1_000_000_000 - ageMs, 1_000_000_000)).toBe(expected);
  });
});

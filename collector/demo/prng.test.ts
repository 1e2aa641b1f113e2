import { describe, expect, it } from 'vitest';
import { createPrng } from './prng';

describe('createPrng', () => {
  it('repeats for the same seed and labels, differs otherwise', () => {
    const draw = (seed: string, ...labels: (string | number)[]): number[] => {
      const prng = createPrng(seed, ...labels);
      return Array.from({ length: 8 }, () => prng.next());
    };
    expect(draw('1', 'a', 5)).toEqual(draw('1', 'a', 5));
    expect(draw('1', 'a', 5)).not.toEqual(draw('2', 'a', 5));
    expect(draw('1', 'a', 5)).not.toEqual(draw('1', 'a', 6));
  });

  it('stays in range', () => {
    const prng = createPrng('range');
    for (let i = 0; i < 1000; i++) {
      const value = prng.int(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
      const unit = prng.next();
      expect(unit).toBeGreaterThanOrEqual(0);
      expect(unit).toBeLessThan(1);
    }
  });
});

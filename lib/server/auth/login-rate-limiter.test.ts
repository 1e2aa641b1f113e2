import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './login-rate-limiter';

describe('LoginRateLimiter', () => {
  const options = { windowMs: 60_000, maxFailuresPerWindow: 3, maxTrackedAddresses: 2 };

  it('lets an address fail up to the limit, then makes it wait until the oldest failure leaves the window', () => {
    const limiter = new LoginRateLimiter(options);
    limiter.recordFailure('10.0.0.1', 1_000);
    limiter.recordFailure('10.0.0.1', 2_000);
    expect(limiter.retryAfterMs('10.0.0.1', 2_500)).toBe(0);
    limiter.recordFailure('10.0.0.1', 3_000);
    expect(limiter.retryAfterMs('10.0.0.1', 3_000)).toBe(58_000);
    expect(limiter.retryAfterMs('10.0.0.2', 3_000)).toBe(0);
    expect(limiter.retryAfterMs('10.0.0.1', 61_001)).toBe(0);
  });

  it('forgets an address after a successful sign-in', () => {
    const limiter = new LoginRateLimiter(options);
    for (const atMs of [1, 2, 3]) limiter.recordFailure('10.0.0.1', atMs);
    limiter.recordSuccess('10.0.0.1');
    expect(limiter.retryAfterMs('10.0.0.1', 4)).toBe(0);
  });

  it('bounds the number of tracked addresses', () => {
    const limiter = new LoginRateLimiter(options);
    for (const ip of ['a', 'b', 'c', 'd']) for (const atMs of [1, 2, 3]) limiter.recordFailure(ip, atMs);
    const limited = ['a', 'b', 'c', 'd'].filter((ip) => limiter.retryAfterMs(ip, 4) > 0);
    expect(limited.length).toBeLessThanOrEqual(2);
    expect(limited).toContain('d');
  });
});

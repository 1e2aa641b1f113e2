import 'server-only';

/** Failures an account may have before each further attempt must wait. */
export const FREE_FAILED_ATTEMPTS = 5;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60 * 1000;

/**
 * Per-account brake on password guessing: after 5 failures, the next attempt must wait 1 s after the
 * last failure, then 2 s, 4 s, … up to 5 min. A success resets the count. Pure, so it is unit-tested.
 * NOTE: an attacker can keep an account braked (not locked: the delay is capped); the per-IP limiter
 * bounds how fast any one address can do that.
 */
export function accountThrottle(options: {
  failedLoginCount: number;
  lastFailedLoginAtMs: number | null;
  nowMs: number;
}): { retryAfterMs: number } {
  const excess = options.failedLoginCount - FREE_FAILED_ATTEMPTS;
  if (excess < 0 || options.lastFailedLoginAtMs === null) return { retryAfterMs: 0 };
  const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(excess, 20));
  return { retryAfterMs: Math.max(0, options.lastFailedLoginAtMs + delayMs - options.nowMs) };
}

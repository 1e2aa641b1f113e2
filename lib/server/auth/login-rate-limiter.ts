import 'server-only';

/**
 * Per-IP limiter for failed sign-ins, in memory (one web process; a restart forgets, which is fine for
 * a brake on guessing). The per-account brake lives in the database (users.failed_login_count).
 */
export interface LoginRateLimiterOptions {
  windowMs: number;
  maxFailuresPerWindow: number;
  /** Bounds memory under a flood of distinct addresses. */
  maxTrackedAddresses: number;
}

export class LoginRateLimiter {
  private readonly failuresByIp = new Map<string, number[]>();

  constructor(private readonly options: LoginRateLimiterOptions) {}

  /** Milliseconds this address must wait before trying again (0 = may try now). */
  retryAfterMs(ip: string, nowMs: number): number {
    const recent = this.recentFailures(ip, nowMs);
    if (recent.length < this.options.maxFailuresPerWindow) return 0;
    const oldest = recent[recent.length - this.options.maxFailuresPerWindow] ?? nowMs;
    return Math.max(0, oldest + this.options.windowMs - nowMs);
  }

  recordFailure(ip: string, nowMs: number): void {
    if (!this.failuresByIp.has(ip) && this.failuresByIp.size >= this.options.maxTrackedAddresses) {
      this.prune(nowMs);
      if (this.failuresByIp.size >= this.options.maxTrackedAddresses) {
        const firstKey = this.failuresByIp.keys().next().value;
        if (firstKey !== undefined) this.failuresByIp.delete(firstKey);
      }
    }
    const recent = this.recentFailures(ip, nowMs);
    recent.push(nowMs);
    this.failuresByIp.set(ip, recent);
  }

  recordSuccess(ip: string): void {
    this.failuresByIp.delete(ip);
  }

  private recentFailures(ip: string, nowMs: number): number[] {
    const all = this.failuresByIp.get(ip) ?? [];
    return all.filter((atMs) => atMs > nowMs - this.options.windowMs);
  }

  private prune(nowMs: number): void {
    for (const [ip, failures] of this.failuresByIp) {
      if (failures.every((atMs) => atMs <= nowMs - this.options.windowMs)) this.failuresByIp.delete(ip);
    }
  }
}

const holder = globalThis as typeof globalThis & { __flowlensLoginRateLimiter?: LoginRateLimiter };

/** The process-wide limiter: 20 failed sign-ins per address per 10 minutes. */
export function loginRateLimiter(): LoginRateLimiter {
  holder.__flowlensLoginRateLimiter ??= new LoginRateLimiter({
    windowMs: 10 * 60 * 1000,
    maxFailuresPerWindow: 20,
    maxTrackedAddresses: 10_000,
  });
  return holder.__flowlensLoginRateLimiter;
}

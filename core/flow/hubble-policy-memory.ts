import type { PolicyHit } from './types';

export interface HubblePolicyMemoryOptions {
  /** Conversations remembered at most; the least recently seen is forgotten first. */
  maxEntries: number;
  /** A conversation silent for longer than this is forgotten (its connections have ended). */
  ttlMs: number;
}

/** Defaults for a collector: bounded to a few MB, an hour of silence. */
export const DEFAULT_HUBBLE_POLICY_MEMORY: HubblePolicyMemoryOptions = { maxEntries: 20_000, ttlMs: 60 * 60 * 1000 };

/**
 * The policies that decided each conversation (cluster, source and destination workloads, port, protocol,
 * verdict) of a Hubble stream, remembered across batches. Cilium names the policies only in the
 * policy-verdict event of a connection's first packet; a long-lived connection's later windows hold trace
 * events alone, which were decided by that verdict (established connections follow conntrack), not by "no
 * policy". Pure data: the caller passes event times in.
 */
export class HubblePolicyMemory {
  private readonly entries = new Map<string, { trace: readonly PolicyHit[]; lastMs: number }>();

  constructor(private readonly options: HubblePolicyMemoryOptions = DEFAULT_HUBBLE_POLICY_MEMORY) {}

  get size(): number {
    return this.entries.size;
  }

  /** A window of the conversation named these policies. */
  remember(key: string, trace: readonly PolicyHit[], atMs: number): void {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.lastMs > atMs) return; // a later decision is already known
    this.entries.delete(key);
    this.entries.set(key, { trace, lastMs: atMs });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** The policies that decided the conversation, if it was seen within the time limit; the sighting keeps it alive. */
  recall(key: string, atMs: number): readonly PolicyHit[] | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (Math.abs(atMs - entry.lastMs) > this.options.ttlMs) {
      if (atMs > entry.lastMs) this.entries.delete(key);
      return undefined;
    }
    if (atMs > entry.lastMs) {
      this.entries.delete(key);
      this.entries.set(key, { trace: entry.trace, lastMs: atMs });
    }
    return entry.trace;
  }
}

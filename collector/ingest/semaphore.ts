/** A counting semaphore with a bounded wait queue: callers past the bound are refused, not queued. */
export class BoundedSemaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly permits: number, private readonly maxWaiting: number) {}

  /** Batches in the writer plus batches waiting for it. */
  get depth(): number {
    return this.active + this.waiters.length;
  }

  get full(): boolean {
    return this.active >= this.permits && this.waiters.length >= this.maxWaiting;
  }

  /** Resolves with a release function, or with null when the queue is full. */
  async acquire(): Promise<(() => void) | null> {
    if (this.active < this.permits) {
      this.active += 1;
      return this.releaser();
    }
    if (this.waiters.length >= this.maxWaiting) return null;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active -= 1;
    };
  }
}

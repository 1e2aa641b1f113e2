/**
 * The live tail's watermark over flow ids (see stream-live-flows.ts for why): `floor` — every matching
 * flow with an id at or below it has been sent — and the ids sent above it. Pure: the stream feeds it
 * what each poll saw.
 */

export interface LiveTailPoll {
  /** The flow id sequence's value read just before the poll's snapshot. */
  sequence: bigint;
  /** The poll's own transaction id (above every id assigned before the poll). */
  xid: bigint;
  /** The poll snapshot's xmin: every transaction id below it had ended. */
  xmin: bigint;
  atMs: number;
  /** Ids of the rows the poll read (above the floor, not sent before), ascending. */
  rowIds: readonly bigint[];
  /** False when the poll stopped at its row limit (rows above the last one may be unread). */
  complete: boolean;
}

interface Checkpoint {
  sequence: bigint;
  xid: bigint;
  atMs: number;
}

export class LiveTailFloor {
  private readonly sent = new Set<bigint>();
  private readonly checkpoints: Checkpoint[] = [];

  /**
   * @param floor where the tail starts (ids at or below it are history)
   * @param maxHoldMs a transaction open longer than this (a writer's last a second or two) no longer holds
   *   the floor back, so what the tail remembers stays bounded; rows it commits later may then be missed.
   */
  constructor(
    public floor: bigint,
    private readonly maxHoldMs = 60_000,
  ) {}

  /** Ids above the floor already sent (the next poll skips them). */
  sentIds(): bigint[] {
    return [...this.sent];
  }

  /** Records a poll; returns true when a checkpoint passed only because it was older than `maxHoldMs`. */
  record(poll: LiveTailPoll): boolean {
    for (const id of poll.rowIds) this.sent.add(id);
    this.checkpoints.push({ sequence: poll.sequence, xid: poll.xid, atMs: poll.atMs });
    // Every visible unsent row up to here has been read: all of them, or those up to the last one read.
    const readUpTo = poll.complete ? null : (poll.rowIds[poll.rowIds.length - 1] ?? this.floor);
    let forced = false;
    for (;;) {
      const oldest = this.checkpoints[0];
      if (!oldest) break;
      const ended = oldest.xid < poll.xmin;
      const tooOld = poll.atMs - oldest.atMs > this.maxHoldMs;
      if (!ended && !tooOld) break;
      // Every id up to the checkpoint's sequence belongs to a transaction that has ended: its rows are
      // visible now, and the poll read all of them up to `readUpTo`.
      if (readUpTo !== null && oldest.sequence > readUpTo) {
        if (readUpTo > this.floor) this.floor = readUpTo;
        break;
      }
      if (!ended) forced = true;
      if (oldest.sequence > this.floor) this.floor = oldest.sequence;
      this.checkpoints.shift();
    }
    for (const id of this.sent) if (id <= this.floor) this.sent.delete(id);
    return forced;
  }
}

import { describe, expect, it } from 'vitest';
import { LiveTailFloor, type LiveTailPoll } from './live-tail-floor';

const poll = (fields: Partial<LiveTailPoll> & Pick<LiveTailPoll, 'sequence' | 'xid' | 'xmin'>): LiveTailPoll => ({ atMs: 0, rowIds: [], complete: true, ...fields });

describe('LiveTailFloor', () => {
  it('moves to a poll’s sequence once every older transaction has ended', () => {
    const tail = new LiveTailFloor(10n);
    // Nothing in progress: xmin is past the poll's own transaction once it has committed (next poll).
    expect(tail.record(poll({ sequence: 12n, xid: 100n, xmin: 100n, rowIds: [11n, 12n] }))).toBe(false);
    expect(tail.floor).toBe(10n);
    expect(tail.sentIds()).toEqual([11n, 12n]);
    tail.record(poll({ sequence: 12n, xid: 101n, xmin: 101n }));
    expect(tail.floor).toBe(12n);
    expect(tail.sentIds()).toEqual([]);
  });

  it('holds the floor while a transaction that may own lower ids is open, then sends its rows', () => {
    const tail = new LiveTailFloor(10n);
    // Transaction 99 took id 11 and is still open; id 12 committed and is read.
    tail.record(poll({ sequence: 12n, xid: 100n, xmin: 99n, rowIds: [12n] }));
    tail.record(poll({ sequence: 12n, xid: 101n, xmin: 99n }));
    expect(tail.floor).toBe(10n);
    expect(tail.sentIds()).toEqual([12n]);
    // 99 commits: id 11 is read above the floor, and the floor passes both.
    tail.record(poll({ sequence: 13n, xid: 102n, xmin: 102n, rowIds: [11n] }));
    expect(tail.floor).toBe(12n);
    tail.record(poll({ sequence: 13n, xid: 103n, xmin: 103n }));
    expect(tail.floor).toBe(13n);
    expect(tail.sentIds()).toEqual([]);
  });

  it('does not pass rows a poll left unread at its row limit', () => {
    const tail = new LiveTailFloor(0n);
    tail.record(poll({ sequence: 1000n, xid: 100n, xmin: 100n, rowIds: [1n, 2n, 3n], complete: false }));
    tail.record(poll({ sequence: 1000n, xid: 101n, xmin: 101n, rowIds: [4n, 5n, 6n], complete: false }));
    expect(tail.floor).toBe(6n);
    expect(tail.sentIds()).toEqual([]);
    tail.record(poll({ sequence: 1000n, xid: 102n, xmin: 102n, rowIds: [7n], complete: true }));
    expect(tail.floor).toBe(1000n);
  });

  it('lets a transaction open longer than the hold limit stop holding the floor, and says so', () => {
    const tail = new LiveTailFloor(10n, 60_000);
    tail.record(poll({ sequence: 20n, xid: 100n, xmin: 50n, atMs: 0, rowIds: [20n] }));
    expect(tail.record(poll({ sequence: 30n, xid: 101n, xmin: 50n, atMs: 30_000, rowIds: [30n] }))).toBe(false);
    expect(tail.floor).toBe(10n);
    expect(tail.record(poll({ sequence: 30n, xid: 102n, xmin: 50n, atMs: 61_000 }))).toBe(true);
    expect(tail.floor).toBe(20n);
    expect(tail.sentIds()).toEqual([30n]);
  });
});

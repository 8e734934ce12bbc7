import { describe, expect, it } from 'vitest';
import { LocalVoteLog } from './localVotes';

function clockAt(start = 1000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('LocalVoteLog', () => {
  it('keeps a vote cast after the snapshot was requested', () => {
    const c = clockAt();
    const log = new LocalVoteLog(c.now);
    const requestedAt = log.clock();
    c.t += 5;
    log.record(7);
    expect([...log.reconcile([3], new Set([3, 7]), requestedAt)].sort()).toEqual([3, 7]);
  });

  it('keeps an undo made after the snapshot was requested', () => {
    const c = clockAt();
    const log = new LocalVoteLog(c.now);
    const requestedAt = log.clock();
    c.t += 5;
    log.record(7);
    expect([...log.reconcile([3, 7], new Set([3]), requestedAt)]).toEqual([3]);
  });

  it("takes the server's word for changes the snapshot already knew", () => {
    const c = clockAt();
    const log = new LocalVoteLog(c.now);
    log.record(7);
    c.t += 5;
    const requestedAt = log.clock();
    // Another tab undid clip 7 since: the fresh snapshot says so, and it wins.
    expect([...log.reconcile([3], new Set([3, 7]), requestedAt)]).toEqual([3]);
    expect(log.changedSince(7, requestedAt)).toBe(false);
    expect(log.anyChangeSince(requestedAt)).toBe(false);
  });

  it('counts a change in the same instant as the request as newer', () => {
    const c = clockAt();
    const log = new LocalVoteLog(c.now);
    const requestedAt = log.clock();
    log.record(7);
    expect(log.changedSince(7, requestedAt)).toBe(true);
    expect(log.anyChangeSince(requestedAt)).toBe(true);
  });

  it('forgets changes older than ten minutes, and holds at most a thousand', () => {
    const c = clockAt();
    const log = new LocalVoteLog(c.now);
    log.record(1);
    c.t += 11 * 60_000;
    log.record(2);
    expect(log.changedSince(1, 0)).toBe(false);
    expect(log.changedSince(2, 0)).toBe(true);
    for (let id = 100; id < 1200; id += 1) log.record(id);
    expect(log.changedSince(100, 0)).toBe(false);
    expect(log.changedSince(1199, 0)).toBe(true);
  });
});

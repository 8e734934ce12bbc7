// The votes this page cast or took back, and when. A feed snapshot requested before such a change
// cannot know of it, so when that snapshot arrives the change wins over it: otherwise a refresh
// that crossed a vote (asked before it, answered after it) would take the vote back on screen.

// Snapshots older than this are long answered; older changes are forgotten so the log stays small.
const KEEP_MS = 10 * 60_000;
const MAX_ENTRIES = 1000;

export class LocalVoteLog {
  private readonly changedAt = new Map<number, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  // Stamps the current time; a snapshot stamped with `clock()` before this is older than the change.
  clock(): number {
    return this.now();
  }

  record(clipId: number): void {
    const at = this.now();
    this.changedAt.delete(clipId);  // re-inserted last, so the map stays in time order
    this.changedAt.set(clipId, at);
    for (const [id, when] of this.changedAt) {
      if (at - when <= KEEP_MS && this.changedAt.size <= MAX_ENTRIES) break;
      this.changedAt.delete(id);
    }
  }

  // Whether the clip's vote changed here at or after `since` (a change in the same instant as
  // the request counts as newer: keeping the screen's state is the safe side).
  changedSince(clipId: number, since: number): boolean {
    const at = this.changedAt.get(clipId);
    return at !== undefined && at >= since;
  }

  anyChangeSince(since: number): boolean {
    for (const at of this.changedAt.values()) if (at >= since) return true;
    return false;
  }

  // The voted set to show once a snapshot requested at `requestedAt` arrives: the server's word,
  // except for clips changed here since, which keep the state on screen.
  reconcile(serverVoted: Iterable<number>, onScreen: ReadonlySet<number>, requestedAt: number): Set<number> {
    const result = new Set(serverVoted);
    for (const [id, at] of this.changedAt) {
      if (at < requestedAt) continue;
      if (onScreen.has(id)) result.add(id); else result.delete(id);
    }
    return result;
  }
}

// One log for the page: the arena, the story and the clip page vote for the same voter.
export const localVotes = new LocalVoteLog();

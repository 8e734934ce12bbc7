// Pure helpers of the arena's navigation, unit-tested without a browser.
export function nextIndex(current: number, delta: number, length: number): number {
  if (length === 0) return 0;
  return Math.max(0, Math.min(length - 1, current + delta));
}

// A vertical swipe of more than `threshold` px moves one clip: up = next, down = previous.
export function swipeDelta(startY: number, endY: number, threshold = 60): -1 | 0 | 1 {
  const dy = endY - startY;
  if (dy <= -threshold) return 1;
  if (dy >= threshold) return -1;
  return 0;
}

// Two taps within `windowMs` are a double tap (vote); a single tap toggles playback. Times are the
// events' own timestamps (when the finger or button acted), not when the page got round to
// handling them: on a busy phone the second tap's handler can run well after the tap. 0: no tap.
export function isDoubleTap(lastTapAt: number, now: number, windowMs = 300): boolean {
  return lastTapAt > 0 && now - lastTapAt <= windowMs;
}

export function shouldLoadMore(index: number, loaded: number, hasMore: boolean): boolean {
  return hasMore && index >= loaded - 3;
}

export const MILESTONES = [1, 50, 100, 200];
export function milestoneMessage(n: number): string {
  switch (n) {
    case 1: return 'First vote of the day! 🎬';
    case 50: return '50 votes today — you are shaping this movie 🔥';
    case 100: return '100 votes! Director material 🎥';
    case 200: return 'All 200 votes cast today. Legend. 🏆';
    default: return `${n} votes today`;
  }
}

// The notes a vote plays: one for any vote, a rising figure for the 1st, 50th, 100th and 200th
// of the day (each longer than the last), so a milestone is heard as well as seen.
export function voteNotes(milestone?: number): number[] {
  switch (milestone) {
    case 1: return [660, 880];
    case 50: return [587, 740, 880];
    case 100: return [523, 659, 784, 1047];
    case 200: return [523, 659, 784, 1047, 1319];
    default: return [880];
  }
}

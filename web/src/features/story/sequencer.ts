// The story sequencer: which winning scene plays, and what comes after it. Pure, so the
// auto-advance rules are unit-tested without a video element.
export interface Sequence {
  index: number;
  length: number;
}

export function advance(seq: Sequence): Sequence & { finished: boolean } {
  if (seq.index + 1 >= seq.length) return { ...seq, finished: true };
  return { index: seq.index + 1, length: seq.length, finished: false };
}

export function jump(seq: Sequence, to: number): Sequence {
  return { index: Math.max(0, Math.min(seq.length - 1, to)), length: seq.length };
}

// Segment fill for the top progress bar: scenes before the current one are full, the current
// one shows its playback fraction, later ones are empty.
export function segmentFill(segment: number, current: number, fraction: number): number {
  if (segment < current) return 1;
  if (segment > current) return 0;
  return Math.max(0, Math.min(1, fraction));
}

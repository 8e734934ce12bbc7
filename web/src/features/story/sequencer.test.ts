import { describe, expect, it } from 'vitest';
import { advance, jump, segmentFill } from './sequencer';

describe('story sequencer', () => {
  it('plays scenes in order and stops after the last', () => {
    let seq = { index: 0, length: 3 };
    const a = advance(seq);
    expect(a).toEqual({ index: 1, length: 3, finished: false });
    seq = { index: 2, length: 3 };
    expect(advance(seq).finished).toBe(true);
    expect(advance(seq).index).toBe(2);
  });
  it('jumps to a scene within bounds', () => {
    expect(jump({ index: 0, length: 4 }, 3).index).toBe(3);
    expect(jump({ index: 0, length: 4 }, 9).index).toBe(3);
    expect(jump({ index: 2, length: 4 }, -1).index).toBe(0);
  });
  it('fills the progress segments', () => {
    expect(segmentFill(0, 1, 0.5)).toBe(1);
    expect(segmentFill(1, 1, 0.5)).toBe(0.5);
    expect(segmentFill(2, 1, 0.5)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { isDoubleTap, milestoneMessage, nextIndex, shouldLoadMore, swipeDelta, voteNotes } from './feedNavigation';

describe('feed navigation', () => {
  it('moves within bounds', () => {
    expect(nextIndex(0, 1, 5)).toBe(1);
    expect(nextIndex(4, 1, 5)).toBe(4);
    expect(nextIndex(0, -1, 5)).toBe(0);
    expect(nextIndex(3, -1, 5)).toBe(2);
    expect(nextIndex(0, 1, 0)).toBe(0);
  });
  it('reads swipes: up is next, down is previous, short moves are taps', () => {
    expect(swipeDelta(500, 300)).toBe(1);
    expect(swipeDelta(300, 500)).toBe(-1);
    expect(swipeDelta(300, 330)).toBe(0);
  });
  it('tells a double tap from two taps', () => {
    expect(isDoubleTap(1000, 1200)).toBe(true);
    expect(isDoubleTap(1000, 1400)).toBe(false);
    expect(isDoubleTap(0, 120)).toBe(false);  // no tap before: a tap early after load is single
  });
  it('loads more clips three before the end when the server has more', () => {
    expect(shouldLoadMore(5, 8, true)).toBe(true);
    expect(shouldLoadMore(4, 8, true)).toBe(false);
    expect(shouldLoadMore(7, 8, false)).toBe(false);
  });
  it('celebrates the milestones', () => {
    expect(milestoneMessage(1)).toMatch(/First vote/);
    expect(milestoneMessage(200)).toMatch(/200/);
  });
  it('plays one note for a vote and a longer rising figure for each milestone', () => {
    expect(voteNotes()).toEqual([880]);
    const figures = [1, 50, 100, 200].map((m) => voteNotes(m));
    for (const notes of figures) {
      expect(notes.length).toBeGreaterThan(1);
      for (let i = 1; i < notes.length; i++) expect(notes[i]).toBeGreaterThan(notes[i - 1]);
    }
    for (let i = 1; i < figures.length; i++) expect(figures[i].length).toBeGreaterThanOrEqual(figures[i - 1].length);
    expect(voteNotes(200).length).toBeGreaterThan(voteNotes(1).length);
  });
});

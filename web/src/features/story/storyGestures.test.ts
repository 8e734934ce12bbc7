import { describe, expect, it } from 'vitest';
import { isImmersive, seasonProgress, swipeOf } from './storyGestures';

describe('story gestures', () => {
  it('a vertical swipe moves between scenes: up is the next one', () => {
    expect(swipeOf(4, -80)).toEqual({ axis: 'scene', step: 1 });
    expect(swipeOf(-10, 120)).toEqual({ axis: 'scene', step: -1 });
  });
  it('a horizontal swipe moves between seasons: left is the next one', () => {
    expect(swipeOf(-90, 10)).toEqual({ axis: 'season', step: 1 });
    expect(swipeOf(70, -5)).toEqual({ axis: 'season', step: -1 });
  });
  it('short moves and diagonal drags are not swipes', () => {
    expect(swipeOf(30, -40)).toBeNull();
    expect(swipeOf(49, 0)).toBeNull();
    expect(swipeOf(80, -80)).toBeNull();
    expect(swipeOf(50, 0)).toEqual({ axis: 'season', step: -1 });
  });
  it('the player is immersive in phone landscape or fullscreen', () => {
    expect(isImmersive(false, false)).toBe(false);
    expect(isImmersive(true, false)).toBe(true);
    expect(isImmersive(false, true)).toBe(true);
  });
  it('season progress is the share of locked scenes, bounded', () => {
    expect(seasonProgress(15, 75)).toBeCloseTo(0.2);
    expect(seasonProgress(undefined, 75)).toBe(0);
    expect(seasonProgress(80, 75)).toBe(1);
    expect(seasonProgress(3, 0)).toBe(0);
  });
});

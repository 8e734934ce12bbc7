// The story's gestures, pure so they are unit-tested without a touch screen: a vertical swipe
// moves between scenes (up = next), a horizontal one between seasons (left = next).
export interface Swipe {
  axis: 'scene' | 'season';
  step: -1 | 1;
}

// A swipe travels at least `min` px along its main axis and clearly more along it than across
// (a diagonal drag is neither), so scrolling the page is not mistaken for one.
export function swipeOf(dx: number, dy: number, min = 50): Swipe | null {
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  if (Math.max(ax, ay) < min) return null;
  if (ay >= ax * 1.5) return { axis: 'scene', step: dy < 0 ? 1 : -1 };
  if (ax >= ay * 1.5) return { axis: 'season', step: dx < 0 ? 1 : -1 };
  return null;
}

// In landscape on a phone, or in fullscreen, the player is immersive: the controls hide after
// a few quiet seconds and a tap brings them back.
export const CONTROLS_HIDE_MS = 3000;

export function isImmersive(landscapePhone: boolean, fullscreen: boolean): boolean {
  return landscapePhone || fullscreen;
}

// How far a season has come, for the strip's progress bar (0..1).
export function seasonProgress(locked: number | undefined, total: number): number {
  if (!total || !locked) return 0;
  return Math.max(0, Math.min(1, locked / total));
}

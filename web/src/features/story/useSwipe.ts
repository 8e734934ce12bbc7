import { useRef } from 'react';
import { swipeOf, type Swipe } from './storyGestures';

// Touch handlers that report a finished swipe (see swipeOf); taps and short drags report nothing.
export function useSwipe(onSwipe: (swipe: Swipe) => void) {
  const start = useRef<{ x: number; y: number } | null>(null);
  return {
    onTouchStart(e: React.TouchEvent) {
      const t = e.touches[0]!;
      start.current = { x: t.clientX, y: t.clientY };
    },
    onTouchEnd(e: React.TouchEvent) {
      const from = start.current;
      start.current = null;
      if (!from) return;
      const t = e.changedTouches[0]!;
      const swipe = swipeOf(t.clientX - from.x, t.clientY - from.y);
      if (swipe) onSwipe(swipe);
    },
  };
}

import { useEffect, useState } from 'react';

const seenKey = (seasonId: number) => `aimoviez.storyIntro.${seasonId}`;

export function storyIntroSeen(seasonId: number): boolean {
  return localStorage.getItem(seenKey(seasonId)) === '1';
}

// The season's premise typed over the picture the first time someone opens its story. One tap
// anywhere skips it; once typed it lingers a moment and goes. People who ask for less motion get
// the whole text at once.
export function StoryIntro({ seasonId, title, text, onDone }: { seasonId: number; title: string; text: string; onDone: () => void }) {
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const [shown, setShown] = useState(still ? text.length : 0);
  const finish = () => { localStorage.setItem(seenKey(seasonId), '1'); onDone(); };

  useEffect(() => {
    if (shown >= text.length) {
      const t = window.setTimeout(finish, 1500);
      return () => window.clearTimeout(t);
    }
    const t = window.setTimeout(() => setShown((n) => n + 1), 28);
    return () => window.clearTimeout(t);
  });  // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <button type="button" className="story-intro" data-testid="story-intro" onClick={finish}>
      <strong className="story-intro-title">{title}</strong>
      <span className="sr-only">{text}</span>
      <span className="story-intro-text" aria-hidden="true">{text.slice(0, shown)}<span>{shown < text.length ? '▍' : ''}</span></span>
      <span className="story-intro-skip">Tap to skip</span>
    </button>
  );
}

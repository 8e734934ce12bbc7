import { useLayoutEffect, useState } from 'react';
import { Link } from 'react-router-dom';

const SEEN = 'aimoviez.tourSeen';
interface Step { title: string; text: string; target: string; link?: { to: string; label: string } }
const STEPS: Step[] = [
  { title: 'Vote with ∞', text: 'Tap the ∞ button (or double-tap the video) to vote. Tap again to undo. The ring shows your 200 daily votes.', target: '[data-tour="vote"]' },
  { title: 'Swipe through clips', text: 'Swipe up or down — or use the arrow keys — to see every clip competing for this slot.', target: '[data-tour="browse"]' },
  { title: 'The story so far', text: 'Story plays every winning scene in order — it is the first tab while you vote. Watch holds finished seasons.', target: 'a[href="/story"]', link: { to: '/story', label: 'Open the story' } },
  { title: 'Make your own', text: 'Creators upload 8-second clips; the best ones become the next scene.', target: 'a[href="/upload"]' },
];

export function tourSeen(): boolean {
  return !!localStorage.getItem(SEEN);
}

// The first visible element matching `selector`, and where it is on screen.
function locate(selector: string): DOMRect | null {
  for (const el of document.querySelectorAll<HTMLElement>(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) return r;
  }
  return null;
}

// A skippable, shown-once tour of the arena: each step rings what it explains and places its
// card in the other half of the screen, so the card never covers the thing it is about.
export function SpotlightTour() {
  const [step, setStep] = useState(() => (tourSeen() ? -1 : 0));
  // Where this step's target is, measured before the browser paints: a ring or card placed from
  // the previous step's target would cover the new one for a frame (and a test could catch it).
  const [placed, setPlaced] = useState<{ step: number; rect: DOMRect | null }>({ step: -1, rect: null });
  const s = step >= 0 && step < STEPS.length ? STEPS[step]! : null;
  useLayoutEffect(() => {
    if (!s) return undefined;
    const update = () => setPlaced({ step, rect: locate(s.target) });
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [s, step]);
  if (!s || placed.step !== step) return null;
  const rect = placed.rect;
  const close = () => { localStorage.setItem(SEEN, '1'); setStep(-1); };
  const targetLow = rect ? rect.top + rect.height / 2 > window.innerHeight / 2 : true;
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="tour-title" className="tour" data-testid="tour"
      style={{ alignItems: targetLow ? 'flex-start' : 'flex-end' }}>
      {rect && <div className="tour-ring" aria-hidden="true" data-testid="tour-ring"
        style={{ left: rect.left - 6, top: rect.top - 6, width: rect.width + 12, height: rect.height + 12 }} />}
      <div className="glass card stack tour-card" data-testid="tour-card">
        <span className="muted">Step {step + 1} of {STEPS.length}</span>
        <h2 id="tour-title" style={{ margin: 0 }}>{s.title}</h2>
        <p style={{ margin: 0 }}>{s.text}</p>
        {s.link && <Link to={s.link.to} onClick={close}>{s.link.label}</Link>}
        <div className="row">
          <button className="btn" onClick={close}>Skip</button>
          <button className="btn btn-primary" onClick={() => (step + 1 < STEPS.length ? setStep(step + 1) : close())} autoFocus>
            {step + 1 < STEPS.length ? 'Next' : 'Got it'}
          </button>
        </div>
      </div>
    </div>
  );
}

import { useState } from 'react';
import { Link } from 'react-router-dom';

const SEEN = 'aimoviez.tourSeen';
const STEPS = [
  { title: 'Vote with ∞', text: 'Tap the ∞ button (or double-tap the video) to vote. Tap again to undo. The ring shows your 200 daily votes.' },
  { title: 'Swipe through clips', text: 'Swipe up or down — or use the arrow keys — to see every clip competing for this slot.' },
  { title: 'The story so far', text: 'Story plays every winning scene in order — it is the first tab while you vote. Watch holds finished seasons.', link: { to: '/story', label: 'Open the story' } },
  { title: 'Make your own', text: 'Creators upload 8-second clips; the best ones become the next scene.' },
];

// A skippable, shown-once tour of the arena.
export function SpotlightTour() {
  const [step, setStep] = useState(() => (localStorage.getItem(SEEN) ? -1 : 0));
  if (step < 0 || step >= STEPS.length) return null;
  const close = () => { localStorage.setItem(SEEN, '1'); setStep(-1); };
  const s = STEPS[step]!;
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="tour-title" style={{ position: 'fixed', inset: 0, zIndex: 80, background: 'rgba(0,0,0,0.6)', display: 'grid', placeItems: 'center', padding: 20 }}>
      <div className="glass card stack" style={{ maxWidth: 380, background: 'rgba(16,16,26,0.95)', color: '#fff' }}>
        <span className="muted">Step {step + 1} of {STEPS.length}</span>
        <h2 id="tour-title" style={{ margin: 0 }}>{s.title}</h2>
        <p style={{ margin: 0 }}>{s.text}</p>
        {'link' in s && s.link && <Link to={s.link.to} onClick={close}>{s.link.label}</Link>}
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

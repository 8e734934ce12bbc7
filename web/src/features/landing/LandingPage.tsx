import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Feed, Season } from '../../api/types';
import { useSession } from '../../api/session';

const INTRO_SEEN = 'aimoviez.introSeen';

// The 3.5 s intro counts down "8 seconds" on a first visit to the home page only (never for someone
// signed in, never in front of another page); any key or tap skips it.
function Intro({ onDone }: { onDone: () => void }) {
  const [n, setN] = useState(3);
  useEffect(() => {
    const tick = setInterval(() => setN((v) => v - 1), 1000);
    const done = setTimeout(onDone, 3500);
    return () => { clearInterval(tick); clearTimeout(done); };
  }, [onDone]);
  return (
    <div className="intro" role="dialog" aria-label="Intro" onClick={onDone} onKeyDown={onDone}>
      <div className="count gradient-text" aria-live="polite">{n > 0 ? n : '8s'}</div>
      <button className="btn" onClick={onDone}>Skip intro</button>
    </div>
  );
}

export function LandingPage() {
  const { data: session } = useSession();
  const signedIn = !!session?.user;
  const [introWanted, setShowIntro] = useState(() => !localStorage.getItem(INTRO_SEEN));
  const showIntro = introWanted && session !== undefined && !signedIn;
  const done = () => { localStorage.setItem(INTRO_SEEN, '1'); setShowIntro(false); };
  const genres = useQuery({ queryKey: ['genres'], queryFn: () => api.get<{ creatorCount: number }>('/api/genres') });
  const story = useQuery({ queryKey: ['story'], queryFn: () => api.get<{ seasons: Season[] }>('/api/story') });
  const round = useQuery({ queryKey: ['round-info'], queryFn: () => api.get<Feed>('/api/vote?limit=0') });
  const scenes = story.data?.seasons.reduce((n, s) => n + (s.locked_slots ?? 0), 0) ?? 0;
  return (
    <div className="landing">
      {showIntro && <Intro onDone={done} />}
      <div>
        <p className="badge badge-live" style={{ display: round.data?.votingOpen ? 'inline-flex' : 'none' }}>Voting is live</p>
        <h1>
          <span className="gradient-text">AiMoviez</span>
          <br />8SEC MADNESS
        </h1>
        <p className="tagline">
          Creators shoot 8-second scenes. Everyone votes. Scene by scene, the winners become a movie the whole
          community wrote together.
        </p>
        <div className="row" style={{ justifyContent: 'center' }}>
          {signedIn ? (
            <Link to="/dashboard" className="btn btn-primary">Continue voting</Link>
          ) : (
            <>
              <Link to="/login" className="btn btn-primary">Join the movie</Link>
              <Link to="/dashboard" className="btn">Start voting</Link>
            </>
          )}
          <Link to="/story" className="btn">Watch the story</Link>
        </div>
        <div className="stats">
          <div className="glass stat"><strong>{genres.data?.creatorCount ?? '—'}</strong><span className="muted">creators</span></div>
          <div className="glass stat"><strong>{scenes}</strong><span className="muted">scenes locked in</span></div>
          <div className="glass stat">
            <strong>{round.data?.currentSlot ? `${round.data.currentSlot}/${round.data.totalSlots}` : '—'}</strong>
            <span className="muted">slot now voting</span>
          </div>
        </div>
        <nav className="footer-links" aria-label="About">
          <Link to="/about">About</Link>
          <Link to="/privacy">Privacy</Link>
          <Link to="/terms">Terms</Link>
          <Link to="/contact">Contact</Link>
        </nav>
      </div>
    </div>
  );
}

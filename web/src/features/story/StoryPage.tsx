import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveChannel, usePollWhileDown } from '../../live/useLive';
import { api } from '../../api/client';
import type { Clip, Season } from '../../api/types';
import { ScenePlayer } from './ScenePlayer';

function statusBadge(s: Season) {
  if (s.status === 'active') return <span className="badge badge-live">Live</span>;
  if (s.status === 'finished' || s.status === 'archived') return <span className="badge badge-done">Complete</span>;
  return <span className="badge badge-soon">Coming soon</span>;
}

export function winnersOf(season: Season | undefined): Clip[] {
  return (season?.slots ?? []).filter((s) => s.winner).map((s) => s.winner!);
}

// Types the season's premise once per season.
function Typewriter({ seasonId, text }: { seasonId: number; text: string }) {
  const key = `aimoviez.storyIntro.${seasonId}`;
  const [shown, setShown] = useState(() => (localStorage.getItem(key) ? text.length : 0));
  useEffect(() => {
    if (shown >= text.length) { localStorage.setItem(key, '1'); return; }
    const t = setTimeout(() => setShown((n) => n + 1), 28);
    return () => clearTimeout(t);
  }, [shown, text, key]);
  return <p className="muted" aria-label={text}>{text.slice(0, shown)}<span aria-hidden="true">{shown < text.length ? '▍' : ''}</span></p>;
}

export function StoryPage() {
  const qc = useQueryClient();
  const story = useQuery({ queryKey: ['story'], queryFn: () => api.get<{ seasons: Season[] }>('/api/story'), refetchInterval: usePollWhileDown() });
  // Winners and opened slots change the story at once.
  useLiveChannel('season', () => { void qc.invalidateQueries({ queryKey: ['story'] }); });
  // The season is in the URL (?season=ID), so a story link opens the season it was shared from.
  const [params, setParams] = useSearchParams();
  const seasonId = Number(params.get('season')) || null;
  const setSeasonId = (id: number) => setParams({ season: String(id) }, { replace: true });
  const [stripOpen, setStripOpen] = useState(true);
  const seasons = story.data?.seasons ?? [];
  const season = seasons.find((s) => s.id === seasonId) ?? seasons[0];
  const scenes = useMemo(() => winnersOf(season), [season]);
  const contributors = useMemo(() => [...new Set(scenes.map((s) => s.username).filter(Boolean))], [scenes]);

  if (story.isLoading) return <div className="page"><div className="skeleton" style={{ height: 420 }} /></div>;
  if (!season) return <div className="page"><h1>Story</h1><p className="muted">No season has started yet.</p></div>;

  return (
    <div className="page">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>The Story</h1>
        <button className="btn btn-small" aria-expanded={stripOpen} onClick={() => setStripOpen((o) => !o)}>
          {stripOpen ? 'Hide seasons' : 'Show seasons'}
        </button>
      </div>
      {stripOpen && (
        <div className="season-strip" role="list" aria-label="Seasons">
          {seasons.map((s) => (
            <div key={s.id} role="listitem">
              <button className="glass season-chip" aria-pressed={s.id === season.id} onClick={() => setSeasonId(s.id)}>
                <div className="row" style={{ gap: 8 }}>{statusBadge(s)}<strong>{s.label}</strong></div>
                <span className="muted" style={{ fontSize: 13 }}>{s.genre} · {s.locked_slots}/{s.total_slots} scenes</span>
              </button>
            </div>
          ))}
        </div>
      )}
      <div className="story-layout" style={{ marginTop: 16 }}>
        <ScenePlayer scenes={scenes} endCard={
          season.status === 'active' && season.current_slot ? (
            <div className="stack" style={{ alignItems: 'center' }}>
              <h2 style={{ margin: 0 }}>That's the story so far</h2>
              <p style={{ margin: 0 }}>Scene {season.current_slot} is being chosen right now.</p>
              <Link className="btn btn-primary" to="/dashboard">Vote on the next scene</Link>
            </div>
          ) : (
            <div className="stack" style={{ alignItems: 'center' }}>
              <h2 style={{ margin: 0 }}>The end</h2>
              <Link className="btn btn-primary" to={`/watch?season=${season.id}`}>Watch it as one film</Link>
            </div>
          )} />
        <div className="stack">
          <div className="glass card stack">
            <h2 style={{ margin: 0 }}>{season.label}</h2>
            <Typewriter seasonId={season.id} text={season.description || `A ${season.genre} story.`} />
            <p style={{ margin: 0 }}>
              {season.locked_slots} of {season.total_slots} scenes locked
              {season.current_slot ? <> · <Link to="/dashboard">slot {season.current_slot} is voting now — vote</Link></> : ''}
            </p>
          </div>
          <div className="glass card stack">
            <h3 style={{ margin: 0 }}>Contributors</h3>
            {contributors.length === 0 ? <p className="muted">No winners yet.</p> : (
              <ul style={{ margin: 0, paddingLeft: 18 }}>{contributors.map((c) => <li key={c}>{c === 'deleted user' ? '@deleted user' : <Link to={`/u/${c}`}>@{c}</Link>}</li>)}</ul>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

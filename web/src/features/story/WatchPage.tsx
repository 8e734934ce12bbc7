import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { Season } from '../../api/types';
import { ScenePlayer } from './ScenePlayer';
import { winnersOf } from './StoryPage';

interface Chapter { slot: number; title: string; creator: string; startMs: number; endMs: number }
interface Film { status: 'queued' | 'building' | 'ready' | 'failed'; progress: number; videoUrl?: string; downloadUrl?: string; chapters: Chapter[]; durationMs: number }

// The assembled film when it is ready (one MP4 with a chapter per slot); until then the
// scene-by-scene player.
function SeasonFilm({ season }: { season: Season }) {
  const film = useQuery({
    queryKey: ['film', season.id],
    queryFn: () => api.get<{ film: Film }>(`/api/seasons/${season.id}/film`).then((r) => r.film).catch(() => null),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'ready' && q.state.data.status !== 'failed' ? 3000 : false),
  });
  const videoRef = useRef<HTMLVideoElement>(null);
  const [now, setNow] = useState(0);  // the film's playback position, in ms
  const f = film.data;
  if (!f || f.status !== 'ready' || !f.videoUrl) {
    return (
      <div className="stack">
        {f && (f.status === 'queued' || f.status === 'building') && <p className="muted" role="status">The film is being assembled… {f.progress}%</p>}
        <ScenePlayer scenes={winnersOf(season)} controls />
      </div>
    );
  }
  return (
    <div className="stack">
      <div className="film-frame">
        <video ref={videoRef} className="film-video" src={f.videoUrl} controls playsInline preload="metadata" data-testid="film-video"
          aria-label={`${season.label}, the film`} onTimeUpdate={(e) => setNow(e.currentTarget.currentTime * 1000)} />
      </div>
      <div className="row">
        <a className="btn btn-primary" href={f.downloadUrl} download>⬇ Download the film</a>
        <span className="muted">{Math.round(f.durationMs / 1000)} s · {f.chapters.length} scenes</span>
      </div>
      <ol className="chapters" aria-label="Chapters">
        {f.chapters.map((c) => {
          const playing = now >= c.startMs && now < c.endMs;
          return (
            <li key={c.slot}>
              <button className={`btn btn-small${playing ? ' now-playing' : ''}`} aria-current={playing ? 'true' : undefined}
                onClick={() => {
                  const v = videoRef.current;
                  if (!v) return;
                  v.currentTime = c.startMs / 1000;
                  setNow(c.startMs);
                  void v.play();
                  // The player may be scrolled away below a long chapter list.
                  v.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
                }}>
                <span className="chapter-time">{clock(c.startMs)}</span> {c.slot}. {c.title || 'Untitled'} — @{c.creator}{playing && <span className="sr-only"> (now playing)</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function runtime(season: Season): string {
  const ms = winnersOf(season).reduce((n, c) => n + c.duration_ms, 0);
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// The library of finished seasons and a full player for each.
export function WatchPage() {
  const story = useQuery({ queryKey: ['story', 'archived'], queryFn: () => api.get<{ seasons: Season[] }>('/api/story?includeArchived=true') });
  const finished = (story.data?.seasons ?? []).filter((s) => s.status === 'finished' || s.status === 'archived');
  const [params] = useSearchParams();
  const [selected, setSelected] = useState<number | null>(() => Number(params.get('season')) || null);
  const season = finished.find((s) => s.id === selected);
  const [shared, setShared] = useState<string | null>(null);
  async function share(s: Season) {
    const url = `${location.origin}/watch?season=${s.id}`;
    try {
      if (navigator.share) await navigator.share({ title: s.label, url });
      else { await navigator.clipboard.writeText(url); setShared('Link copied'); }
    } catch { /* share dismissed */ }
  }

  if (season) {
    return (
      <div className="page">
        <div className="row">
          <button className="btn btn-small" onClick={() => setSelected(null)}>← Library</button>
          <button className="btn btn-small" onClick={() => void share(season)}>{shared ?? 'Share'}</button>
        </div>
        <h1>{season.label}</h1>
        <div className="story-layout">
          <SeasonFilm season={season} />
          <div className="glass card stack">
            <h2 style={{ margin: 0 }}>Playlist</h2>
            <ol style={{ margin: 0, paddingLeft: 20 }}>
              {winnersOf(season).map((c) => <li key={c.id}>{c.title} — @{c.username}</li>)}
            </ol>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>Watch</h1>
      <p className="glass card row" style={{ justifyContent: 'space-between' }}>
        <span>Finished seasons play here as films. The season being made right now is in the Story.</span>
        <Link className="btn btn-small btn-primary" to="/story">The story so far →</Link>
      </p>
      {story.isLoading && <div className="skeleton" style={{ height: 240 }} />}
      {!story.isLoading && finished.length === 0 && <p className="muted">No season has finished yet. The first film appears here when its last scene locks.</p>}
      <div className="clip-grid">
        {finished.map((s) => {
          const cover = winnersOf(s)[0];
          return (
            <button key={s.id} className="glass clip-card" style={{ padding: 0, cursor: 'pointer', textAlign: 'left' }} onClick={() => setSelected(s.id)}>
              {cover ? <img src={cover.thumbnail_url} alt="" /> : <div className="skeleton" style={{ aspectRatio: '9 / 16' }} />}
              <div className="body">
                <strong><span className="sr-only">Play </span>{s.label}</strong>
                <span className="muted">{s.genre} · {winnersOf(s).length} scenes · {runtime(s)}</span>
              </div>
            </button>
          );
        })}
      </div>
    </div>
  );
}

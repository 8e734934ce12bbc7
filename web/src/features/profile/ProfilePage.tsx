import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveChannel } from '../../live/useLive';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import type { Clip } from '../../api/types';
import { Avatar } from '../../components/Avatar';

interface Stats {
  votesTotal: number; votesToday: number; clipsTotal: number; clipsPending: number;
  clipsActive: number; clipsLocked: number; rank: number | null; streakDays: number;
}
interface HistoryEntry { id: number; voteType: string; createdAt: string; clip: Clip }

const STATUS_BADGE: Record<string, string> = {
  pending: 'badge-pending', active: 'badge-live', locked: 'badge-done', eliminated: 'badge-soon', rejected: 'badge-rejected',
};

export function ProfilePage() {
  const { data: session } = useSession();
  const signedIn = !!session?.user;
  const [tab, setTab] = useState<'stats' | 'clips' | 'votes'>('stats');
  const stats = useQuery({ queryKey: ['profile', 'stats'], queryFn: () => api.get<Stats>('/api/profile/stats'), enabled: signedIn });
  const qc = useQueryClient();
  // A clip's review and processing progress arrive live.
  useLiveChannel(signedIn ? 'me' : null, () => { void qc.invalidateQueries({ queryKey: ['profile', 'clips'] }); });
  const clips = useQuery({ queryKey: ['profile', 'clips'], queryFn: () => api.get<{ clips: Clip[] }>('/api/profile/clips'), enabled: signedIn && tab === 'clips' });
  const history = useQuery({ queryKey: ['profile', 'history'], queryFn: () => api.get<{ votes: HistoryEntry[] }>('/api/profile/history'), enabled: signedIn && tab === 'votes' });

  if (!session) return null;
  if (!session.user) {
    return (
      <div className="page" style={{ maxWidth: 560 }}>
        <h1>Profile</h1>
        <div className="glass card stack"><p>Sign in to keep your votes, see your streak and upload clips.</p>
          <Link className="btn btn-primary" to="/login">Sign in</Link>
          <Link to="/settings">Settings</Link></div>
      </div>
    );
  }
  const user = session.user;
  const s = stats.data;
  return (
    <div className="page" style={{ maxWidth: 760 }}>
      <header className="glass card row" style={{ gap: 16 }}>
        <Avatar url={user.avatar_url} name={user.username} large />
        <div className="stack" style={{ gap: 4, flex: 1 }}>
          <h1 style={{ margin: 0 }}>@{user.username ?? 'new member'}</h1>
          <span className="muted">
            {s?.rank ? `#${s.rank} voter` : 'No votes yet'} · {s?.streakDays ? `🔥 ${s.streakDays}-day streak` : 'start a streak today'}
          </span>
          <div role="progressbar" aria-label="Today's votes" aria-valuemin={0} aria-valuemax={200} aria-valuenow={s?.votesToday ?? 0} style={{ height: 8, background: 'var(--glass)', borderRadius: 4, overflow: 'hidden' }}>
            <div style={{ height: '100%', width: `${Math.min(100, ((s?.votesToday ?? 0) / 200) * 100)}%`, background: 'var(--gradient)' }} />
          </div>
        </div>
        <div className="stack" style={{ gap: 6 }}>
          <Link className="btn btn-small" to="/settings">Settings</Link>
          {user.is_admin && <Link className="btn btn-small" to="/admin">Admin</Link>}
        </div>
      </header>
      <div className="tabs" role="tablist" style={{ marginTop: 16 }}>
        {(['stats', 'clips', 'votes'] as const).map((t) => (
          <button key={t} role="tab" className="btn btn-small" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t === 'stats' ? 'Stats' : t === 'clips' ? 'My clips' : 'Recent votes'}
          </button>
        ))}
      </div>
      {tab === 'stats' && s && (
        <div className="stats" style={{ justifyContent: 'flex-start' }}>
          {[['Votes today', s.votesToday], ['Votes all time', s.votesTotal], ['Clips uploaded', s.clipsTotal], ['Scenes won', s.clipsLocked], ['Competing now', s.clipsActive], ['In review', s.clipsPending]].map(([k, v]) => (
            <div key={k} className="glass stat"><strong>{v}</strong><span className="muted">{k}</span></div>
          ))}
        </div>
      )}
      {tab === 'clips' && (
        <div className="clip-grid">
          {(clips.data?.clips ?? []).map((c) => (
            <article key={c.id} className="glass clip-card" aria-label={c.title}>
              <img src={c.thumbnail_url} alt="" />
              <div className="body"><strong>{c.title}</strong><span className={`badge ${STATUS_BADGE[c.status] ?? ''}`}>{c.status}</span>
                {c.processing_status && c.processing_status !== 'ready' && (
                  <span className="badge badge-pending" data-testid="processing-status">
                    {c.processing_status === 'failed' ? `processing failed${c.processing_error ? `: ${c.processing_error}` : ''}` : `${c.processing_status} ${c.processing_progress ?? 0}%`}
                  </span>
                )}</div>
            </article>
          ))}
          {clips.data && clips.data.clips.length === 0 && <p className="muted">You have not uploaded a clip yet.</p>}
        </div>
      )}
      {tab === 'votes' && (
        <ol className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {(history.data?.votes ?? []).map((v) => (
            <li key={v.id} className="glass card row" style={{ justifyContent: 'space-between' }}>
              <span>{v.clip.title} <span className="muted">@{v.clip.username}</span></span>
              <span className="muted">{new Date(v.createdAt).toLocaleString()}</span>
            </li>
          ))}
          {history.data && history.data.votes.length === 0 && <p className="muted">No votes yet.</p>}
        </ol>
      )}
    </div>
  );
}

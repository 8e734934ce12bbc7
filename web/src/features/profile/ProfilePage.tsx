import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveChannel } from '../../live/useLive';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import type { Clip, Progress } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { InviteCard } from '../referrals/InviteCard';
import { VerifyVote } from '../verify/VerifyVote';
import { loadReceipts } from '../verify/receipts';
import { leafFields } from '../verify/merkle';
import { Bell, Flame } from '../../components/icons';
import { BadgeIcon } from '../../components/BadgeIcon';

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
  // ?tab=clips (from an upload or a notification) opens that tab.
  const [params] = useSearchParams();
  const wanted = params.get('tab');
  const [tab, setTab] = useState<'stats' | 'clips' | 'votes'>(wanted === 'clips' || wanted === 'votes' ? wanted : 'stats');
  const stats = useQuery({ queryKey: ['profile', 'stats'], queryFn: () => api.get<Stats>('/api/profile/stats'), enabled: signedIn });
  const progress = useQuery({ queryKey: ['profile', 'progress'], queryFn: () => api.get<Progress>('/api/profile/progress'), enabled: signedIn });
  const username = session?.user?.username;
  const people = useQuery({
    queryKey: ['profile', 'follows', username],
    queryFn: () => api.get<{ followers: number; following: number }>(`/api/users/${encodeURIComponent(username!)}`),
    enabled: !!username,
  });
  const qc = useQueryClient();
  // A clip's review and processing progress arrive live; so do notifications of XP and badges.
  useLiveChannel(signedIn ? 'me' : null, () => { void qc.invalidateQueries({ queryKey: ['profile'] }); });
  const clips = useQuery({ queryKey: ['profile', 'clips'], queryFn: () => api.get<{ clips: Clip[] }>('/api/profile/clips'), enabled: signedIn && tab === 'clips' });
  // The receipts this browser kept, by the vote's number: each can be checked against its
  // round's published log once the round closes.
  const receiptBySequence = new Map(loadReceipts().flatMap((r) => {
    try { return [[leafFields(r.leaf).sequence, r] as const]; } catch { return []; }
  }));
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
  const p = progress.data;
  const levelSpan = p ? p.nextLevelXp - p.levelStartXp : 1;
  const intoLevel = p ? p.xp - p.levelStartXp : 0;
  return (
    <div className="page" style={{ maxWidth: 760 }}>
      <header className="glass card row" style={{ gap: 16 }}>
        <Avatar url={user.avatar_url} name={user.username} large />
        <div className="stack" style={{ gap: 4, flex: 1 }}>
          <h1 style={{ margin: 0 }}>@{user.username ?? 'new member'}</h1>
          <span className="muted">
            {p && <strong data-testid="level">Level {p.level}</strong>} · {s?.rank ? `#${s.rank} voter` : 'No votes yet'} ·{' '}
            {p?.streakDays ? <span data-testid="streak"><Flame size={16} /> {p.streakDays}-day streak</span> : 'start a streak today'}
          </span>
          {people.data && (
            <Link to={`/u/${username}`} className="muted" data-testid="my-follow-counts" style={{ fontSize: 14 }}>
              <strong>{people.data.followers}</strong> {people.data.followers === 1 ? 'follower' : 'followers'} · <strong>{people.data.following}</strong> following
            </Link>
          )}
          {p && (
            <>
              <div className="level-bar" role="progressbar" aria-label={`Level ${p.level} progress`} aria-valuemin={0}
                aria-valuemax={levelSpan} aria-valuenow={intoLevel} data-testid="xp-bar">
                <div style={{ width: `${Math.min(100, (intoLevel / levelSpan) * 100)}%` }} />
              </div>
              <span className="muted" style={{ fontSize: 13 }} data-testid="xp-text">
                {p.xp} XP · {p.nextLevelXp - p.xp} XP to level {p.level + 1}
              </span>
            </>
          )}
        </div>
        <div className="stack" style={{ gap: 6 }}>
          <Link className="btn btn-small" to="/notifications"><Bell size={16} /> Notifications</Link>
          <Link className="btn btn-small" to="/settings">Settings</Link>
          {user.is_admin && <Link className="btn btn-small" to="/admin">Admin</Link>}
        </div>
      </header>
      <InviteCard />
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
      {tab === 'stats' && p && (
        <section aria-labelledby="badges-heading">
          <h2 id="badges-heading">Badges <span className="muted" style={{ fontSize: 14 }}>{p.badges.filter((b) => b.unlocked).length} of {p.badges.length}</span></h2>
          <ul className="badge-grid">
            {p.badges.map((b) => (
              <li key={b.id} className={`glass card badge-tile ${b.unlocked ? 'unlocked' : 'locked'}`} data-testid={`badge-${b.id}`}
                aria-label={`${b.name}: ${b.description}${b.unlocked ? ', unlocked' : `, ${b.progress} of ${b.target}`}`}>
                <span className="badge-icon" aria-hidden="true"><BadgeIcon id={b.id} /></span>
                <strong>{b.name}</strong>
                <span className="muted">{b.description}</span>
                {!b.unlocked && b.progress > 0 && (
                  <span className="mini-bar" aria-hidden="true"><div style={{ width: `${(b.progress / b.target) * 100}%` }} /></span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {tab === 'clips' && (
        <div className="clip-grid thumbs">
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
          {(history.data?.votes ?? []).map((v) => {
            const receipt = receiptBySequence.get(v.id);
            return (
              <li key={v.id} className="glass card stack" data-testid="recent-vote">
                <span className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
                  <span>{v.clip.title} <span className="muted">@{v.clip.username}</span></span>
                  <span className="muted">{new Date(v.createdAt).toLocaleString()}</span>
                </span>
                {receipt && <VerifyVote receipt={receipt} />}
              </li>
            );
          })}
          {history.data && history.data.votes.length === 0 && <p className="muted">No votes yet.</p>}
        </ol>
      )}
    </div>
  );
}

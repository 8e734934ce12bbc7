import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { useSession } from '../../api/session';
import type { PublicProfile } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { ReportDialog } from '../reports/ReportDialog';
import { Flame } from '../../components/icons';
import { BadgeIcon } from '../../components/BadgeIcon';

const STATUS_LABEL: Record<string, string> = { active: 'In the vote', locked: 'Winner', eliminated: 'Not chosen' };

// A person's public page (/u/{username}): level, badges, followers, their clips in the vote and
// their winners, with follow and block buttons for signed-in visitors.
export function UserProfilePage() {
  const { username = '' } = useParams();
  const { data: session } = useSession();
  const qc = useQueryClient();
  const [reporting, setReporting] = useState(false);
  const key = ['user', username];
  const profile = useQuery({ queryKey: key, queryFn: () => api.get<PublicProfile>(`/api/users/${encodeURIComponent(username)}`), retry: false });
  const follow = useMutation({
    mutationFn: (on: boolean) => api.post('/api/user/follow', { userId: profile.data!.user.id, follow: on }),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const block = useMutation({
    mutationFn: (on: boolean) => api.post('/api/user/block', { userId: profile.data!.user.id, block: on }),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });

  if (profile.error instanceof ApiError && profile.error.status === 404) {
    return <div className="page"><h1>No one here</h1><p className="muted">There is no @{username} on aimoviez.</p></div>;
  }
  const p = profile.data;
  if (!p) return null;
  const signedIn = !!session?.user;
  const error = follow.error ?? block.error;
  return (
    <div className="page" style={{ maxWidth: 760 }}>
      <header className="glass card row" style={{ gap: 16, flexWrap: 'wrap' }}>
        <Avatar url={p.user.avatar_url} name={p.user.username} large />
        <div className="stack" style={{ gap: 4, flex: 1, minWidth: 180 }}>
          <h1 style={{ margin: 0 }}>@{p.user.username}</h1>
          <span className="muted">
            <strong>Level {p.level}</strong>{p.streakDays > 0 && <> · <Flame size={16} /> {p.streakDays}-day streak</>}
          </span>
          <span data-testid="follow-counts"><strong>{p.followers}</strong> {p.followers === 1 ? 'follower' : 'followers'} · <strong>{p.following}</strong> following</span>
        </div>
        {signedIn && !p.isMe && (
          <div className="stack" style={{ gap: 6 }}>
            {!p.isBlocked && (
              <button className={`btn ${p.isFollowing ? '' : 'btn-primary'}`} aria-pressed={p.isFollowing}
                disabled={follow.isPending} onClick={() => follow.mutate(!p.isFollowing)}>
                {p.isFollowing ? 'Following' : 'Follow'}
              </button>
            )}
            <button className="btn btn-small" disabled={block.isPending} onClick={() => block.mutate(!p.isBlocked)}>
              {p.isBlocked ? 'Unblock' : 'Block'}
            </button>
            <button className="btn btn-small" onClick={() => setReporting(true)}>Report</button>
          </div>
        )}
        {!signedIn && <Link className="btn btn-primary" to={`/login?returnTo=${encodeURIComponent(`/u/${username}`)}`}>Sign in to follow</Link>}
        {p.isMe && <Link className="btn btn-small" to="/profile">Your profile</Link>}
      </header>
      {reporting && <ReportDialog targetType="user" targetId={p.user.id} what={`@${p.user.username}`} onClose={() => setReporting(false)} />}
      {error && <p role="alert" className="badge badge-rejected" style={{ marginTop: 8 }}>{error.message}</p>}
      {p.badges.length > 0 && (
        <section aria-labelledby="user-badges">
          <h2 id="user-badges">Badges</h2>
          <ul className="row" style={{ listStyle: 'none', padding: 0, flexWrap: 'wrap' }}>
            {p.badges.map((b) => (
              <li key={b.id} className="glass badge-tile unlocked card" title={b.description}>
                <span className="badge-icon" aria-hidden="true"><BadgeIcon id={b.id} /></span><strong>{b.name}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="user-clips">
        <h2 id="user-clips">Clips {p.wins > 0 && <span className="muted" style={{ fontSize: 14 }}>· {p.wins} {p.wins === 1 ? 'win' : 'wins'}</span>}</h2>
        {p.clips.length === 0 ? <p className="muted">No clips in the vote yet.</p> : (
          <div className="clip-grid thumbs">
            {p.clips.map((c) => (
              <article key={c.id} className="glass clip-card" aria-label={c.title}>
                <img src={c.thumbnail_url} alt="" />
                <div className="body"><strong>{c.title}</strong>
                  <span className={`badge ${c.status === 'locked' ? 'badge-done' : c.status === 'active' ? 'badge-live' : 'badge-soon'}`}>{STATUS_LABEL[c.status] ?? c.status}</span>
                  {c.status === 'active' && <Link to={`/dashboard?clip=${c.id}`}>Vote for it</Link>}
                </div>
              </article>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}

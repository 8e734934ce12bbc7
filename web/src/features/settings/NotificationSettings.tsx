import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { PublicUser } from '../../api/types';

const LABELS: Record<string, string> = {
  clip_approved: 'My clip was approved', clip_rejected: 'My clip was not approved', clip_won: 'My clip won its slot',
  round_started: 'A new voting round started', achievement: 'I unlocked a badge', daily_goal: 'I reached my daily goal',
  new_follower: 'Someone followed me', comment: 'Someone commented on my clip', reply: 'Someone replied to my comment',
  announcement: 'Announcements from the team', report_resolved: 'A report I made was reviewed',
};

// Which notifications the person receives, one switch per type.
export function NotificationSettings() {
  const qc = useQueryClient();
  const prefs = useQuery({
    queryKey: ['notification-preferences'],
    queryFn: () => api.get<{ preferences: Record<string, boolean> }>('/api/notifications/preferences'),
  });
  const save = useMutation({
    mutationFn: (change: Record<string, boolean>) => api.put<{ preferences: Record<string, boolean> }>('/api/notifications/preferences', { preferences: change }),
    onSuccess: (data) => qc.setQueryData(['notification-preferences'], data),
  });
  return (
    <section className="glass card stack" aria-labelledby="notifications-h" style={{ marginTop: 16 }}>
      <h2 id="notifications-h" style={{ margin: 0 }}>Notifications</h2>
      {Object.entries(prefs.data?.preferences ?? {}).map(([type, on]) => (
        <label key={type} className="row" style={{ justifyContent: 'space-between' }}>
          <span>{LABELS[type] ?? type}</span>
          <input type="checkbox" role="switch" checked={on} disabled={save.isPending}
            onChange={(e) => save.mutate({ [type]: e.target.checked })} />
        </label>
      ))}
    </section>
  );
}

// The people this person blocked, each with an Unblock button.
export function BlockedSection() {
  const qc = useQueryClient();
  const blocked = useQuery({ queryKey: ['blocked'], queryFn: () => api.get<{ blocked: { user: PublicUser }[] }>('/api/user/blocked') });
  const unblock = useMutation({
    mutationFn: (userId: number) => api.post('/api/user/block', { userId, block: false }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['blocked'] }),
  });
  const list = blocked.data?.blocked ?? [];
  if (list.length === 0) return null;
  return (
    <section className="glass card stack" aria-labelledby="blocked-h" style={{ marginTop: 16 }}>
      <h2 id="blocked-h" style={{ margin: 0 }}>Blocked people</h2>
      {list.map(({ user }) => (
        <div key={user.id} className="row" style={{ justifyContent: 'space-between' }}>
          <Link to={`/u/${user.username}`}>@{user.username}</Link>
          <button className="btn btn-small" onClick={() => unblock.mutate(user.id)}>Unblock</button>
        </div>
      ))}
    </section>
  );
}

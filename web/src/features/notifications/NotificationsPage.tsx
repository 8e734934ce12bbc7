import type { ComponentType } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import type { AppNotification, NotificationPage } from '../../api/types';
import { Ban, Bell, CircleCheck, Medal, Megaphone, MessageCircle, Reply, Shield, Target, Trophy, UserPlus, Vote } from '../../components/icons';

const ICONS: Record<string, ComponentType<{ size?: number }>> = {
  clip_approved: CircleCheck, clip_rejected: Ban, clip_won: Trophy, round_started: Vote, achievement: Medal,
  daily_goal: Target, new_follower: UserPlus, comment: MessageCircle, reply: Reply, announcement: Megaphone, report_resolved: Shield,
};

function NotificationIcon({ type }: { type: string }) {
  const Icon = ICONS[type] ?? Bell;
  return <Icon size={20} />;
}

function relativeTime(iso: string): string {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (seconds < 60) return rtf.format(-seconds, 'second');
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86_400), 'day');
}

export function NotificationsPage() {
  const { data: session } = useSession();
  const signedIn = !!session?.user;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const pages = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    queryFn: ({ pageParam }) =>
      api.get<NotificationPage>(`/api/notifications?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: signedIn,
  });
  const markRead = useMutation({
    mutationFn: (body: { action: 'read'; ids?: number[]; all?: boolean }) => api.post('/api/notifications', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });

  if (!session) return null;
  if (!signedIn) {
    return (
      <div className="page" style={{ maxWidth: 560 }}>
        <h1>Notifications</h1>
        <div className="glass card stack"><p>Sign in to hear when your clip is approved, wins its slot or gets a comment.</p>
          <Link className="btn btn-primary" to="/login">Sign in</Link></div>
      </div>
    );
  }
  const items = pages.data?.pages.flatMap((p) => p.notifications) ?? [];
  const unread = pages.data?.pages[0]?.unreadCount ?? 0;
  const open = (n: AppNotification) => {
    if (!n.read) markRead.mutate({ action: 'read', ids: [n.id] });
    if (n.link) navigate(n.link);
  };
  return (
    <div className="page" style={{ maxWidth: 640 }}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Notifications</h1>
        <button className="btn btn-small" disabled={unread === 0 || markRead.isPending}
          onClick={() => markRead.mutate({ action: 'read', all: true })}>Mark all read</button>
      </div>
      <ul className="stack notification-list" aria-label="Notifications">
        {items.map((n) => (
          <li key={n.id}>
            <button className={`glass card notification ${n.read ? '' : 'unread'}`} onClick={() => open(n)}
              data-testid="notification" data-type={n.type}>
              <span className="notification-icon" aria-hidden="true"><NotificationIcon type={n.type} /></span>
              <span className="stack" style={{ gap: 2, flex: 1, textAlign: 'left' }}>
                <strong>{n.title}</strong>
                {n.body && <span className="muted">{n.body}</span>}
              </span>
              <time className="muted" dateTime={n.createdAt}>{relativeTime(n.createdAt)}</time>
              {!n.read && <span className="sr-only">unread</span>}
            </button>
          </li>
        ))}
      </ul>
      {pages.data && items.length === 0 && <p className="muted">Nothing yet. Vote, upload a clip, and news about it lands here.</p>}
      {pages.hasNextPage && (
        <button className="btn" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>Older</button>
      )}
    </div>
  );
}

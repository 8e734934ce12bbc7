import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../api/session';
import { api } from '../api/client';
import type { Feed } from '../api/types';
import { Avatar } from './Avatar';
import { CookieNotice } from './CookieNotice';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useUnreadCount } from '../features/notifications/useNotifications';

// Mobile: a bottom navigation whose first tab is context-aware (Vote while a round is open,
// Story otherwise). Desktop: a top bar with the round info and a LIVE badge.
export function Layout() {
  const { data: session } = useSession();
  const location = useLocation();
  const { data: feed } = useQuery({
    queryKey: ['round-info'],
    queryFn: () => api.get<Feed>('/api/vote?limit=0'),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
  const live = !!feed?.votingOpen;
  const unread = useUnreadCount();
  const first = live ? { to: '/dashboard', icon: '∞', label: 'Vote' } : { to: '/story', icon: '🎞', label: 'Story' };
  // The spec's five tabs: Vote/Story, Watch, Upload, Ranks, Profile.
  const tabs = [
    first,
    { to: '/watch', icon: '▶', label: 'Watch' },
    { to: '/upload', icon: '+', label: 'Upload' },
    { to: '/leaderboard', icon: '🏆', label: 'Ranks' },
    { to: '/profile', icon: '👤', label: 'Profile' },
  ];
  const fullBleed = location.pathname === '/dashboard';
  return (
    <div className="app">
      <header className="topbar" role="banner">
        <NavLink to="/" className="brand gradient-text">AiMoviez</NavLink>
        <nav aria-label="Main">
          <NavLink to="/dashboard">Vote</NavLink>
          <NavLink to="/story">Story</NavLink>
          <NavLink to="/watch">Watch</NavLink>
          <NavLink to="/upload">Upload</NavLink>
          <NavLink to="/leaderboard">Leaderboard</NavLink>
          <NavLink to="/profile">Profile</NavLink>
          {session?.user?.is_admin && <NavLink to="/admin">Admin</NavLink>}
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <span className="spacer" />
        {feed?.currentSlot && (
          <span className="row muted round-info">
            {live && <span className="badge badge-live">Live</span>}
            <span>
              {feed.seasonLabel} · Slot {feed.currentSlot}/{feed.totalSlots}
            </span>
          </span>
        )}
        {session?.user && <NotificationBell />}
        {session?.user ? (
          <NavLink to="/profile" className="row" aria-label="Account">
            <Avatar url={session.user.avatar_url} name={session.user.username} />
            <span>{session.user.username ?? 'New member'}</span>
          </NavLink>
        ) : (
          <NavLink to="/login" className="btn btn-primary btn-small">Join</NavLink>
        )}
      </header>
      <main className={fullBleed ? '' : 'main'} id="main">
        <Outlet />
      </main>
      <nav className="bottomnav" aria-label="Main">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to}
            aria-label={t.to === '/profile' && unread > 0 ? `Profile, ${unread} unread notifications` : undefined}>
            <span className="nav-icon" aria-hidden="true">
              {t.icon}
              {t.to === '/profile' && unread > 0 && <span className="bell-count" data-testid="tab-unread-count">{unread > 99 ? '99+' : unread}</span>}
            </span>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <CookieNotice />
    </div>
  );
}

import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../api/session';
import { api } from '../api/client';
import type { Feed } from '../api/types';
import { Avatar } from './Avatar';
import { CookieNotice } from './CookieNotice';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useUnreadCount } from '../features/notifications/useNotifications';

// Mobile: a bottom navigation whose first tab switches between Vote and Story by context: Story
// while you are voting (one tap to the film so far), Vote elsewhere while a round is open, Story
// when none is. Desktop: a top bar with the round info and a LIVE badge. Both start with a skip
// link: to the vote button in the arena, to the page's content elsewhere.
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
  const onArena = location.pathname === '/dashboard';
  const storyTab = { to: '/story', icon: '🎞', label: 'Story' };
  const first = live && !onArena ? { to: '/dashboard', icon: '∞', label: 'Vote' } : storyTab;
  // The spec's five tabs (Vote/Story, Watch, Upload, Ranks, Profile) and Search.
  const tabs = [
    first,
    { to: '/watch', icon: '▶', label: 'Watch' },
    { to: '/upload', icon: '+', label: 'Upload' },
    { to: '/leaderboard', icon: '🏆', label: 'Ranks' },
    { to: '/search', icon: '🔍', label: 'Search' },
    { to: '/profile', icon: '👤', label: 'Profile' },
  ];
  const fullBleed = onArena;
  const skipTo = onArena ? 'vote-button' : 'main';
  return (
    <div className="app">
      <a className="skip-link" href={`#${skipTo}`} onClick={(e) => {
        const target = document.getElementById(skipTo);
        if (!target) return;
        e.preventDefault();
        if (skipTo === 'main') target.setAttribute('tabindex', '-1');
        target.focus();
      }}>{onArena ? 'Skip to the vote button' : 'Skip to content'}</a>
      <header className="topbar" role="banner">
        <NavLink to="/" className="brand gradient-text">AiMoviez</NavLink>
        <nav aria-label="Main">
          <NavLink to="/dashboard">Vote</NavLink>
          <NavLink to="/story">Story</NavLink>
          <NavLink to="/watch">Watch</NavLink>
          <NavLink to="/upload">Upload</NavLink>
          <NavLink to="/leaderboard">Leaderboard</NavLink>
          <NavLink to="/search" aria-label="Search">🔍</NavLink>
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
            <span className="account-name">{session.user.username ?? 'New member'}</span>
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

import { Suspense } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../api/session';
import { api } from '../api/client';
import type { Feed } from '../api/types';
import { Avatar } from './Avatar';
import { Film, InfinityIcon, Play, Plus, Search, Settings, Shield, Trophy, User } from './icons';
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
  const storyTab = { to: '/story', icon: <Film size={22} />, label: 'Story' };
  const first = live && !onArena ? { to: '/dashboard', icon: <InfinityIcon size={22} />, label: 'Vote' } : storyTab;
  // The spec's five tabs (Vote/Story, Watch, Upload, Ranks, Profile) and Search.
  const tabs = [
    first,
    { to: '/watch', icon: <Play size={22} />, label: 'Watch' },
    { to: '/upload', icon: <Plus size={22} />, label: 'Upload' },
    { to: '/leaderboard', icon: <Trophy size={22} />, label: 'Ranks' },
    { to: '/search', icon: <Search size={22} />, label: 'Search' },
    { to: '/profile', icon: <User size={22} />, label: 'Profile' },
  ];
  const desktopLinks = [
    { to: '/dashboard', label: 'Vote', Icon: InfinityIcon }, { to: '/story', label: 'Story', Icon: Film },
    { to: '/watch', label: 'Watch', Icon: Play }, { to: '/upload', label: 'Upload', Icon: Plus },
    { to: '/leaderboard', label: 'Leaderboard', Icon: Trophy }, { to: '/search', label: 'Search', Icon: Search, iconOnly: true },
    { to: '/profile', label: 'Profile', Icon: User }, { to: '/admin', label: 'Admin', Icon: Shield, admin: true },
    { to: '/settings', label: 'Settings', Icon: Settings },
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
        {/* From 768 px the desktop bar; below 1100 px its links show their icons, the words
            stay for screen readers (Search is an icon at every width). */}
        <nav aria-label="Main">
          {desktopLinks.filter((l) => !l.admin || session?.user?.is_admin).map(({ to, label, Icon, iconOnly }) => (
            <NavLink key={to} to={to} title={label} className={iconOnly ? 'icon-only' : undefined}>
              <Icon size={18} className="topbar-icon" /><span className="topbar-label">{label}</span>
            </NavLink>
          ))}
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
          <NavLink to="/profile" className="row">
            <Avatar url={session.user.avatar_url} name={session.user.username} />
            <span className="sr-only">Account </span><span className="account-name">{session.user.username ?? 'New member'}</span>
          </NavLink>
        ) : (
          <NavLink to="/login" className="btn btn-primary btn-small">Join</NavLink>
        )}
      </header>
      <main className={fullBleed ? '' : 'main'} id="main">
        <Suspense fallback={<div className="page"><p className="muted" role="status">Loading…</p></div>}>
          <Outlet />
        </Suspense>
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

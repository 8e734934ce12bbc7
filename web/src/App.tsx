import { Suspense, lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from './api/session';
import { Layout } from './components/Layout';
import { ClipPage } from './features/clip/ClipPage';
import { GenreVotePage } from './features/genres/GenreVotePage';
import { ContactPage } from './features/contact/ContactPage';
import { LoginPage } from './features/auth/LoginPage';
import { OnboardingPage } from './features/auth/OnboardingPage';
import { LandingPage } from './features/landing/LandingPage';
import { UserProfilePage } from './features/users/UserProfilePage';
import { NotificationsPage } from './features/notifications/NotificationsPage';
import { LeaderboardPage } from './features/leaderboard/LeaderboardPage';
import { ProfilePage } from './features/profile/ProfilePage';
import { AboutPage, PrivacyPage, TermsPage } from './features/pages/StaticPages';
import { SettingsPage } from './features/settings/SettingsPage';
import { StoryPage } from './features/story/StoryPage';
import { VotingArena } from './features/vote/VotingArena';

// Pages most visits never open load on demand, each as its own chunk (the arena, the story and
// the home page stay in the main bundle).
const AdminPage = lazy(() => import('./features/admin/AdminPage').then((m) => ({ default: m.AdminPage })));
const SearchPage = lazy(() => import('./features/search/SearchPage').then((m) => ({ default: m.SearchPage })));
const RoundPage = lazy(() => import('./features/verify/RoundPage').then((m) => ({ default: m.RoundPage })));
const WatchPage = lazy(() => import('./features/story/WatchPage').then((m) => ({ default: m.WatchPage })));
const UploadPage = lazy(() => import('./features/upload/UploadPage').then((m) => ({ default: m.UploadPage })));

function OnDemand({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<div className="page"><p className="muted" role="status">Loading…</p></div>}>{children}</Suspense>;
}

function AdminOnly({ children }: { children: React.ReactNode }) {
  const { data, isLoading } = useSession();
  if (isLoading) return null;
  if (!data?.user?.is_admin) return <div className="page"><h1>Admins only</h1><p className="muted">You need an admin account to open this page.</p></div>;
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route element={<Layout />}>
        <Route path="/dashboard" element={<VotingArena />} />
        <Route path="/story" element={<StoryPage />} />
        <Route path="/watch" element={<OnDemand><WatchPage /></OnDemand>} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/onboarding" element={<OnboardingPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/leaderboard" element={<LeaderboardPage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/u/:username" element={<UserProfilePage />} />
        <Route path="/clip/:id" element={<ClipPage />} />
        <Route path="/search" element={<OnDemand><SearchPage /></OnDemand>} />
        <Route path="/contact" element={<ContactPage />} />
        <Route path="/genres" element={<GenreVotePage />} />
        <Route path="/rounds/:seasonId/:slot" element={<OnDemand><RoundPage /></OnDemand>} />
        <Route path="/upload" element={<OnDemand><UploadPage /></OnDemand>} />
        <Route path="/admin" element={<AdminOnly><OnDemand><AdminPage /></OnDemand></AdminOnly>} />
        <Route path="/about" element={<AboutPage />} />
        <Route path="/privacy" element={<PrivacyPage />} />
        <Route path="/terms" element={<TermsPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

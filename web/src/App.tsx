import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from './api/session';
import { Layout } from './components/Layout';
import { LandingPage } from './features/landing/LandingPage';
import { LoginPage } from './features/auth/LoginPage';
import { VotingArena } from './features/vote/VotingArena';

// The pages a first visit opens (home, arena, sign-in) are in the main bundle; every other page
// is its own chunk, loaded when opened (the service worker has them cached after the first
// visit). A smaller main bundle is what the phone's first paint waits for (issue 17, item 11).
// The layout wraps its outlet in one Suspense, so the bars stay while a page loads.
const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const AboutPage = named(() => import('./features/pages/StaticPages'), 'AboutPage');
const AdminPage = named(() => import('./features/admin/AdminPage'), 'AdminPage');
const ClipPage = named(() => import('./features/clip/ClipPage'), 'ClipPage');
const ContactPage = named(() => import('./features/contact/ContactPage'), 'ContactPage');
const GenreVotePage = named(() => import('./features/genres/GenreVotePage'), 'GenreVotePage');
const LeaderboardPage = named(() => import('./features/leaderboard/LeaderboardPage'), 'LeaderboardPage');
const NotificationsPage = named(() => import('./features/notifications/NotificationsPage'), 'NotificationsPage');
const OnboardingPage = named(() => import('./features/auth/OnboardingPage'), 'OnboardingPage');
const PrivacyPage = named(() => import('./features/pages/StaticPages'), 'PrivacyPage');
const ProfilePage = named(() => import('./features/profile/ProfilePage'), 'ProfilePage');
const RoundPage = named(() => import('./features/verify/RoundPage'), 'RoundPage');
const SearchPage = named(() => import('./features/search/SearchPage'), 'SearchPage');
const SettingsPage = named(() => import('./features/settings/SettingsPage'), 'SettingsPage');
const StoryPage = named(() => import('./features/story/StoryPage'), 'StoryPage');
const TermsPage = named(() => import('./features/pages/StaticPages'), 'TermsPage');
const UploadPage = named(() => import('./features/upload/UploadPage'), 'UploadPage');
const UserProfilePage = named(() => import('./features/users/UserProfilePage'), 'UserProfilePage');
const WatchPage = named(() => import('./features/story/WatchPage'), 'WatchPage');

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
        <Route path="/watch" element={<WatchPage />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/onboarding" element={<OnboardingPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/leaderboard" element={<LeaderboardPage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/u/:username" element={<UserProfilePage />} />
        <Route path="/clip/:id" element={<ClipPage />} />
        <Route path="/search" element={<SearchPage />} />
        <Route path="/contact" element={<ContactPage />} />
        <Route path="/genres" element={<GenreVotePage />} />
        <Route path="/rounds/:seasonId/:slot" element={<RoundPage />} />
        <Route path="/upload" element={<UploadPage />} />
        <Route path="/admin" element={<AdminOnly><AdminPage /></AdminOnly>} />
        <Route path="/about" element={<AboutPage />} />
        <Route path="/privacy" element={<PrivacyPage />} />
        <Route path="/terms" element={<TermsPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

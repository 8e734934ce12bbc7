import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from './api/session';
import { Layout } from './components/Layout';
import { AdminPage } from './features/admin/AdminPage';
import { ClipPage } from './features/clip/ClipPage';
import { SearchPage } from './features/search/SearchPage';
import { RoundPage } from './features/verify/RoundPage';
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
import { WatchPage } from './features/story/WatchPage';
import { UploadPage } from './features/upload/UploadPage';
import { VotingArena } from './features/vote/VotingArena';

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

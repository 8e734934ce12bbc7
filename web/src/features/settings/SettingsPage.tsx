import { Link, useNavigate } from 'react-router-dom';
import { useSession, useSignOut } from '../../api/session';
import { Avatar } from '../../components/Avatar';
import { useTheme } from '../../theme';
import { SessionsSection } from './SessionsSection';
import { AccountDataSection } from './AccountDataSection';
import { BlockedSection, NotificationSettings } from './NotificationSettings';
import { DeviceSection } from './DeviceSection';

export function SettingsPage() {
  const { data: session } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [theme, setTheme] = useTheme();
  const user = session?.user;
  return (
    <div className="page" style={{ maxWidth: 640 }}>
      <h1>Settings</h1>
      <section className="glass card stack" aria-labelledby="account-h">
        <h2 id="account-h" style={{ margin: 0 }}>Account</h2>
        {user ? (
          <div className="row">
            <Avatar url={user.avatar_url} name={user.username} large />
            <div className="stack" style={{ gap: 4 }}>
              <strong>@{user.username ?? 'choose a username'}</strong>
              <span className="muted">{user.email}</span>
              {user.is_admin && <span className="badge badge-done">Admin</span>}
            </div>
          </div>
        ) : (
          <p>You are voting anonymously. <Link to="/login">Sign in</Link> to keep your votes and upload clips.</p>
        )}
        {user && !user.username && <Link className="btn" to="/onboarding">Choose a username</Link>}
      </section>
      <DeviceSection signedIn={!!user} />
      {user && <NotificationSettings />}
      {user && <BlockedSection />}
      {user && <SessionsSection />}
      {user && <AccountDataSection />}
      <section className="glass card stack" aria-labelledby="appearance-h" style={{ marginTop: 16 }}>
        <h2 id="appearance-h" style={{ margin: 0 }}>Appearance</h2>
        <div className="row" role="radiogroup" aria-label="Theme">
          {(['dark', 'light'] as const).map((t) => (
            <button key={t} role="radio" aria-checked={theme === t} className={`btn${theme === t ? ' btn-primary' : ''}`} onClick={() => setTheme(t)}>
              {t === 'dark' ? 'Dark' : 'Light'}
            </button>
          ))}
        </div>
      </section>
      <section className="glass card stack" style={{ marginTop: 16 }}>
        <h2 style={{ margin: 0 }}>About</h2>
        <div className="row"><Link to="/about">About</Link><Link to="/privacy">Privacy</Link><Link to="/terms">Terms</Link><Link to="/contact">Contact</Link></div>
      </section>
      {user && (
        <button className="btn btn-danger" style={{ marginTop: 16 }} onClick={async () => { await signOut(); navigate('/'); }}>Sign out</button>
      )}
    </div>
  );
}

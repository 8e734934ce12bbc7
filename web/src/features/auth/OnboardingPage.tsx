import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { AVATARS, AvatarIcon, avatarName } from '../../components/Avatar';
import { safeReturnTo } from './returnTo';
import { useSession } from '../../api/session';

type Availability = { available: boolean; reason?: string };

export function OnboardingPage() {
  const { data: session } = useSession();
  const [username, setUsername] = useState('');
  // The name the sign-in provider gave, offered once as a starting point.
  useEffect(() => {
    if (session?.suggestedUsername) setUsername((current) => current || session.suggestedUsername!);
  }, [session?.suggestedUsername]);
  const [avatar, setAvatar] = useState(AVATARS[0]!);
  const [check, setCheck] = useState<Availability | null>(null);
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));

  // Live availability check, debounced.
  useEffect(() => {
    if (username.length < 3) { setCheck(null); return; }
    const t = setTimeout(async () => {
      setCheck(await api.get<Availability>(`/api/user/check-username?username=${encodeURIComponent(username)}`));
    }, 250);
    return () => clearTimeout(t);
  }, [username]);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.patch('/api/user/profile', { username, avatarUrl: avatar });
      await qc.invalidateQueries({ queryKey: ['session'] });
      // A returning visitor goes back where they started; a fresh one gets the tour.
      navigate(returnTo === '/' ? '/dashboard?tour=1' : returnTo);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save');
    }
  }

  return (
    <div className="page" style={{ maxWidth: 520 }}>
      <h1>Pick your name</h1>
      <form className="glass card stack" onSubmit={save}>
        <label htmlFor="username">Username</label>
        <input id="username" className="input" value={username} maxLength={20} autoComplete="username"
          onChange={(e) => setUsername(e.target.value)} aria-describedby="username-help" />
        <span id="username-help" className={check ? (check.available ? 'ok' : 'error') : 'muted'} aria-live="polite">
          {check ? (check.available ? 'Available' : check.reason ?? 'Taken') : '3–20 letters, digits or _'}
        </span>
        <fieldset style={{ border: 'none', padding: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 8 }}>Avatar</legend>
          <div className="avatar-choices">
            {AVATARS.map((a) => (
              <button type="button" key={a} className="glass" aria-pressed={a === avatar} aria-label={`Avatar: ${avatarName(a)}`} onClick={() => setAvatar(a)}>
                <AvatarIcon avatar={a} size={30} />
              </button>
            ))}
          </div>
        </fieldset>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="btn btn-primary" type="submit" disabled={!check?.available}>Start voting</button>
      </form>
    </div>
  );
}

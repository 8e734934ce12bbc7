import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from '../../api/client';
import type { Session } from '../../api/types';
import { useSession } from '../../api/session';
import { safeReturnTo } from './returnTo';
import { InviteWelcome } from '../referrals/InviteWelcome';

type Providers = { providers: { id: string; name: string }[]; devLoginEnabled: boolean };

// What a refused sign-in (/login?error=CODE, from the server's callback) means to a person.
const SIGN_IN_ERRORS: Record<string, string> = {
  OIDC_STATE_MISMATCH: 'That sign-in link was not started in this browser, or was used already. Please try again.',
  OIDC_SIGN_IN_EXPIRED: 'The sign-in took too long. Please try again.',
  OIDC_PROVIDER_DENIED: 'The sign-in was cancelled at the provider.',
  OIDC_PROVIDER_UNAVAILABLE: 'The sign-in provider could not be reached. Please try again in a moment.',
  ACCOUNT_EXISTS: 'An account with this email signs in with another provider. Sign in with that one, then link this provider in Settings.',
  ACCOUNT_BANNED: 'This account has been suspended.',
  IDENTITY_LINKED: 'That sign-in already belongs to another account.',
  RATE_LIMITED: 'Too many sign-in attempts. Please wait a minute.',
};

export function signInErrorMessage(code: string): string {
  return SIGN_IN_ERRORS[code] ?? 'The sign-in could not be completed. Please try again.';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const errorCode = params.get('error');
  const invite = params.get('invite');
  const { data } = useQuery({ queryKey: ['auth-providers'], queryFn: () => api.get<Providers>('/api/auth/providers') });
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();

  async function devSignIn(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<Session>('/api/auth/dev-login', { email });
      setCsrfToken(s.csrfToken);
      qc.setQueryData(['session'], s);
      await qc.invalidateQueries();
      navigate(s.needsUsername ? `/onboarding?returnTo=${encodeURIComponent(returnTo)}` : returnTo === '/' ? '/dashboard' : returnTo);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  }

  const providers = data?.providers ?? [];
  const { data: session } = useSession();
  if (session?.user) {
    // Already signed in (a second tab, a bookmark): no second sign-in form, just the way on.
    return (
      <div className="page" style={{ maxWidth: 480 }}>
        <h1>You're signed in</h1>
        <div className="glass card stack" data-testid="already-signed-in">
          <p style={{ margin: 0 }}>as <strong>@{session.user.username ?? session.user.email}</strong>.</p>
          <Link className="btn btn-primary" to={returnTo === '/' ? '/dashboard' : returnTo}>Continue</Link>
          <Link to="/settings">Not you? Sign out in Settings</Link>
        </div>
      </div>
    );
  }
  return (
    <div className="page" style={{ maxWidth: 480 }}>
      <h1>Join <span className="gradient-text">AiMoviez</span></h1>
      {errorCode && <p className="error glass card" role="alert">{signInErrorMessage(errorCode)}</p>}
      {invite && <InviteWelcome code={invite} />}
      {providers.length > 0 && (
        <div className="glass card stack">
          {providers.map((p) => (
            // A full-page navigation: the server redirects to the provider and back.
            <a key={p.id} className="btn btn-primary" href={`/api/auth/signin/${encodeURIComponent(p.id)}?returnTo=${encodeURIComponent(returnTo)}`}>
              Continue with {p.name}
            </a>
          ))}
          <p className="muted" style={{ margin: 0 }}>New here? Your account is created on first sign-in; you pick a username next.</p>
        </div>
      )}
      {data?.devLoginEnabled && (
        <form className="glass card stack" onSubmit={devSignIn} style={{ marginTop: 16 }}>
          <p className="muted">Development sign-in: any email creates an account on first use.</p>
          <label htmlFor="email">Email</label>
          <input id="email" className="input" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          {error && <p className="error" role="alert">{error}</p>}
          <button className="btn btn-primary" type="submit" disabled={busy}>Continue</button>
        </form>
      )}
      {data && providers.length === 0 && !data.devLoginEnabled && (
        <div className="glass card"><p>Sign-in is not configured on this server yet.</p></div>
      )}
    </div>
  );
}

import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from '../../api/client';
import { useSession } from '../../api/session';
import type { Session } from '../../api/types';

export function LoginPage() {
  const { data: session } = useSession();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<Session>('/api/auth/dev-login', { email });
      setCsrfToken(s.csrfToken);
      qc.setQueryData(['session'], s);
      await qc.invalidateQueries();
      navigate(s.needsUsername ? '/onboarding' : '/dashboard');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page" style={{ maxWidth: 480 }}>
      <h1>Join <span className="gradient-text">AiMoviez</span></h1>
      {session?.devLoginEnabled ? (
        <form className="glass card stack" onSubmit={submit}>
          <p className="muted">Development sign-in: any email creates an account on first use.</p>
          <label htmlFor="email">Email</label>
          <input id="email" className="input" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          {error && <p className="error" role="alert">{error}</p>}
          <button className="btn btn-primary" type="submit" disabled={busy}>Continue</button>
        </form>
      ) : (
        <div className="glass card"><p>Sign-in is not configured on this server yet.</p></div>
      )}
    </div>
  );
}

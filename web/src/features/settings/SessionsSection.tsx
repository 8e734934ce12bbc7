import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api, setCsrfToken } from '../../api/client';

type SessionRow = { id: string; device: string; createdAt: number; lastSeenAt: number; current: boolean };
type SessionList = { sessions: SessionRow[]; identities: { issuer: string; email: string; linkedAt: number }[] };

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

// The signed-in user's open sessions: where, since when, last seen; sign out of one or all.
export function SessionsSection() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { data } = useQuery({ queryKey: ['auth-sessions'], queryFn: () => api.get<SessionList>('/api/auth/sessions') });
  const { data: providers } = useQuery({
    queryKey: ['auth-providers'],
    queryFn: () => api.get<{ providers: { id: string; name: string }[] }>('/api/auth/providers'),
  });

  async function end(id: string) {
    await api.del(`/api/auth/sessions/${encodeURIComponent(id)}`);
    await qc.invalidateQueries({ queryKey: ['auth-sessions'] });
  }

  async function endAll() {
    const r = await api.post<{ csrfToken: string }>('/api/auth/logout-all');
    setCsrfToken(r.csrfToken);
    await qc.invalidateQueries();
    navigate('/');
  }

  return (
    <section className="glass card stack" aria-labelledby="sessions-h" style={{ marginTop: 16 }}>
      <h2 id="sessions-h" style={{ margin: 0 }}>Where you are signed in</h2>
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {data?.sessions.map((s) => (
          <li key={s.id} className="row" style={{ justifyContent: 'space-between' }}>
            <span className="stack" style={{ gap: 2 }}>
              <strong>{s.device}{s.current && <span className="badge badge-done" style={{ marginLeft: 8 }}>This device</span>}</strong>
              <span className="muted">Last active {when(s.lastSeenAt)} · signed in {when(s.createdAt)}</span>
            </span>
            {!s.current && (
              <button className="btn" onClick={() => end(s.id)} aria-label={`Sign out ${s.device}, last active ${when(s.lastSeenAt)}`}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <button className="btn btn-danger" onClick={endAll}>Sign out everywhere</button>
      <h3 style={{ margin: '8px 0 0' }}>Sign-in methods</h3>
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {data?.identities.map((i) => (
          <li key={i.issuer} className="muted">{new URL(i.issuer).host}{i.email && ` · ${i.email}`} · linked {when(i.linkedAt)}</li>
        ))}
        {data && data.identities.length === 0 && <li className="muted">No provider linked yet.</li>}
      </ul>
      {(providers?.providers.length ?? 0) > 0 && (
        <div className="row" style={{ flexWrap: 'wrap' }}>
          {providers!.providers.map((p) => (
            <a key={p.id} className="btn btn-small" href={`/api/auth/signin/${encodeURIComponent(p.id)}?link=1&returnTo=%2Fsettings`}>
              Link {p.name}
            </a>
          ))}
        </div>
      )}
    </section>
  );
}

import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from '../../api/client';

const PHRASE = 'DELETE MY ACCOUNT';

// Your data: download everything the platform holds about you, or delete the account for good.
export function AccountDataSection() {
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const navigate = useNavigate();

  async function remove(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.del<{ csrfToken: string }>('/api/account/delete', { confirm });
      setCsrfToken(r.csrfToken);
      await qc.invalidateQueries();
      navigate('/?deleted=1');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The account could not be deleted');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="glass card stack" aria-labelledby="data-h" style={{ marginTop: 16 }}>
      <h2 id="data-h" style={{ margin: 0 }}>Your data</h2>
      <p className="muted" style={{ margin: 0 }}>One file with your profile, sign-ins, sessions, votes, comments, likes and clips.</p>
      <a className="btn" href="/api/account/export" download="aimoviez-my-data.json">Download my data</a>
      <form className="stack" onSubmit={remove}>
        <h3 style={{ margin: '8px 0 0' }}>Delete my account</h3>
        <p className="muted" style={{ margin: 0 }}>
          Your profile, sign-ins, comments, likes and clips that never won are removed; your votes in the
          running round are withdrawn. Scenes you won stay in their film, credited to “deleted user”. This cannot be undone.
        </p>
        <label htmlFor="delete-confirm">Type {PHRASE} to confirm</label>
        <input id="delete-confirm" className="input" autoComplete="off" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        {error && <p className="error" role="alert">{error}</p>}
        <button className="btn btn-danger" type="submit" disabled={busy || confirm !== PHRASE}>Delete my account</button>
      </form>
    </section>
  );
}

import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

interface FlaggedGroup {
  clipId: number;
  clipTitle: string;
  network: string | null; // a keyed tag of the voters' network; null for signed-in voters
  reasons: string[];
  votes: number;
  voters: number;
  firstAt: string;
  lastAt: string;
}

interface Review { seasonId: number | null; slot: number | null; groups: FlaggedGroup[] }

interface Invalidated { invalidated: number; failed: number; voteCount: number; more: boolean }

// What each reason means, in words an admin acts on.
const REASON_TEXT: Record<string, string> = {
  rapid: 'rapid-fire votes',
  unverified_device: 'no signed device cookie',
  busy_network: 'many votes from one network',
};

const groupKey = (g: FlaggedGroup) => `${g.clipId}:${g.network ?? 'signed-in'}:${g.reasons.join(' ')}`;

function span(first: string, last: string) {
  const seconds = Math.max(0, (Date.parse(last) - Date.parse(first)) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

// The open round's suspicious votes, grouped by clip, network and pattern. Selected groups are
// withdrawn through the vote engine, so the counts stay exact; each invalidation is audited.
export function FlaggedVotesTab() {
  const qc = useQueryClient();
  const review = useQuery({ queryKey: ['admin', 'flagged-votes'], queryFn: () => api.get<Review>('/api/admin/flagged-votes') });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const groups = review.data?.groups ?? [];
  const chosen = groups.filter((g) => selected.has(groupKey(g)));
  const toggle = (key: string) => setSelected((s) => { const n = new Set(s); if (n.has(key)) n.delete(key); else n.add(key); return n; });

  async function invalidate() {
    const votes = chosen.reduce((n, g) => n + g.votes, 0);
    if (!window.confirm(`Invalidate ${votes} flagged ${votes === 1 ? 'vote' : 'votes'}? They stop counting now.`)) return;
    setBusy(true);
    let total = 0;
    try {
      for (const g of chosen) {
        // A group larger than one request withdraws is asked for again until it is gone.
        for (let more = true; more;) {
          const r = await api.post<Invalidated>('/api/admin/flagged-votes/invalidate', {
            seasonId: review.data?.seasonId, slot: review.data?.slot, clipId: g.clipId, network: g.network, reasons: g.reasons,
          });
          total += r.invalidated;
          more = r.more;
        }
      }
      setMessage({ ok: true, text: `Invalidated ${total} ${total === 1 ? 'vote' : 'votes'}` });
      setSelected(new Set());
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? `${err.message} (${err.code})` : 'Failed' });
    } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: ['admin'] });
    }
  }

  if (review.data && review.data.seasonId === null) return <p className="muted">No round is open.</p>;
  return (
    <div className="stack">
      {review.data && <h2 style={{ margin: 0 }}>Slot {review.data.slot}: flagged votes</h2>}
      <div className="row">
        <button className="btn btn-danger btn-small" disabled={!chosen.length || busy} onClick={() => void invalidate()}>
          Invalidate selected ({chosen.reduce((n, g) => n + g.votes, 0)})
        </button>
      </div>
      {message && <p className={`admin-toast ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
      {review.data && groups.length === 0 && <p className="muted">No flagged votes in this round.</p>}
      <ul className="stack admin-list" aria-label="Flagged vote groups">
        {groups.map((g) => {
          const key = groupKey(g);
          return (
            <li key={key} className="glass card stack" data-testid="flagged-group">
              <label className="row" style={{ gap: 8 }}>
                <input type="checkbox" checked={selected.has(key)} onChange={() => toggle(key)} />
                <strong className="ellipsis">{g.clipTitle || `Clip ${g.clipId}`}</strong>
              </label>
              <span>{g.votes} {g.votes === 1 ? 'vote' : 'votes'} from {g.voters} {g.voters === 1 ? 'voter' : 'voters'} within {span(g.firstAt, g.lastAt)}</span>
              <span className="muted">
                {g.network ? <>network <code>{g.network.slice(0, 8)}</code></> : 'signed-in voters'} · {g.reasons.map((r) => REASON_TEXT[r] ?? r).join(', ')}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

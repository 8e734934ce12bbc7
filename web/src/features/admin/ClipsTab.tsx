import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import type { Clip, ClipStatus } from '../../api/types';
import { GENRES } from '../upload/uploadChecks';

const STATUSES: ClipStatus[] = ['pending', 'active', 'locked', 'eliminated', 'rejected'];
const PAGE = 20;

// One clip's title, description and genre, edited in place (the same rules as an upload's).
function ClipEditor({ clip, onDone }: { clip: Clip; onDone: (text: string) => void }) {
  const qc = useQueryClient();
  const [title, setTitle] = useState(clip.title);
  const [description, setDescription] = useState(clip.description);
  const [genre, setGenre] = useState(clip.genre);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setSaving(true);
    try {
      await api.patch(`/api/admin/clips/${clip.id}`, { title, description, genre });
      await qc.invalidateQueries({ queryKey: ['admin', 'clips'] });
      onDone(`Saved “${title}”`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save');
    } finally {
      setSaving(false);
    }
  }
  return (
    <form className="stack" onSubmit={(e) => void save(e)} aria-label={`Edit ${clip.title}`}>
      <label htmlFor={`clip-title-${clip.id}`}>Title</label>
      <input id={`clip-title-${clip.id}`} className="input" required maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`clip-description-${clip.id}`}>Description</label>
      <textarea id={`clip-description-${clip.id}`} className="input" maxLength={500} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      <label htmlFor={`clip-genre-${clip.id}`}>Genre</label>
      <select id={`clip-genre-${clip.id}`} className="input" value={genre} onChange={(e) => setGenre(e.target.value)}>
        {GENRES.map((g) => <option key={g.name}>{g.name}</option>)}
      </select>
      {error && <p role="alert" className="badge badge-rejected">{error}</p>}
      <div className="row">
        <button className="btn btn-primary btn-small" type="submit" disabled={saving}>Save</button>
        <button className="btn btn-small" type="button" onClick={() => onDone('')}>Cancel</button>
      </div>
    </form>
  );
}

// Every clip by status, a page at a time, each editable.
export function ClipsTab() {
  const [status, setStatus] = useState<ClipStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const clips = useQuery({
    queryKey: ['admin', 'clips', 'all', status, offset],
    queryFn: () => api.get<{ clips: Clip[]; total: number }>(`/api/admin/clips?limit=${PAGE}&offset=${offset}${status ? `&status=${status}` : ''}`),
  });
  const total = clips.data?.total ?? 0;
  return (
    <div className="stack">
      <label className="row" style={{ gap: 8 }}>
        Status
        <select className="input" value={status} onChange={(e) => { setStatus(e.target.value as ClipStatus | ''); setOffset(0); }}>
          <option value="">all</option>
          {STATUSES.map((s) => <option key={s}>{s}</option>)}
        </select>
      </label>
      {message && <p className="admin-toast ok" role="status">{message}</p>}
      {clips.data && <p className="muted">{total} {total === 1 ? 'clip' : 'clips'}{total > PAGE && ` · ${offset + 1}–${Math.min(offset + PAGE, total)}`}</p>}
      <ul className="stack admin-list" aria-label="Clips">
        {(clips.data?.clips ?? []).map((c) => (
          <li key={c.id} className="glass card stack" data-testid="admin-clip">
            <div className="row" style={{ gap: 10, alignItems: 'flex-start' }}>
              <img src={c.thumbnail_url} alt="" width={48} height={85} loading="lazy" style={{ objectFit: 'cover', borderRadius: 6, flex: 'none' }} />
              <span className="stack" style={{ gap: 2, minWidth: 0, flex: 1 }}>
                <strong className="ellipsis">{c.title || 'Untitled'}</strong>
                <span className="muted ellipsis">@{c.username || 'unknown'} · {c.genre} · slot {c.slot_position}</span>
                <span className="muted">{c.status} · {c.vote_count} {c.vote_count === 1 ? 'vote' : 'votes'}</span>
              </span>
              {editing !== c.id && <button className="btn btn-small" onClick={() => { setEditing(c.id); setMessage(''); }} aria-label={`Edit ${c.title}`}>Edit</button>}
            </div>
            {editing === c.id && <ClipEditor clip={c} onDone={(text) => { setEditing(null); setMessage(text); }} />}
          </li>
        ))}
      </ul>
      <div className="row">
        <button className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
        <button className="btn btn-small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Next</button>
      </div>
    </div>
  );
}

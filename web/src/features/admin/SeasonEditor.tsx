import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import type { Season } from '../../api/types';
import { SEASON_GENRES } from '../upload/uploadChecks';

// A season's label, genre, description and voting window, edited in place; the slot count is
// fixed once the season exists (the server refuses a change).
export function SeasonEditor({ season, onDone }: { season: Season; onDone: (text: string) => void }) {
  const qc = useQueryClient();
  const [label, setLabel] = useState(season.label);
  const [genre, setGenre] = useState(season.genre);
  const [description, setDescription] = useState(season.description);
  const [hours, setHours] = useState(Math.max(1, Math.round(season.voting_window_seconds / 3600)));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = `season-${season.id}`;
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setSaving(true);
    try {
      await api.patch(`/api/admin/seasons/${season.id}`, { label, genre, description, voting_window_seconds: hours * 3600 });
      await qc.invalidateQueries({ queryKey: ['admin'] });
      onDone(`Saved “${label}”`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save');
    } finally {
      setSaving(false);
    }
  }
  return (
    <form className="stack" onSubmit={(e) => void save(e)} aria-label={`Edit ${season.label}`}>
      <label htmlFor={`${id}-label`}>Label</label>
      <input id={`${id}-label`} className="input" required value={label} onChange={(e) => setLabel(e.target.value)} />
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea id={`${id}-description`} className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <label>Genre <select className="input" value={genre} onChange={(e) => setGenre(e.target.value)}>
          {SEASON_GENRES.map((g) => <option key={g}>{g}</option>)}
        </select></label>
        <label>Window (hours) <input className="input" type="number" min={1} max={720} value={hours} onChange={(e) => setHours(Number(e.target.value))} /></label>
      </div>
      {error && <p role="alert" className="badge badge-rejected">{error}</p>}
      <div className="row">
        <button className="btn btn-primary btn-small" type="submit" disabled={saving}>Save</button>
        <button className="btn btn-small" type="button" onClick={() => onDone('')}>Cancel</button>
      </div>
    </form>
  );
}

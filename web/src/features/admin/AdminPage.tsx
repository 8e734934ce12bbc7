import { Fragment, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { AuditEntry, Clip, Flag, Season, Slot, User } from '../../api/types';
import { SEASON_GENRES } from '../upload/uploadChecks';
import { ReportsTab } from './ReportsTab';
import { AnnouncementsTab } from './AnnouncementsTab';
import { InboxTab } from './InboxTab';
import { FlaggedVotesTab } from './FlaggedVotesTab';
import { ClipsTab } from './ClipsTab';
import { CommentsTab } from './CommentsTab';
import { SeasonEditor } from './SeasonEditor';
import type { GenreVote } from '../genres/GenreVotePage';

type Tab = 'queue' | 'clips' | 'comments' | 'reports' | 'flagged' | 'slots' | 'seasons' | 'flags' | 'users' | 'announce' | 'inbox' | 'audit';
const TABS: { id: Tab; label: string }[] = [
  { id: 'queue', label: 'Pending clips' },
  { id: 'clips', label: 'All clips' },
  { id: 'comments', label: 'Comments' },
  { id: 'reports', label: 'Reports' },
  { id: 'flagged', label: 'Flagged votes' },
  { id: 'slots', label: 'Slots' },
  { id: 'seasons', label: 'Seasons' },
  { id: 'flags', label: 'Feature flags' },
  { id: 'users', label: 'Users' },
  { id: 'announce', label: 'Announce' },
  { id: 'inbox', label: 'Inbox' },
  { id: 'audit', label: 'Audit log' },
];

function useAdminAction() {
  const qc = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (label: string, action: () => Promise<unknown>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    try {
      await action();
      setMessage({ ok: true, text: label });
      // A success fades after a few seconds; an error stays until the next action.
      window.setTimeout(() => setMessage((m) => (m?.text === label ? null : m)), 5000);
      await qc.invalidateQueries();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? `${err.message} (${err.code})` : 'Failed' });
    }
  };
  return { run, message };
}

function Queue() {
  const clips = useQuery({ queryKey: ['admin', 'clips', 'pending'], queryFn: () => api.get<{ clips: Clip[] }>('/api/admin/clips?status=pending') });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const { run, message } = useAdminAction();
  const list = clips.data?.clips ?? [];
  const toggle = (id: number) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  return (
    <div className="stack">
      <div className="row">
        <button className="btn btn-primary btn-small" disabled={!selected.size}
          onClick={() => void run(`Approved ${selected.size} clips`, () => api.post('/api/admin/bulk', { action: 'approve', clipIds: [...selected] })).then(() => setSelected(new Set()))}>
          Approve selected ({selected.size})
        </button>
        <button className="btn btn-danger btn-small" disabled={!selected.size}
          onClick={() => void run(`Rejected ${selected.size} clips`, () => api.post('/api/admin/bulk', { action: 'reject', clipIds: [...selected] }), 'Reject the selected clips?').then(() => setSelected(new Set()))}>
          Reject selected
        </button>
      </div>
      {message && <p className={`admin-toast ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
      {list.length === 0 && !clips.isLoading && <p className="muted">No clips are waiting for review.</p>}
      <div className="clip-grid review-grid">
        {list.map((c) => (
          <article key={c.id} className="glass clip-card review-card" aria-label={`Pending clip ${c.title}`}>
            <video src={c.video_url} poster={c.thumbnail_url} controls muted playsInline preload="none" />
            <div className="body">
              <label className="row" style={{ gap: 8 }}>
                <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                <strong>{c.title || 'Untitled'}</strong>
              </label>
              <span className="muted">@{c.username || 'unknown'} · {c.genre}</span>
              {c.processing_status && c.processing_status !== 'ready' && (
                <span className="badge badge-pending">{c.processing_status === 'failed' ? 'processing failed' : `processing ${c.processing_progress ?? 0}%`}</span>
              )}
              <div className="row">
                <button className="btn btn-primary btn-small" disabled={!!c.processing_status && c.processing_status !== 'ready'} onClick={() => void run(`Approved “${c.title}”`, () => api.post(`/api/admin/clips/${c.id}/approve`))}>Approve</button>
                <button className="btn btn-danger btn-small" onClick={() => void run(`Rejected “${c.title}”`, () => api.post(`/api/admin/clips/${c.id}/reject`, { reason: 'moderation' }), `Reject “${c.title}”?`)}>Reject</button>
              </div>
            </div>
          </article>
        ))}
      </div>
    </div>
  );
}

function Slots() {
  const slots = useQuery({ queryKey: ['admin', 'slots'], queryFn: () => api.get<{ season: Season | null; slots: Slot[] }>('/api/admin/slots') });
  const { run, message } = useAdminAction();
  if (!slots.data?.season) return <p className="muted">No active season. Create and activate one under Seasons.</p>;
  const open = slots.data.slots.find((s) => s.status === 'voting' || s.status === 'waiting_for_clips');
  const lastLocked = [...slots.data.slots].reverse().find((s) => s.status === 'locked');
  return (
    <div className="stack">
      <h2 style={{ margin: 0 }}>{slots.data.season.label}</h2>
      {message && <p className={`admin-toast ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
      {open ? (
        <div className="glass card stack">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <strong>Open: slot {open.slot_position} ({open.status.replace(/_/g, ' ')})</strong>
            <span className="muted">ends {open.voting_ends_at ? new Date(open.voting_ends_at).toLocaleString() : '—'}</span>
          </div>
          <div className="row">
            <button className="btn btn-primary btn-small" onClick={() => void run(`Slot ${open.slot_position} advanced`, () => api.post(`/api/admin/slots/${open.id}/advance`), `Close slot ${open.slot_position} now and lock its winner?`)}>Advance now</button>
            <button className="btn btn-danger btn-small" onClick={() => void run('Votes reset', () => api.post(`/api/admin/slots/${open.id}/reset-votes`), `Delete every vote of slot ${open.slot_position}?`)}>Reset votes</button>
            {lastLocked && (
              <button className="btn btn-small" onClick={() => void run(`Slot ${lastLocked.slot_position} unlocked`, () => api.post(`/api/admin/slots/${lastLocked.id}/unlock`), `Reopen slot ${lastLocked.slot_position}? The current round is undone.`)}>
                Unlock slot {lastLocked.slot_position}
              </button>
            )}
          </div>
          {/* Cards, not a table: they fit a phone's width with the button whole. */}
          <ol className="slot-clips" aria-label={`Clips of slot ${open.slot_position}`}>
            {(open.clips ?? []).sort((a, b) => b.weighted_score - a.weighted_score).map((c, i) => (
              <li key={c.id} className="slot-clip">
                <span className="slot-clip-rank">{i + 1}</span>
                <span className="stack" style={{ gap: 2, minWidth: 0, flex: 1 }}>
                  <strong className="ellipsis">{c.title}</strong>
                  <span className="muted ellipsis">@{c.username} · {c.vote_count} {c.vote_count === 1 ? 'vote' : 'votes'} · score {c.weighted_score}</span>
                </span>
                <button className="btn btn-small" onClick={() => void run(`“${c.title}” wins slot ${open.slot_position}`, () => api.post(`/api/admin/slots/${open.id}/assign-winner`, { clipId: c.id }), `Make “${c.title}” the winner of slot ${open.slot_position}?`)}>Make winner</button>
              </li>
            ))}
          </ol>
        </div>
      ) : <p className="muted">No open slot.</p>}
      <details className="glass card">
        <summary>All {slots.data.slots.length} slots</summary>
        <table className="table">
          <thead><tr><th>#</th><th>Status</th><th>Winner</th></tr></thead>
          <tbody>{slots.data.slots.map((s) => <tr key={s.id}><td>{s.slot_position}</td><td>{s.status}</td><td>{s.winner_clip_id ?? '—'}</td></tr>)}</tbody>
        </table>
      </details>
    </div>
  );
}

interface FilmState { status: string; progress: number; videoUrl?: string; error?: string }

// A finished season's film: its build state (polled while it builds) and a rebuild button.
function FilmCell({ seasonId, run }: { seasonId: number; run: ReturnType<typeof useAdminAction>['run'] }) {
  const film = useQuery({
    queryKey: ['admin', 'film', seasonId],
    queryFn: () => api.get<{ film: FilmState }>(`/api/admin/seasons/${seasonId}/film`).then((r) => r.film).catch(() => null),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'queued' || q.state.data.status === 'building') ? 2000 : false),
  });
  const f = film.data;
  return (
    <span className="row" style={{ gap: 6 }} data-testid={`film-${seasonId}`}>
      <span className="muted">Film: {!f ? 'none' : f.status === 'building' || f.status === 'queued' ? `${f.status} ${f.progress}%` : f.status}</span>
      {f?.videoUrl && <a className="btn btn-small" href={f.videoUrl} target="_blank" rel="noreferrer">Open</a>}
      <button className="btn btn-small" onClick={() => void run('Film queued', () => api.post(`/api/admin/seasons/${seasonId}/film`))}>
        {f ? 'Rebuild film' : 'Build film'}
      </button>
    </span>
  );
}

function Seasons() {
  const seasons = useQuery({ queryKey: ['admin', 'seasons'], queryFn: () => api.get<{ seasons: Season[] }>('/api/admin/seasons') });
  const { run, message } = useAdminAction();
  const [label, setLabel] = useState('');
  const [genre, setGenre] = useState('Action');
  const [slots, setSlots] = useState(75);
  const [hours, setHours] = useState(24);
  const [editing, setEditing] = useState<number | null>(null);
  // The community's genre vote since the last season finished: the admin sees it while creating
  // the next season and can take its leader.
  const genreVote = useQuery({ queryKey: ['genre-vote'], queryFn: () => api.get<GenreVote>('/api/genre-vote') });
  const leader = [...(genreVote.data?.genres ?? [])].sort((a, b) => b.votes - a.votes)[0];
  return (
    <div className="stack">
      {message && <p className={`admin-toast ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
      <form className="glass card stack" onSubmit={(e) => { e.preventDefault(); void run(`Season “${label}” created`, () => api.post('/api/admin/seasons', { label, genre, total_slots: slots, voting_window_seconds: hours * 3600 })); }}>
        <h2 style={{ margin: 0 }}>New season</h2>
        {leader && leader.votes > 0 ? (
          <p className="row" data-testid="genre-vote-result">
            <span>Community's pick: <strong>{leader.genre}</strong> ({leader.percentage}% of {genreVote.data?.totalVotes} {genreVote.data?.totalVotes === 1 ? "vote" : "votes"})</span>
            <button type="button" className="btn btn-small" onClick={() => setGenre(leader.genre)} disabled={genre === leader.genre}>Use {leader.genre}</button>
          </p>
        ) : (
          <p className="muted">No genre votes since the last season.</p>
        )}
        <label htmlFor="season-label">Label</label>
        <input id="season-label" className="input" required value={label} onChange={(e) => setLabel(e.target.value)} />
        <div className="row">
          <label>Genre <select className="input" value={genre} onChange={(e) => setGenre(e.target.value)}>
            {SEASON_GENRES.map((g) => <option key={g}>{g}</option>)}
          </select></label>
          <label>Slots <input className="input" type="number" min={1} max={200} value={slots} onChange={(e) => setSlots(Number(e.target.value))} /></label>
          <label>Window (hours) <input className="input" type="number" min={1} max={720} value={hours} onChange={(e) => setHours(Number(e.target.value))} /></label>
        </div>
        <button className="btn btn-primary" type="submit">Create draft</button>
      </form>
      <table className="table">
        <thead><tr><th>Season</th><th>Status</th><th>Slots</th><th /></tr></thead>
        <tbody>
          {(seasons.data?.seasons ?? []).map((s) => (
            <Fragment key={s.id}>
            <tr>
              <td>{s.label}</td><td>{s.status}</td><td>{s.total_slots}</td>
              <td className="row">
                {s.status === 'draft' && <button className="btn btn-primary btn-small" onClick={() => void run(`“${s.label}” is live`, () => api.post(`/api/admin/seasons/${s.id}/activate`), `Activate “${s.label}”?`)}>Activate</button>}
                {s.status === 'finished' && <button className="btn btn-small" onClick={() => void run('Archived', () => api.post(`/api/admin/seasons/${s.id}/archive`))}>Archive</button>}
                {(s.status === 'finished' || s.status === 'archived') && <FilmCell seasonId={s.id} run={run} />}
                <button className="btn btn-danger btn-small" onClick={() => {
                  const typed = window.prompt(`Type the season's label to delete it:\n${s.label}`);
                  if (typed) void run('Season deleted', () => api.del(`/api/admin/seasons/${s.id}`, { confirm: typed }));
                }}>Delete</button>
                {editing !== s.id && <button className="btn btn-small" onClick={() => setEditing(s.id)} aria-label={`Edit ${s.label}`}>Edit</button>}
              </td>
            </tr>
            {editing === s.id && (
              <tr><td colSpan={4}><SeasonEditor season={s} onDone={(text) => { setEditing(null); if (text) void run(text, async () => undefined); }} /></td></tr>
            )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Flags() {
  const flags = useQuery({ queryKey: ['admin', 'flags'], queryFn: () => api.get<{ flags: Flag[] }>('/api/admin/feature-flags') });
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (f: Flag) => api.post('/api/admin/feature-flags', { key: f.key, enabled: !f.enabled }),
    onSuccess: () => qc.invalidateQueries(),
  });
  return (
    <table className="table">
      <thead><tr><th>Flag</th><th>Description</th><th>Enabled</th></tr></thead>
      <tbody>
        {(flags.data?.flags ?? []).map((f) => (
          <tr key={f.key}>
            <td><code>{f.key}</code></td><td>{f.description}</td>
            <td><label className="row" style={{ gap: 6 }}><input type="checkbox" role="switch" checked={f.enabled} onChange={() => toggle.mutate(f)} aria-label={f.key} />{f.enabled ? 'on' : 'off'}</label></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Users() {
  const [q, setQ] = useState('');
  const users = useQuery({ queryKey: ['admin', 'users', q], queryFn: () => api.get<{ users: User[] }>(`/api/admin/users?q=${encodeURIComponent(q)}`) });
  const { run, message } = useAdminAction();
  return (
    <div className="stack">
      <input className="input" placeholder="Search by username or email" aria-label="Search users" value={q} onChange={(e) => setQ(e.target.value)} />
      {message && <p className={`admin-toast ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
      <table className="table">
        <thead><tr><th>User</th><th>Email</th><th>Admin</th><th>Banned</th><th /></tr></thead>
        <tbody>
          {(users.data?.users ?? []).map((u) => (
            <tr key={u.id}>
              <td>@{u.username ?? '—'}</td><td>{u.email}</td><td>{u.is_admin ? 'yes' : 'no'}</td><td>{u.is_banned ? 'yes' : 'no'}</td>
              <td className="row">
                <button className="btn btn-small" onClick={() => void run('Updated', () => api.patch(`/api/admin/users/${u.id}`, { is_admin: !u.is_admin }))}>{u.is_admin ? 'Revoke admin' : 'Make admin'}</button>
                <button className="btn btn-danger btn-small" onClick={() => void run(u.is_banned ? 'Unbanned' : 'Banned', () => api.patch(`/api/admin/users/${u.id}`, { is_banned: !u.is_banned }), u.is_banned ? undefined : `Ban ${u.email}?`)}>{u.is_banned ? 'Unban' : 'Ban'}</button>
                <button className="btn btn-small" onClick={() => { const name = window.prompt('New username'); if (name) void run('Renamed', () => api.patch(`/api/admin/users/${u.id}`, { username: name })); }}>Rename</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Audit() {
  const audit = useQuery({ queryKey: ['admin', 'audit'], queryFn: () => api.get<{ entries: AuditEntry[] }>('/api/admin/audit-logs?limit=100') });
  return (
    <table className="table">
      <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Resource</th><th>Details</th></tr></thead>
      <tbody>
        {(audit.data?.entries ?? []).map((e) => (
          <tr key={e.id}>
            <td>{new Date(e.created_at).toLocaleString()}</td><td>{e.admin_email}</td><td>{e.action}</td>
            <td>{e.resource_type} {e.resource_id}</td><td><code style={{ fontSize: 12 }}>{JSON.stringify(e.details)}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AdminPage() {
  const [tab, setTab] = useState<Tab>('queue');
  return (
    <div className="page">
      <h1>Admin</h1>
      <div className="tabs admin-tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" className="btn btn-small" aria-selected={tab === t.id} onClick={() => setTab(t.id)}>{t.label}</button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'queue' && <Queue />}
        {tab === 'clips' && <ClipsTab />}
        {tab === 'comments' && <CommentsTab />}
        {tab === 'reports' && <ReportsTab />}
        {tab === 'flagged' && <FlaggedVotesTab />}
        {tab === 'slots' && <Slots />}
        {tab === 'seasons' && <Seasons />}
        {tab === 'flags' && <Flags />}
        {tab === 'users' && <Users />}
        {tab === 'announce' && <AnnouncementsTab />}
        {tab === 'inbox' && <InboxTab />}
        {tab === 'audit' && <Audit />}
      </div>
    </div>
  );
}

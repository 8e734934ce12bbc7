import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

type CommentStatus = 'approved' | 'pending' | 'rejected' | 'flagged';

interface AdminComment {
  id: number;
  clipId: number;
  text: string;
  status: CommentStatus;
  user: { id: number; username: string };
  createdAt: string;
}

const STATUSES: CommentStatus[] = ['flagged', 'pending', 'approved', 'rejected'];

// The comment moderation queue: comments by status (flagged first), approve or reject one at a
// time, or delete a selection at once.
export function CommentsTab() {
  const qc = useQueryClient();
  const [status, setStatus] = useState<CommentStatus>('flagged');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const comments = useQuery({
    queryKey: ['admin', 'comments', status],
    queryFn: () => api.get<{ comments: AdminComment[] }>(`/api/admin/comments?status=${status}&limit=100`),
  });
  const list = comments.data?.comments ?? [];
  const toggle = (id: number) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  async function act(text: string, action: () => Promise<unknown>, confirmText?: string) {
    if (confirmText && !window.confirm(confirmText)) return;
    try {
      await action();
      setMessage({ ok: true, text });
      setSelected(new Set());
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? `${err.message} (${err.code})` : 'Failed' });
    }
    await qc.invalidateQueries({ queryKey: ['admin', 'comments'] });
  }

  const bulkDelete = () => act(`Deleted ${selected.size} ${selected.size === 1 ? 'comment' : 'comments'}`, async () => {
    const r = await api.post<{ succeeded: number }>('/api/admin/comments/bulk-delete', { commentIds: [...selected] });
    if (r.succeeded !== selected.size) throw new Error('some comments were not deleted');
  }, `Delete ${selected.size} selected ${selected.size === 1 ? 'comment' : 'comments'}?`);

  return (
    <div className="stack">
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <label className="row" style={{ gap: 8 }}>
          Status
          <select className="input" value={status} onChange={(e) => { setStatus(e.target.value as CommentStatus); setSelected(new Set()); }}>
            {STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <button className="btn btn-danger btn-small" disabled={!selected.size} onClick={() => void bulkDelete()}>Delete selected ({selected.size})</button>
      </div>
      {message && <p className={`admin-toast ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
      {comments.data && list.length === 0 && <p className="muted">No {status} comments.</p>}
      <ul className="stack admin-list" aria-label="Comments">
        {list.map((c) => (
          <li key={c.id} className="glass card stack" data-testid="admin-comment">
            <label className="row" style={{ gap: 8, alignItems: 'flex-start' }}>
              <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} aria-label={`Select the comment by @${c.user.username}`} />
              <span className="stack" style={{ gap: 2, minWidth: 0 }}>
                <span className="muted">@{c.user.username} on <a href={`/clip/${c.clipId}`}>clip {c.clipId}</a> · {new Date(c.createdAt).toLocaleString()}</span>
                <span style={{ overflowWrap: 'anywhere' }}>{c.text}</span>
              </span>
            </label>
            <div className="row">
              {c.status !== 'approved' && <button className="btn btn-primary btn-small" onClick={() => void act('Approved', () => api.post(`/api/admin/comments/${c.id}/moderate`, { status: 'approved' }))}>Approve</button>}
              {c.status !== 'rejected' && <button className="btn btn-danger btn-small" onClick={() => void act('Rejected', () => api.post(`/api/admin/comments/${c.id}/moderate`, { status: 'rejected' }))}>Reject</button>}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

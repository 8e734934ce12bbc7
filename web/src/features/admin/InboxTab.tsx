import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

interface Message { id: number; name: string; email: string; subject: string; body: string; status: string; signedIn: boolean; createdAt: string }
type Status = 'open' | 'read' | 'archived';

// Messages from the contact form: unread first, marked read or archived.
export function InboxTab() {
  const qc = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const inbox = useQuery({ queryKey: ['admin', 'contact', status], queryFn: () => api.get<{ messages: Message[]; openCount: number }>(`/api/admin/contact?status=${status}`) });
  const mark = useMutation({
    mutationFn: (v: { id: number; status: Status }) => api.post(`/api/admin/contact/${v.id}`, { status: v.status }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin', 'contact'] }),
  });
  return (
    <div className="stack">
      <div className="row" role="radiogroup" aria-label="Messages">
        {(['open', 'read', 'archived'] as Status[]).map((s) => (
          <button key={s} role="radio" aria-checked={status === s} className={`btn btn-small${status === s ? ' btn-primary' : ''}`} onClick={() => setStatus(s)}>
            {s === 'open' ? `Unread (${inbox.data?.openCount ?? 0})` : s === 'read' ? 'Read' : 'Archived'}
          </button>
        ))}
      </div>
      {inbox.data && inbox.data.messages.length === 0 && <p className="muted">No messages here.</p>}
      {(inbox.data?.messages ?? []).map((m) => (
        <article key={m.id} className="glass card stack" aria-label={`Message ${m.subject}`} data-testid="contact-message">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <strong>{m.subject}</strong>
            <span className="muted" style={{ fontSize: 13 }}>{new Date(m.createdAt).toLocaleString()}</span>
          </div>
          <span className="muted">{m.name ? `${m.name} · ` : ''}<a href={`mailto:${m.email}`}>{m.email}</a>{m.signedIn ? ' · signed in' : ''}</span>
          <p style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.body}</p>
          <div className="row">
            {m.status !== 'read' && <button className="btn btn-small" onClick={() => mark.mutate({ id: m.id, status: 'read' })}>Mark read</button>}
            {m.status !== 'archived' && <button className="btn btn-small" onClick={() => mark.mutate({ id: m.id, status: 'archived' })}>Archive</button>}
            {m.status !== 'open' && <button className="btn btn-small" onClick={() => mark.mutate({ id: m.id, status: 'open' })}>Mark unread</button>}
          </div>
        </article>
      ))}
    </div>
  );
}

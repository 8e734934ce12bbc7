import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

interface Announcement { id: number; title: string; body: string; link: string; delivered: number; finished: boolean; createdAt: string }

// An announcement to every account (a notification of type "announcement"), and the recent ones
// with how many people they reached so far.
export function AnnouncementsTab() {
  const qc = useQueryClient();
  const recent = useQuery({
    queryKey: ['admin', 'announcements'],
    queryFn: () => api.get<{ announcements: Announcement[] }>('/api/admin/announcements'),
    refetchInterval: (q) => (q.state.data?.announcements.some((a) => !a.finished) ? 2000 : false),
  });
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [link, setLink] = useState('');
  const send = useMutation({
    mutationFn: () => api.post<{ announcement: Announcement }>('/api/admin/announcements', { title, body, link }),
    onSuccess: () => {
      setTitle('');
      setBody('');
      setLink('');
      void qc.invalidateQueries({ queryKey: ['admin', 'announcements'] });
    },
  });
  return (
    <div className="stack">
      <form className="glass card stack" onSubmit={(e) => { e.preventDefault(); send.mutate(); }}>
        <h2 style={{ margin: 0 }}>Announce to everyone</h2>
        <label htmlFor="announce-title">Title</label>
        <input id="announce-title" className="input" maxLength={80} required value={title} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="announce-body">Message</label>
        <textarea id="announce-body" className="input" maxLength={500} rows={3} required value={body} onChange={(e) => setBody(e.target.value)} />
        <label htmlFor="announce-link">Link in the app (optional)</label>
        <input id="announce-link" className="input" placeholder="/story" value={link} onChange={(e) => setLink(e.target.value)} />
        {send.error && <p className="error" role="alert">{send.error instanceof ApiError ? send.error.message : 'Could not send'}</p>}
        <button className="btn btn-primary" type="submit" disabled={send.isPending}>Send announcement</button>
      </form>
      <table className="table">
        <thead><tr><th>Sent</th><th>Title</th><th>Reached</th></tr></thead>
        <tbody>
          {(recent.data?.announcements ?? []).map((a) => (
            <tr key={a.id} data-testid="announcement-row">
              <td>{new Date(a.createdAt).toLocaleString()}</td>
              <td>{a.title}</td>
              <td>{a.delivered}{a.finished ? '' : ' (sending…)'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

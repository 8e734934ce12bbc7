import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

interface ReportGroup {
  targetType: 'clip' | 'user' | 'comment';
  targetId: number;
  target: string;
  count: number;
  reasons: Record<string, number>;
  lastReportedAt: string;
  reports: { id: number; reporter: string | null; reason: string; details: string; createdAt: string }[];
}

// The report queue: one card per reported target, its reasons and reports, and the decisions.
export function ReportsTab() {
  const qc = useQueryClient();
  const queue = useQuery({ queryKey: ['admin', 'reports'], queryFn: () => api.get<{ groups: ReportGroup[] }>('/api/admin/reports') });
  const [done, setDone] = useState<Record<string, string>>({});
  const resolve = useMutation({
    mutationFn: (v: { g: ReportGroup; action: 'dismiss' | 'remove' | 'ban' }) =>
      api.post<{ closed: number }>('/api/admin/reports/resolve', { targetType: v.g.targetType, targetId: v.g.targetId, action: v.action }),
    onSuccess: (r, v) => {
      setDone((d) => ({ ...d, [`${v.g.targetType}:${v.g.targetId}`]: `${v.action === 'dismiss' ? 'Dismissed' : v.action === 'remove' ? 'Removed' : 'Banned'} · ${r.closed} report${r.closed === 1 ? '' : 's'} closed` }));
      void qc.invalidateQueries({ queryKey: ['admin', 'reports'] });
    },
  });
  const groups = queue.data?.groups ?? [];
  return (
    <div className="stack">
      {Object.values(done).map((text) => <p key={text} role="status" className="badge badge-done">{text}</p>)}
      {resolve.error instanceof ApiError && <p role="alert" className="badge badge-rejected">{resolve.error.message}</p>}
      {queue.data && groups.length === 0 && <p className="muted">No open reports.</p>}
      {groups.map((g) => (
        <article key={`${g.targetType}:${g.targetId}`} className="glass card stack" aria-label={`Reported ${g.targetType} ${g.target}`}>
          <div className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
            <strong>{g.targetType}: {g.target}</strong>
            <span className="badge badge-pending">{g.count} report{g.count === 1 ? '' : 's'}</span>
          </div>
          <span className="muted">{Object.entries(g.reasons).map(([r, n]) => `${r} ×${n}`).join(' · ')}</span>
          <ul className="stack" style={{ margin: 0, paddingLeft: 18 }}>
            {g.reports.map((r) => <li key={r.id}>@{r.reporter ?? 'deleted user'}: {r.reason}{r.details && ` — ${r.details}`}</li>)}
          </ul>
          <div className="row" style={{ flexWrap: 'wrap' }}>
            <button className="btn btn-small" disabled={resolve.isPending} onClick={() => resolve.mutate({ g, action: 'dismiss' })}>Dismiss</button>
            {g.targetType !== 'user' && <button className="btn btn-small btn-danger" disabled={resolve.isPending} onClick={() => resolve.mutate({ g, action: 'remove' })}>Remove {g.targetType}</button>}
            <button className="btn btn-small btn-danger" disabled={resolve.isPending}
              onClick={() => { if (window.confirm('Ban this person? Their sessions end now.')) resolve.mutate({ g, action: 'ban' }); }}>{g.targetType === 'user' ? 'Ban user' : 'Ban author'}</button>
          </div>
        </article>
      ))}
    </div>
  );
}

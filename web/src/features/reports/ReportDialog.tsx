import { useEffect, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { trapTab } from '../../components/trapTab';

const REASONS: { id: string; label: string }[] = [
  { id: 'inappropriate', label: 'Inappropriate content' },
  { id: 'spam', label: 'Spam' },
  { id: 'harassment', label: 'Harassment' },
  { id: 'copyright', label: 'Copyright violation' },
  { id: 'other', label: 'Something else' },
];

// Reporting a clip, a person or a comment: a modal dialog with the reasons of spec section 12.
export function ReportDialog({ targetType, targetId, what, onClose }: {
  targetType: 'clip' | 'user' | 'comment'; targetId: number; what: string; onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [details, setDetails] = useState('');
  const send = useMutation({ mutationFn: () => api.post('/api/report', { targetType, targetId, reason, details }) });
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const error = send.error instanceof ApiError ? send.error : null;
  return (
    <dialog ref={dialog} className="glass card report-dialog" aria-labelledby="report-title" onClose={onClose} onKeyDown={trapTab}>
      <h2 id="report-title" style={{ marginTop: 0 }}>Report {what}</h2>
      {send.isSuccess || error?.code === 'ALREADY_REPORTED' ? (
        <div className="stack">
          <p role="status">Thanks — an admin will take a look{error ? ' (you had already reported this)' : ''}.</p>
          <button className="btn btn-primary" onClick={() => dialog.current?.close()}>Done</button>
        </div>
      ) : (
        <form className="stack" onSubmit={(e) => { e.preventDefault(); send.mutate(); }}>
          <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="muted">What is wrong?</legend>
            {REASONS.map((r) => (
              <label key={r.id} className="row"><input type="radio" name="reason" value={r.id} checked={reason === r.id} onChange={() => setReason(r.id)} />{r.label}</label>
            ))}
          </fieldset>
          <label className="stack" style={{ gap: 4 }}>
            <span>Details{reason === 'other' ? '' : ' (optional)'}</span>
            <textarea value={details} maxLength={500} rows={3} onChange={(e) => setDetails(e.target.value)} required={reason === 'other'} />
          </label>
          {error && <p role="alert" className="badge badge-rejected">{error.message}</p>}
          <div className="row" style={{ justifyContent: 'flex-end' }}>
            <button type="button" className="btn" onClick={() => dialog.current?.close()}>Cancel</button>
            <button type="submit" className="btn btn-danger" disabled={!reason || send.isPending}>Send report</button>
          </div>
        </form>
      )}
    </dialog>
  );
}

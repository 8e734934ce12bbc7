import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { useSession } from '../../api/session';

// Writing to the team (spec section 16): name, email, subject and message; the server limits it
// to three a minute per address and says which field is wrong.
export function ContactPage() {
  const { data: session } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState(session?.user?.email ?? '');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const send = useMutation({ mutationFn: () => api.post<{ sent: boolean }>('/api/contact', { name, email, subject, body }) });
  const error = send.error instanceof ApiError ? send.error : null;
  const field = error?.details?.field as string | undefined;
  if (send.isSuccess) {
    return (
      <div className="page stack" style={{ maxWidth: 560 }}>
        <h1>Thanks — message sent</h1>
        <p role="status">The team reads every message and answers by email at {email}.</p>
        <button className="btn" onClick={() => { send.reset(); setSubject(''); setBody(''); }}>Write another</button>
      </div>
    );
  }
  return (
    <div className="page" style={{ maxWidth: 560 }}>
      <h1>Contact the team</h1>
      <form className="glass card stack" onSubmit={(e) => { e.preventDefault(); send.mutate(); }}>
        <label htmlFor="contact-name">Your name (optional)</label>
        <input id="contact-name" className="input" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        <label htmlFor="contact-email">Email, for our answer</label>
        <input id="contact-email" className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)}
          autoComplete="email" aria-invalid={field === 'email' || undefined} />
        <label htmlFor="contact-subject">Subject</label>
        <input id="contact-subject" className="input" maxLength={120} required value={subject} onChange={(e) => setSubject(e.target.value)}
          aria-invalid={field === 'subject' || undefined} />
        <label htmlFor="contact-body">Message</label>
        <textarea id="contact-body" className="input" rows={6} maxLength={2000} required value={body} onChange={(e) => setBody(e.target.value)}
          aria-invalid={field === 'body' || undefined} />
        <span className="muted" style={{ fontSize: 12 }}>{body.length}/2000</span>
        {error && <p className="error" role="alert">{error.message}</p>}
        <button className="btn btn-primary" type="submit" disabled={send.isPending}>Send</button>
      </form>
    </div>
  );
}

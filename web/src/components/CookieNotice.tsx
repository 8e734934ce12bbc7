import { useState } from 'react';
import { Link } from 'react-router-dom';

export const COOKIE_CHOICE = 'aimoviez.cookieChoice';

// The platform sets only necessary cookies (the session, the anonymous voter's device cookie, the
// CSRF binding and a sign-in in progress); nothing for tracking or ads. The notice says exactly
// that. Accepting or rejecting is remembered; should optional cookies ever be added, only an
// "accepted" choice may enable them.
export function CookieNotice() {
  const [choice, setChoice] = useState(() => localStorage.getItem(COOKIE_CHOICE));
  if (choice) return null;
  const decide = (value: 'accepted' | 'rejected') => {
    localStorage.setItem(COOKIE_CHOICE, value);
    setChoice(value);
  };
  return (
    <section className="cookie-notice glass" role="region" aria-label="Cookie notice">
      <p style={{ margin: 0 }}>
        We use only necessary cookies: to keep you signed in, to count one vote per device and to protect forms.
        No tracking, no ads. <Link to="/privacy">Privacy</Link>
      </p>
      <div className="row">
        <button className="btn btn-small" onClick={() => decide('rejected')}>Reject optional cookies</button>
        <button className="btn btn-primary btn-small" onClick={() => decide('accepted')}>Accept</button>
      </div>
    </section>
  );
}

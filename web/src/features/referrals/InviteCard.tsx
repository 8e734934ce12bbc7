import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

interface Tier { name: string; referrals: number; xp: number }
interface Referral { code: string; link: string; referrals: number; tier: Tier | null; nextTier: Tier | null; toNextTier?: number }

// The profile's "Invite friends" card: my code and link, Share (Web Share API) or Copy, and the
// way to the next referral tier. Hidden while the platform's referral_system flag is off.
export function InviteCard() {
  const referral = useQuery({
    queryKey: ['profile', 'referral'],
    queryFn: () => api.get<Referral>('/api/referral'),
    retry: (n, e) => !(e instanceof ApiError && e.code === 'FEATURE_DISABLED') && n < 2,
  });
  const [shared, setShared] = useState<string | null>(null);
  const r = referral.data;
  if (!r) return null;
  const link = r.link.startsWith('http') ? r.link : `${window.location.origin}${r.link}`;

  async function share() {
    const text = 'Help pick the next scene of our movie on AiMoviez';
    if (navigator.share) {
      try {
        await navigator.share({ title: 'Join me on AiMoviez', text, url: link });
        setShared('Shared');
        return;
      } catch { /* dismissed: fall back to copying */ }
    }
    try {
      await navigator.clipboard.writeText(link);
      setShared('Link copied');
    } catch {
      setShared('Copy the link above');
    }
  }

  const previous = r.tier?.referrals ?? 0;
  const span = r.nextTier ? r.nextTier.referrals - previous : 1;
  return (
    <section className="glass card stack" aria-labelledby="invite-heading" data-testid="invite-card" style={{ marginTop: 16 }}>
      <h2 id="invite-heading" style={{ margin: 0 }}>Invite friends</h2>
      <p className="muted" style={{ margin: 0 }}>
        Everyone who joins with your link counts toward your referral tier{r.tier ? <> — you are a <strong>{r.tier.name}</strong></> : null}.
      </p>
      <div className="row" style={{ gap: 8, justifyContent: 'space-between' }}>
        <code className="invite-code" aria-label="Your invite code" data-testid="invite-code">{r.code}</code>
        <button type="button" className="btn btn-primary btn-small" onClick={() => void share()}>Share invite</button>
      </div>
      <input className="input" readOnly value={link} aria-label="Your invite link" data-testid="invite-link"
        onFocus={(e) => e.currentTarget.select()} style={{ width: '100%' }} />
      <span role="status" className="muted">{shared}</span>
      <span data-testid="invite-count"><strong>{r.referrals}</strong> {r.referrals === 1 ? 'person' : 'people'} joined with your link</span>
      {r.nextTier ? (
        <>
          <div className="level-bar" role="progressbar" aria-label={`Progress to ${r.nextTier.name}`} aria-valuemin={0}
            aria-valuemax={span} aria-valuenow={r.referrals - previous}>
            <div style={{ width: `${Math.min(100, ((r.referrals - previous) / span) * 100)}%` }} />
          </div>
          <span className="muted" style={{ fontSize: 13 }}>
            {r.toNextTier} more to {r.nextTier.name} (+{r.nextTier.xp} XP)
          </span>
        </>
      ) : <span className="muted">You reached the top tier. Legend!</span>}
    </section>
  );
}

import { Link } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Clip, Season, Slot } from '../../api/types';
import { useLiveChannel, usePollWhileDown } from '../../live/useLive';
import { RankBadge, votesLabel } from './ranking';

interface Standing { rank: number; votes: number; score: number; clip: Clip }
export interface Standings { round: { season: Season; slot: Slot; totalClips: number } | null; entries: Standing[] }
interface TallyClip { clipId: number; voteCount: number; weightedScore: number }

const KEY = ['leaderboard', 'live'];

// Applies a tally push to the standings: new counts, then the order and ranks they imply
// (weighted score, then votes, then the older clip, as the server ranks them).
export function applyTallies(standings: Standings, tallies: TallyClip[]): Standings {
  const byId = new Map(tallies.map((t) => [t.clipId, t]));
  const entries = standings.entries
    .map((e) => {
      const t = byId.get(e.clip.id);
      return t ? { ...e, votes: t.voteCount, score: t.weightedScore } : e;
    })
    .sort((a, b) => b.score - a.score || b.votes - a.votes || a.clip.id - b.clip.id)
    .map((e, i) => ({ ...e, rank: i + 1 }));
  return { ...standings, entries };
}

// The open round as it stands, moving as votes arrive (the "tallies" channel); a new round or a
// reset reloads it.
export function LiveStandings() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => api.get<Standings>('/api/leaderboard/live?limit=50'), refetchInterval: usePollWhileDown() });
  useLiveChannel('tallies', (m) => {
    const clips = m.clips as TallyClip[] | undefined;
    if (clips?.length) qc.setQueryData<Standings>(KEY, (old) => old && applyTallies(old, clips));
  });
  useLiveChannel('season', () => { void qc.invalidateQueries({ queryKey: KEY }); });
  if (q.isLoading) return <div className="skeleton" style={{ height: 300 }} />;
  const round = q.data?.round;
  if (!round) return <p className="muted">No round is open right now.</p>;
  return (
    <>
      <p className="muted" data-testid="live-round">{round.season.label} · scene {round.slot.slot_position} · {round.totalClips} {round.totalClips === 1 ? 'clip' : 'clips'} in the vote</p>
      <ol className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Live standings">
        {q.data!.entries.map((e) => (
          <li key={e.clip.id} className="glass card row leader-row has-link" style={{ justifyContent: 'space-between' }}>
            <span className="row">
              <span className="stack rank-cell"><RankBadge rank={e.rank} /></span>
              <img src={e.clip.thumbnail_url} alt="" width={40} height={71} style={{ borderRadius: 8, objectFit: 'cover' }} />
              <span className="stack" style={{ gap: 2 }}>
                <Link className="row-link" to={`/dashboard?clip=${e.clip.id}`}><strong>{e.clip.title}</strong></Link>
                <span className="muted">@{e.clip.username}</span>
              </span>
            </span>
            <span data-testid="leader-votes">{votesLabel(e.votes)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

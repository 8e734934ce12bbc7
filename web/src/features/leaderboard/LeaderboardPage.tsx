import { Link } from 'react-router-dom';
import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Clip, User } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { LiveStandings } from './LiveStandings';
import { RankBadge, medalFor, votesLabel } from './ranking';
import { ChevronDown, ChevronUp, Star } from '../../components/icons';

type Board = 'live' | 'clips' | 'voters' | 'creators';
type Period = 'day' | 'week' | 'all';
type Trend = 'up' | 'down' | 'same' | 'new';
interface Entry { rank: number; votes: number; previousRank?: number | null; trend?: Trend; clip?: Clip; user?: User & { level?: number } }
interface Page { entries: Entry[]; nextCursor: string | null }

// What the arrow beside a rank says, against the period before.
export function trendText(trend: Trend | undefined, rank: number, previousRank: number | null | undefined, period: Period): string | null {
  const since = period === 'day' ? 'yesterday' : period === 'week' ? 'last week' : 'a day ago';
  if (!trend) return null;
  if (trend === 'new') return `new since ${since}`;
  if (trend === 'same' || previousRank == null) return `same place as ${since}`;
  const places = Math.abs(previousRank - rank);
  return `${trend} ${places} ${places === 1 ? 'place' : 'places'} since ${since}`;
}

function TrendMark({ e, period }: { e: Entry; period: Period }) {
  const text = trendText(e.trend, e.rank, e.previousRank, period);
  if (!text || !e.trend) return null;
  const symbol = e.trend === 'up' ? <ChevronUp size={14} strokeWidth={3} /> : e.trend === 'down' ? <ChevronDown size={14} strokeWidth={3} /> : e.trend === 'new' ? <Star size={13} /> : '–';
  const places = e.previousRank != null ? Math.abs(e.previousRank - e.rank) : 0;
  return (
    <span className={`trend trend-${e.trend}`} title={text} data-testid="leader-trend">
      <span aria-hidden="true">{symbol}{places > 0 ? places : ''}</span><span className="sr-only">{text}</span>
    </span>
  );
}

// What a clip's status means to a viewer.
export function clipStanding(status: string): string {
  switch (status) {
    case 'locked': return 'winner, in the movie';
    case 'active': return 'in the vote now';
    case 'eliminated': return 'out of the running';
    case 'pending': return 'waiting for review';
    default: return status;
  }
}


// Where a row leads: a clip still in the vote opens in the arena, a winner in the story; a person's
// row opens their profile.
function rowLink(e: Entry): string | null {
  if (e.clip) return e.clip.status === 'active' ? `/dashboard?clip=${e.clip.id}` : e.clip.status === 'locked' ? '/story' : null;
  return e.user?.username ? `/u/${e.user.username}` : null;
}

export function LeaderboardPage() {
  const [board, setBoard] = useState<Board>('clips');
  const ranked = board === 'live' ? null : board;
  const [period, setPeriod] = useState<Period>('all');
  const q = useInfiniteQuery({
    queryKey: ['leaderboard', board, period],
    enabled: ranked !== null,
    queryFn: ({ pageParam }) => api.get<Page>(`/api/leaderboard/${ranked}?period=${period}&limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="page" style={{ maxWidth: 760 }}>
      <h1>Leaderboard</h1>
      <div className="tabs" role="tablist" aria-label="Board">
        {(['live', 'clips', 'voters', 'creators'] as Board[]).map((b) => (
          <button key={b} role="tab" className="btn btn-small" aria-selected={board === b} onClick={() => setBoard(b)}>
            {b === 'live' ? 'Live round' : b === 'clips' ? 'Top clips' : b === 'voters' ? 'Top voters' : 'Top creators'}
          </button>
        ))}
      </div>
      {board === 'live' ? <LiveStandings /> : <>
      <div className="row" role="radiogroup" aria-label="Period" style={{ marginBottom: 12 }}>
        {(['day', 'week', 'all'] as Period[]).map((p) => (
          <button key={p} role="radio" aria-checked={period === p} className={`btn btn-small${period === p ? ' btn-primary' : ''}`} onClick={() => setPeriod(p)}>
            {p === 'day' ? 'Today' : p === 'week' ? 'This week' : 'All time'}
          </button>
        ))}
      </div>
      {q.isLoading && <div className="skeleton" style={{ height: 300 }} />}
      {!q.isLoading && entries.length === 0 && <p className="muted">No votes in this period yet.</p>}
      <ol className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Ranking">
        {entries.map((e) => (
          <li key={`${e.rank}-${e.clip?.id ?? e.user?.id}`} className={`glass card row leader-row${rowLink(e) ? ' has-link' : ''}`} style={{ justifyContent: 'space-between' }}>
            <span className="row">
              <span className="stack rank-cell"><RankBadge rank={e.rank} /><TrendMark e={e} period={period} /></span>
              {e.clip ? (
                <>
                  <img src={e.clip.thumbnail_url} alt="" width={40} height={71} style={{ borderRadius: 8, objectFit: 'cover' }} />
                  <span className="stack" style={{ gap: 2 }}>
                    {rowLink(e) ? <Link className="row-link" to={rowLink(e)!}><strong>{e.clip.title}</strong></Link> : <strong>{e.clip.title}</strong>}
                    <span className="muted">@{e.clip.username} · {clipStanding(e.clip.status)}</span>
                  </span>
                </>
              ) : (
                <>
                  <span className={`avatar-ring${medalFor(e.rank) ? ` ring-${medalFor(e.rank)}` : ''}`}><Avatar url={e.user?.avatar_url} name={e.user?.username} /></span>
                  <span className="stack" style={{ gap: 2 }}>
                    {e.user?.username ? <Link className="row-link" to={`/u/${e.user.username}`}><strong>@{e.user.username}</strong></Link> : <strong>@member</strong>}
                    {e.user?.level && <span className="muted" data-testid="leader-level">Level {e.user.level}</span>}
                  </span>
                </>
              )}
            </span>
            <span data-testid="leader-votes">{votesLabel(e.votes)}</span>
          </li>
        ))}
      </ol>
      {q.hasNextPage && (
        <button className="btn" style={{ marginTop: 12 }} onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>Load more</button>
      )}
      </>}
    </div>
  );
}

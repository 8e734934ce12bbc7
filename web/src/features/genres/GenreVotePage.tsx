import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { useLiveChannel, usePollWhileDown } from '../../live/useLive';
import { GenreIcon } from '../../components/GenreIcon';

export interface GenreVote {
  votingOpen: boolean;
  round: number;
  totalVotes: number;
  genres: Array<{ genre: string; votes: number; percentage: number }>;
  myVote: string | null;
}

const KEY = ['genre-vote'];

// The next season's genre, chosen between seasons (spec section 5): seven genres, one vote per
// voter that can be changed or withdrawn, percentages that move live for everyone watching.
export function GenreVotePage() {
  const qc = useQueryClient();
  const vote = useQuery({ queryKey: KEY, queryFn: () => api.get<GenreVote>('/api/genre-vote'), refetchInterval: usePollWhileDown() });
  useLiveChannel('season', (m) => {
    if (m.type === 'GenreVotes') {
      // The broadcast carries everyone's tally; the caller's own choice stays what it was.
      qc.setQueryData<GenreVote>(KEY, (old) => old && { ...old, ...(m as unknown as Omit<GenreVote, 'myVote'>), myVote: old.myVote });
    } else if (m.type === 'SeasonFinished' || m.type === 'SlotOpened') {
      void qc.invalidateQueries({ queryKey: KEY });
    }
  });
  const choose = useMutation({
    mutationFn: (genre: string | null) => (genre ? api.post<GenreVote>('/api/genre-vote', { genre }) : api.del<GenreVote>('/api/genre-vote')),
    onSuccess: (data) => qc.setQueryData(KEY, data),
  });
  const error = choose.error instanceof ApiError ? choose.error.message : choose.error ? 'Could not save your vote' : null;

  if (vote.isLoading) return <div className="page" aria-busy="true"><div className="skeleton" style={{ height: 320 }} /></div>;
  if (!vote.data) return <div className="page"><p>Could not load the genre vote.</p></div>;
  const data = vote.data;
  const leading = Math.max(0, ...data.genres.map((g) => g.votes));
  return (
    <div className="page stack" style={{ maxWidth: 620 }}>
      <h1>Pick the next season's genre</h1>
      {data.votingOpen ? (
        <p className="muted">One vote each; change it until the next season starts. {data.totalVotes} {data.totalVotes === 1 ? 'vote' : 'votes'} so far.</p>
      ) : (
        <p className="muted" role="status">Genre voting opens when a season finishes. <Link to="/dashboard">Vote on clips</Link> meanwhile.</p>
      )}
      <ul className="genre-vote" aria-label="Genres">
        {data.genres.map((g) => {
          const mine = data.myVote === g.genre;
          return (
            <li key={g.genre}>
              <button type="button" className={`genre-option glass${mine ? ' mine' : ''}`} aria-pressed={mine}
                disabled={!data.votingOpen || choose.isPending}
                onClick={() => choose.mutate(mine ? null : g.genre)}>
                <span className="genre-name"><GenreIcon genre={g.genre} /> {g.genre}
                  {g.votes > 0 && g.votes === leading && <span className="badge">leading</span>}</span>
                <span className="genre-share">{g.percentage}%</span>
                <span className="genre-bar" aria-hidden="true"><i style={{ width: `${g.percentage}%` }} /></span>
              </button>
            </li>
          );
        })}
      </ul>
      {data.myVote && data.votingOpen && <p className="muted">Tap {data.myVote} again to withdraw your vote.</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

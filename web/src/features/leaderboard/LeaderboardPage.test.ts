import { describe, expect, it } from 'vitest';
import { clipStanding } from './LeaderboardPage';
import { medalFor, votesLabel } from './ranking';
import { applyTallies } from './LiveStandings';
import { trendText } from './LeaderboardPage';

describe('leaderboard wording', () => {
  it('counts votes in plain English', () => {
    expect(votesLabel(0)).toBe('0 votes');
    expect(votesLabel(1)).toBe('1 vote');
    expect(votesLabel(2)).toBe('2 votes');
  });
  it('says what a status means', () => {
    expect(clipStanding('locked')).toBe('winner, in the movie');
    expect(clipStanding('active')).toBe('in the vote now');
    expect(clipStanding('eliminated')).toBe('out of the running');
  });
  it('gives medals to the top three', () => {
    expect(medalFor(1)).toBe('gold');
    expect(medalFor(3)).toBe('bronze');
    expect(medalFor(4)).toBeNull();
  });
  it('says which way a rank moved', () => {
    expect(trendText('up', 2, 5, 'day')).toBe('up 3 places since yesterday');
    expect(trendText('down', 4, 3, 'week')).toBe('down 1 place since last week');
    expect(trendText('new', 1, null, 'all')).toBe('new since a day ago');
    expect(trendText('same', 2, 2, 'day')).toBe('same place as yesterday');
  });
  it('reorders live standings as tallies arrive', () => {
    const clip = (id: number) => ({ id } as never);
    const standings = { round: null, entries: [
      { rank: 1, votes: 5, score: 5, clip: clip(1) }, { rank: 2, votes: 4, score: 4, clip: clip(2) }, { rank: 3, votes: 4, score: 4, clip: clip(3) }] };
    const next = applyTallies(standings, [{ clipId: 3, voteCount: 6, weightedScore: 6 }]);
    expect(next.entries.map((e) => [e.clip.id, e.rank, e.votes])).toEqual([[3, 1, 6], [1, 2, 5], [2, 3, 4]]);
  });
});

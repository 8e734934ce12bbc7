import { describe, expect, it } from 'vitest';
import { clipStanding, medalFor, votesLabel } from './LeaderboardPage';

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
    expect(medalFor(1)).toBe('🥇');
    expect(medalFor(4)).toBeNull();
  });
});

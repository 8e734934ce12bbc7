// Ranks as the leaderboards show them: medals for the top three and vote counts in words.
// Drawn with CSS (a coloured disc with the rank), not emoji: emoji need a font many machines lack.
const MEDALS = ['gold', 'silver', 'bronze'] as const;
export type Medal = (typeof MEDALS)[number];
export function medalFor(rank: number): Medal | null {
  return rank >= 1 && rank <= 3 ? MEDALS[rank - 1]! : null;
}

export function RankBadge({ rank }: { rank: number }) {
  const medal = medalFor(rank);
  return (
    <strong className={`rank${medal ? ` medal medal-${medal}` : ''}`}>
      <span className="sr-only">Rank </span>{rank}{medal && <span className="sr-only">, {medal} medal</span>}
    </strong>
  );
}

export function votesLabel(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'vote' : 'votes'}`;
}

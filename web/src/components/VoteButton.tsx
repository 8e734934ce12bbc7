import { ProgressRing } from './ProgressRing';

export type VoteButtonState = 'idle' | 'voted' | 'pending' | 'limit' | 'closed';

// The arena's vote button: the ∞ mark inside the daily progress ring. Tapping votes; tapping a
// voted clip again undoes the vote.
export function VoteButton(props: {
  state: VoteButtonState;
  used: number;
  limit: number;
  showRing: boolean;
  onToggle: () => void;
}) {
  const { state, used, limit, showRing, onToggle } = props;
  const voted = state === 'voted';
  const disabled = state === 'pending' || state === 'closed' || (state === 'limit' && !voted);
  const label =
    state === 'limit' ? 'Daily vote limit reached' : state === 'closed' ? 'Voting is closed' : voted ? 'Undo vote' : 'Vote for this clip';
  return (
    <button className="vote-btn" aria-pressed={voted} aria-label={label} disabled={disabled} onClick={onToggle} data-state={state}>
      {showRing && <ProgressRing used={used} limit={limit} />}
      <span className="vote-core">{voted ? '✓' : '∞'}</span>
    </button>
  );
}

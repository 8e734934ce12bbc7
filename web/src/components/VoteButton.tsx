import { ProgressRing } from './ProgressRing';
import { Check, InfinityIcon } from './icons';

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
  // While a vote is in flight the button stays enabled (aria-disabled): disabling it would drop the
  // keyboard focus to the page, and a second Enter would do nothing.
  const disabled = state === 'closed' || (state === 'limit' && !voted);
  const busy = state === 'pending';
  const label =
    state === 'limit' ? 'Daily vote limit reached' : state === 'closed' ? 'Voting is closed' : voted ? 'Undo vote' : 'Vote for this clip';
  return (
    <button id="vote-button" className="vote-btn" aria-pressed={voted} aria-label={label} disabled={disabled}
      aria-disabled={busy || undefined} aria-keyshortcuts="V" onClick={() => { if (!busy) onToggle(); }} data-state={state}>
      {showRing && <ProgressRing used={used} limit={limit} />}
      <span className="vote-core">{voted ? <Check size={28} strokeWidth={3} /> : <InfinityIcon size={30} strokeWidth={2.5} />}</span>
    </button>
  );
}

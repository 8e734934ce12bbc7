import { useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import type { Clip } from '../../api/types';
import { VoteButton, type VoteButtonState } from '../../components/VoteButton';
import { CommentPanel } from '../comments/CommentPanel';
import { castVote, undoVote } from '../vote/castVote';
import { MessageCircle, Share2, Trophy, Volume2, VolumeX } from '../../components/icons';
import { shareClip } from '../clip/shareClip';

// What the story knows of the open round: which clips compete, which this voter has picked, and
// whether votes are taken now.
export interface OpenRound {
  votingOpen: boolean;
  captchaRequired: boolean;
  remaining: number;
  voted: Set<number>;
}

// The right-hand buttons on a story scene, as in the arena: vote (on a clip competing in the open
// round; a locked scene shows the votes that won it), comments, share and sound.
export function StoryActions({ scene, contender, round, onVoted, onCount, muted, toggleMute, notify }: {
  scene: Clip;
  contender: boolean;
  round: OpenRound | null;
  onVoted: (clipId: number, voted: boolean, remaining: number) => void;
  onCount: (clipId: number, patch: Partial<Clip>) => void;
  muted: boolean;
  toggleMute: () => void;
  notify: (text: string) => void;
}) {
  const [pending, setPending] = useState(false);
  const [commentsOpen, setCommentsOpen] = useState(false);
  const commentButton = useRef<HTMLButtonElement>(null);
  const voted = !!round?.voted.has(scene.id);

  // Optimistic, as in the arena: the mark and count change at once and roll back on refusal.
  async function toggleVote() {
    if (!round || pending) return;
    setPending(true);
    const before = scene.vote_count;
    onCount(scene.id, { vote_count: before + (voted ? -1 : 1) });
    try {
      const r = voted
        ? await undoVote(scene.id)
        : await castVote(scene.id, round.captchaRequired);
      onCount(scene.id, { vote_count: r.voteCount, weighted_score: r.newScore });
      onVoted(scene.id, !voted, r.remainingVotes.standard);
    } catch (err) {
      navigator.vibrate?.([100, 50, 100]);
      onCount(scene.id, { vote_count: before });
      notify(err instanceof ApiError ? err.message : 'Vote failed');
    } finally {
      setPending(false);
    }
  }

  const share = () => shareClip(scene, () => notify('Link copied'));

  const state: VoteButtonState = pending ? 'pending' : voted ? 'voted' : !round?.votingOpen ? 'closed' : round.remaining <= 0 ? 'limit' : 'idle';
  return (
    <>
      {contender ? (
        <div className="action">
          <VoteButton state={state} used={0} limit={0} showRing={false} onToggle={() => void toggleVote()} />
          <span data-testid="story-vote-count" aria-label="Votes">{scene.vote_count}</span>
        </div>
      ) : (
        <div className="action" data-testid="story-winner" aria-label={`Won its slot with ${scene.vote_count} votes`} role="img">
          <span className="action-circle"><Trophy size={22} /></span>{scene.vote_count}
        </div>
      )}
      <button ref={commentButton} className="action" aria-label={`Comments (${scene.comment_count})`} aria-expanded={commentsOpen} onClick={() => setCommentsOpen((o) => !o)}>
        <span className="action-circle"><MessageCircle size={22} /></span>{scene.comment_count}
      </button>
      <button className="action" aria-label="Share" onClick={() => void share()}>
        <span className="action-circle"><Share2 size={22} /></span>Share
      </button>
      <button className="action" onClick={toggleMute}>
        <span className="action-circle">{muted ? <VolumeX size={22} /> : <Volume2 size={22} />}</span>{muted ? 'Unmute' : 'Mute'}
      </button>
      {commentsOpen && (
        <CommentPanel clipId={scene.id} onClose={() => { setCommentsOpen(false); commentButton.current?.focus(); }}
          onCountChange={(d) => onCount(scene.id, { comment_count: scene.comment_count + d })} />
      )}
    </>
  );
}

import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import type { Clip, Feed } from '../../api/types';
import { VoteButton, type VoteButtonState } from '../../components/VoteButton';
import { CommentPanel } from '../comments/CommentPanel';
import { castVote, undoVote } from '../vote/castVote';
import { votesLabel } from '../leaderboard/ranking';
import { MessageCircle, Share2 } from '../../components/icons';
import { shareClip } from './shareClip';

// A shared clip (/clip/{id}): the clip playing, where it stands in its round or the story, its
// creator, comments, and the vote button while it competes. The server puts preview tags for
// messengers in this page's HTML; this is what a person sees after tapping the link.
export function ClipPage() {
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const clip = useQuery({ queryKey: ['clip', id], queryFn: () => api.get<{ clip: Clip }>(`/api/clip/${id}`).then((r) => r.clip), retry: false });
  const round = useQuery({ queryKey: ['round-info'], queryFn: () => api.get<Feed>('/api/vote?limit=0') });
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [comments, setComments] = useState(false);

  if (clip.isLoading) return <div className="page"><div className="skeleton" style={{ height: 420 }} /></div>;
  if (!clip.data) {
    return (
      <div className="page stack" style={{ maxWidth: 520 }}>
        <h1>This clip is not available</h1>
        <p className="muted">It may have been removed, or it is still waiting for review.</p>
        <Link className="btn btn-primary" to="/dashboard">See the clips in the vote</Link>
      </div>
    );
  }
  const c = clip.data;
  const r = round.data;
  const competing = c.status === 'active' && !!r?.votingOpen && r.currentSlot === c.slot_position;
  const voted = !!r?.votedClipIds.includes(c.id);
  const state: VoteButtonState = pending ? 'pending' : voted ? 'voted' : competing ? 'idle' : 'closed';

  async function toggleVote() {
    setPending(true);
    setMessage(null);
    try {
      const result = voted
        ? await undoVote(c.id)
        : await castVote(c.id, !!r?.captchaRequired);
      qc.setQueryData(['clip', id], { ...c, vote_count: result.voteCount, weighted_score: result.newScore });
      await qc.invalidateQueries({ queryKey: ['round-info'] });
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'The vote did not go through');
    } finally {
      setPending(false);
    }
  }

  const share = () => shareClip(c, () => setMessage('Link copied'));

  // Until the round is known, an active clip's standing is not claimed either way.
  const standing = c.status === 'active' && !r && round.isLoading
    ? <>Checking its round…</>
    : c.status === 'locked'
    ? <>Won slot {c.slot_position} — it is scene {c.slot_position} of the <Link to={`/story?season=${c.season_id}`}>story</Link>.</>
    : competing
      ? <>Competing for slot {c.slot_position} right now.</>
      : c.status === 'active'
        ? <>Waiting for slot {c.slot_position}'s round.</>
        : <>Ran for slot {c.slot_position} and did not win.</>;
  return (
    <div className="page clip-page">
      <div className="story-stage" data-testid="clip-stage">
        <div className="arena-bg" style={{ backgroundImage: `url(${c.thumbnail_url})` }} aria-hidden="true" />
        <video className="arena-video" src={c.video_url} poster={c.thumbnail_url} autoPlay muted loop playsInline controls
          aria-label={`${c.title} by ${c.username || 'unknown creator'}`} data-testid="clip-video" />
      </div>
      <div className="stack clip-details">
        <h1 style={{ margin: 0 }}>{c.title || 'Untitled scene'}</h1>
        <p style={{ margin: 0 }}>
          {c.username && c.username !== 'deleted user' ? <Link to={`/u/${c.username}`}>@{c.username}</Link> : <>@{c.username || 'creator'}</>} · {c.genre}
        </p>
        {c.description && <p className="muted" style={{ margin: 0 }}>{c.description}</p>}
        <p style={{ margin: 0 }} data-testid="clip-standing">{standing}</p>
        <div className="row" style={{ gap: 16, alignItems: 'center' }}>
          {(competing || voted) && <VoteButton state={state} used={r?.totalVotesToday ?? 0} limit={(r?.totalVotesToday ?? 0) + (r?.remainingVotes.standard ?? 0)} showRing={false} onToggle={() => void toggleVote()} />}
          <strong data-testid="clip-votes">{votesLabel(c.vote_count)}</strong>
        </div>
        <div className="row">
          <button className="btn" onClick={() => setComments(true)}><MessageCircle size={18} /> Comments ({c.comment_count})</button>
          <button className="btn" onClick={() => void share()}><Share2 size={18} /> Share</button>
          {competing && <Link className="btn" to={`/dashboard?clip=${c.id}`}>Open in the vote</Link>}
        </div>
        {message && <p role="status">{message}</p>}
      </div>
      {comments && <CommentPanel clipId={c.id} onClose={() => setComments(false)} />}
    </div>
  );
}

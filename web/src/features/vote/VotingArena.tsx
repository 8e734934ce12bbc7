import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { Clip, Feed, Season } from '../../api/types';
import { useSession } from '../../api/session';
import { ReportDialog } from '../reports/ReportDialog';
import { Countdown } from '../../components/Countdown';
import { VoteButton, type VoteButtonState } from '../../components/VoteButton';
import { isDoubleTap, milestoneMessage, nextIndex, shouldLoadMore, swipeDelta, voteNotes } from './feedNavigation';
import { SpotlightTour, tourSeen } from './SpotlightTour';
import { CommentPanel } from '../comments/CommentPanel';
import { castVote, undoVote, type VoteType } from './castVote';
import { localVotes } from './localVotes';
import { useFeed } from './useFeed';
import { useLiveChannel, useLiveStatus } from '../../live/useLive';
import { ChevronDown, ChevronUp, Clapperboard, Heart, Hourglass, MessageCircle, Play, Share2, Sparkles, TriangleAlert, Trophy, Volume2, VolumeX } from '../../components/icons';
import { shareClip } from '../clip/shareClip';

interface TallyClip { clipId: number; voteCount: number; weightedScore: number }

const DAILY_LIMIT_FALLBACK = 200;

function playTone(notes: number[] = voteNotes()) {
  try {
    const ctx = new AudioContext();
    notes.forEach((frequency, i) => {
      const at = ctx.currentTime + i * 0.12;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.08, at);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.16);
    });
  } catch {
    /* no audio available */
  }
}

// The error pattern: two short pulses.
const ERROR_VIBRATION = [100, 50, 100];

function Confetti() {
  const colors = ['#3cf2ff', '#a020f0', '#ff00c7', '#ffc83d', '#2fe38a'];
  return (
    <div className="confetti" aria-hidden="true">
      {Array.from({ length: 80 }, (_, i) => (
        <i key={i} style={{ left: `${(i * 37) % 100}%`, background: colors[i % colors.length], animationDelay: `${(i % 10) * 0.08}s` }} />
      ))}
    </div>
  );
}

export function VotingArena() {
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [clips, setClips] = useState<Clip[]>([]);
  const [index, setIndex] = useState(0);
  const [voted, setVoted] = useState<Set<number>>(new Set());
  const [pending, setPending] = useState<Set<number>>(new Set());
  const [usedToday, setUsedToday] = useState(0);
  const [remaining, setRemaining] = useState(DAILY_LIMIT_FALLBACK);
  const [powerLeft, setPowerLeft] = useState({ super: 0, mega: 0 });
  const [muted, setMuted] = useState(true);
  const [toast, setToast] = useState<{ text: string; celebrate?: boolean } | null>(null);
  // Why the server wants this voter signed in (their network's anonymous budget is used up).
  const [signInReason, setSignInReason] = useState<string | null>(null);
  const [burst, setBurst] = useState<{ x: number; y: number; key: number } | null>(null);
  const [confetti, setConfetti] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [commentsOpen, setCommentsOpen] = useState(false);
  const [paused, setPaused] = useState(false);
  const [reporting, setReporting] = useState<Clip | null>(null);
  const { data: session } = useSession();
  const videoRef = useRef<HTMLVideoElement>(null);
  const lastTap = useRef(0);
  const tapTimer = useRef<number | undefined>(undefined);
  const touchStart = useRef<number | null>(null);
  const wheelLock = useRef(0);
  const commentButton = useRef<HTMLButtonElement>(null);

  const feed = useFeed();
  const flags = useQuery({ queryKey: ['features'], queryFn: () => api.get<{ features: Record<string, boolean> }>('/api/features') });
  // Only needed when no round is open: was the last season just completed?
  const story = useQuery({ queryKey: ['story'], queryFn: () => api.get<{ seasons: Season[] }>('/api/story'), enabled: !!feed.data && !feed.data.currentSlot });

  // A fresh feed for a new round (or the first load) replaces the session's list; a refresh of
  // the same round keeps the clip on screen and only updates counts and adds new clips.
  const round = useRef<string | null>(null);
  useEffect(() => {
    if (!feed.data) return;
    const data = feed.data;
    const roundKey = `${data.seasonLabel ?? ''}#${data.currentSlot ?? ''}`;
    if (round.current !== roundKey) {
      round.current = roundKey;
      setClips(data.clips);
      setIndex(0);
      // A link to one clip (a notification, a profile): show it first, its comments if asked.
      const wanted = Number(params.get('clip'));
      if (round.current && wanted > 0) {
        api.get<{ clip: Clip }>(`/api/clip/${wanted}`).then(({ clip }) => {
          if (clip.status !== 'active') return;
          setClips((prev) => [clip, ...prev.filter((c) => c.id !== clip.id)]);
          setIndex(0);
          if (params.get('comments') === '1') setCommentsOpen(true);
        }).catch(() => undefined);
      }
    } else {
      // A clip voted on here since the refresh was asked for keeps the count on screen.
      setClips((prev) => {
        const fresh = new Map(data.clips.map((c) => [c.id, c]));
        const kept = prev.map((c) => (localVotes.changedSince(c.id, data.requestedAt) ? c : fresh.get(c.id) ?? c));
        return [...kept, ...data.clips.filter((c) => !prev.some((p) => p.id === c.id))];
      });
    }
    setVoted((onScreen) => localVotes.reconcile(data.votedClipIds, onScreen, data.requestedAt));
    // The day's counters from a snapshot older than a vote here would count one vote too few.
    if (localVotes.anyChangeSince(data.requestedAt)) return;
    setUsedToday(data.totalVotesToday);
    setRemaining(data.remainingVotes.standard);
    setPowerLeft({ super: data.remainingVotes.super ?? 0, mega: data.remainingVotes.mega ?? 0 });
  }, [feed.data]);

  // Refresh when the tab becomes visible again.
  useEffect(() => {
    const onVisible = () => { if (document.visibilityState === 'visible') void feed.refetch(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [feed]);

  const showToast = useCallback((text: string, celebrate = false) => {
    setToast({ text, celebrate });
    window.setTimeout(() => setToast(null), 2600);
  }, []);

  // Live counts: the server pushes coalesced tallies of the open slot.
  const liveStatus = useLiveStatus();
  useLiveChannel('tallies', (m) => {
    const changed = new Map((m.clips as TallyClip[] | undefined)?.map((c) => [c.clipId, c]) ?? []);
    if (changed.size === 0) return;
    setClips((prev) => prev.map((c) => {
      const t = changed.get(c.id);
      return t ? { ...c, vote_count: t.voteCount, weighted_score: t.weightedScore } : c;
    }));
  });
  // A new round (winner picked, slot opened, votes reset) brings a fresh feed.
  useLiveChannel('season', (m) => {
    if (m.type === 'WinnerSelected') showToast(`Slot ${String(m.slotPosition)} is locked — a new round begins`);
    if (m.type === 'SeasonReset') showToast('The round was reset');
    void feed.refetch();
  });

  const loadMore = useCallback(async () => {
    if (loadingMore || !feed.data) return;
    setLoadingMore(true);
    try {
      const exclude = clips.map((c) => c.id).join(',');
      const more = await api.get<Feed>(`/api/vote?limit=8&excludeIds=${exclude}`);
      setClips((prev) => [...prev, ...more.clips.filter((c) => !prev.some((p) => p.id === c.id))]);
    } finally {
      setLoadingMore(false);
    }
  }, [clips, feed.data, loadingMore]);

  useEffect(() => {
    if (feed.data && shouldLoadMore(index, clips.length, feed.data.hasMoreClips && clips.length < feed.data.totalClipsInSlot)) void loadMore();
  }, [index, clips.length, feed.data, loadMore]);

  // One step past the last clip is the end card, once the round has nothing more to load.
  const atEnd = !!feed.data && !(feed.data.hasMoreClips && clips.length < feed.data.totalClipsInSlot);
  const go = useCallback((delta: number) => setIndex((i) => nextIndex(i, delta, clips.length + (atEnd ? 1 : 0))), [clips.length, atEnd]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT')) return;
      if (e.key === 'ArrowDown' || e.key === 'j') { e.preventDefault(); go(1); }
      if (e.key === 'ArrowUp' || e.key === 'k') { e.preventDefault(); go(-1); }
      // V votes (or undoes) the clip on screen, wherever the focus is, and puts focus on the button.
      if ((e.key === 'v' || e.key === 'V') && !e.ctrlKey && !e.metaKey && !e.altKey && !commentsOpen) {
        const button = document.getElementById('vote-button');
        if (button instanceof HTMLButtonElement && !button.disabled) { e.preventDefault(); button.focus(); button.click(); }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, commentsOpen]);

  const clip = clips[index];
  const limit = usedToday + remaining;

  // Without the socket, the clip on screen is refreshed every 30 s instead.
  const clipId = clip?.id;
  useEffect(() => {
    if (liveStatus === 'open' || clipId === undefined) return undefined;
    const timer = window.setInterval(() => {
      void api.get<{ clip: Clip }>(`/api/clip/${clipId}`).then((r) =>
        setClips((prev) => prev.map((c) => (c.id === clipId ? { ...c, vote_count: r.clip.vote_count, weighted_score: r.clip.weighted_score } : c))),
      ).catch(() => {});
    }, 30_000);
    return () => window.clearInterval(timer);
  }, [liveStatus, clipId]);

  const updateClip = (id: number, patch: Partial<Clip>) =>
    setClips((prev) => prev.map((c) => (c.id === id ? { ...c, ...patch } : c)));

  // A standard vote, or a super/mega one (one of each per slot when power votes are on); with
  // multi-vote on, a clip already voted for can take another.
  async function vote(target: Clip, type: VoteType = 'standard') {
    const multi = !!feed.data?.multiVoteEnabled;
    const already = voted.has(target.id);
    if ((already && !multi) || pending.has(target.id)) return;
    if (remaining <= 0) { showToast('Daily limit reached — come back tomorrow'); return; }
    if (type !== 'standard' && powerLeft[type] <= 0) return;
    // Optimistic: the check mark and count change at once; rolled back if the server refuses.
    setPending((p) => new Set(p).add(target.id));
    setVoted((v) => new Set(v).add(target.id));
    updateClip(target.id, { vote_count: target.vote_count + 1 });
    setUsedToday((n) => n + 1);
    setRemaining((n) => n - 1);
    if (type !== 'standard') setPowerLeft((p) => ({ ...p, [type]: 0 }));
    navigator.vibrate?.(50);
    try {
      const r = await castVote(target.id, !!feed.data?.captchaRequired, type);
      playTone(voteNotes(r.milestone));
      updateClip(target.id, { vote_count: r.voteCount, weighted_score: r.newScore });
      setUsedToday(r.totalVotesToday);
      setRemaining(r.remainingVotes.standard);
      setPowerLeft({ super: r.remainingVotes.super ?? 0, mega: r.remainingVotes.mega ?? 0 });
      if (type !== 'standard') showToast(`${type === 'super' ? 'Super' : 'Mega'} vote: worth ${type === 'super' ? 3 : 10}`, true);
      if (r.milestone) {
        showToast(milestoneMessage(r.milestone), true);
        if (r.milestone === 200) { setConfetti(true); window.setTimeout(() => setConfetti(false), 3000); }
      }
    } catch (err) {
      navigator.vibrate?.(ERROR_VIBRATION);
      if (!already) setVoted((v) => { const n = new Set(v); n.delete(target.id); return n; });
      updateClip(target.id, { vote_count: target.vote_count });
      setUsedToday((n) => n - 1);
      setRemaining((n) => n + 1);
      if (type !== 'standard' && !(err instanceof ApiError && err.code === 'POWER_VOTE_USED')) setPowerLeft((p) => ({ ...p, [type]: 1 }));
      if (err instanceof ApiError && err.code === 'DAILY_LIMIT') setRemaining(0);
      if (err instanceof ApiError && err.code === 'AUTH_REQUIRED') setSignInReason(err.message);
      else showToast(err instanceof ApiError ? err.message : 'Vote failed');
    } finally {
      setPending((p) => { const n = new Set(p); n.delete(target.id); return n; });
    }
  }

  async function undo(target: Clip) {
    if (!voted.has(target.id) || pending.has(target.id)) return;
    setPending((p) => new Set(p).add(target.id));
    setVoted((v) => { const n = new Set(v); n.delete(target.id); return n; });
    updateClip(target.id, { vote_count: target.vote_count - 1 });
    try {
      const r = await undoVote(target.id);
      updateClip(target.id, { vote_count: r.voteCount, weighted_score: r.newScore });
      setUsedToday(r.totalVotesToday);
      setRemaining(r.remainingVotes.standard);
    } catch (err) {
      setVoted((v) => new Set(v).add(target.id));
      updateClip(target.id, { vote_count: target.vote_count });
      showToast(err instanceof ApiError ? err.message : 'Could not undo');
    } finally {
      setPending((p) => { const n = new Set(p); n.delete(target.id); return n; });
    }
  }

  function onTap(e: React.MouseEvent) {
    const now = e.timeStamp;
    if (clip && isDoubleTap(lastTap.current, now)) {
      window.clearTimeout(tapTimer.current);
      const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
      setBurst({ x: e.clientX - rect.left, y: e.clientY - rect.top, key: now });
      void vote(clip);
      lastTap.current = 0;
      return;
    }
    lastTap.current = now;
    tapTimer.current = window.setTimeout(() => {
      const v = videoRef.current;
      if (v) { if (v.paused) void v.play(); else v.pause(); }
    }, 300);
  }

  const share = async () => { if (clip) await shareClip(clip, () => showToast('Link copied')); };

  if (feed.isLoading) {
    return <div className="arena" aria-busy="true"><div className="skeleton" style={{ position: 'absolute', inset: 24 }} /></div>;
  }
  if (feed.isError || !feed.data) {
    return (
      <div className="empty"><div className="stack"><div className="icon"><TriangleAlert size={44} /></div><p>Could not load the clips.</p>
        <button className="btn" onClick={() => void feed.refetch()}>Try again</button></div></div>
    );
  }
  const data = feed.data;
  if (!data.currentSlot) {
    const finished = story.data?.seasons.find((s) => s.status === 'finished');
    if (finished) {
      return (
        <div className="empty" data-testid="season-complete"><div className="stack" style={{ alignItems: 'center' }}><div className="icon"><Trophy size={44} /></div>
          <h2>{finished.label} is complete</h2>
          <p className="muted">All {finished.total_slots} scenes are locked in. The next season starts soon.</p>
          <Link className="btn btn-primary" to={`/story?season=${finished.id}`}>Watch the story</Link>
          <Link className="btn" to="/genres">Pick the next genre</Link>
          <Link className="btn" to={`/watch?season=${finished.id}`}>Watch it as one film</Link></div></div>
      );
    }
    return (
      <div className="empty"><div className="stack"><div className="icon"><Clapperboard size={44} /></div><h2>No season is running</h2>
        <p className="muted">The next season starts soon. Meanwhile, watch how the last one turned out.</p>
        <Link className="btn btn-primary" to="/story">Watch the story</Link></div></div>
    );
  }
  if (data.totalClipsInSlot === 0) {
    return (
      <div className="empty"><div className="stack"><div className="icon"><Hourglass size={44} /></div><h2>Waiting for clips</h2>
        <p className="muted">Slot {data.currentSlot} opens as soon as the first clip is approved.</p>
        <Link className="btn btn-primary" to="/upload">Upload the first clip</Link></div></div>
    );
  }
  if (!clip) {
    // The end card: past the last clip of the round (or none left to show).
    return (
      <div className="empty" data-testid="feed-end"><div className="stack" style={{ alignItems: 'center' }}><div className="icon"><Sparkles size={44} /></div>
        <h2>You've seen every clip in slot {data.currentSlot}</h2>
        <p className="muted">New clips arrive all the time — come back later, or in the meantime:</p>
        <Link className="btn btn-primary" to="/story">Watch the story so far</Link>
        <Link className="btn" to="/upload">Upload your own clip</Link>
        <div className="row" style={{ justifyContent: 'center' }}>
          {clips.length > 0 && <button className="btn btn-small" onClick={() => setIndex(clips.length - 1)}>↑ Back to the last clip</button>}
          <button className="btn btn-small" onClick={() => { round.current = null; qc.removeQueries({ queryKey: ['feed'] }); void feed.refetch(); }}>Check for new clips</button>
        </div></div></div>
    );
  }

  const state: VoteButtonState = pending.has(clip.id)
    ? 'pending'
    : voted.has(clip.id)
      ? 'voted'
      : !data.votingOpen
        ? 'closed'
        : remaining <= 0
          ? 'limit'
          : 'idle';
  const next = clips[index + 1];

  return (
    <section
      className={`arena${commentsOpen ? ' comments-open' : ''}`}
      aria-label="Voting arena"
      onWheel={(e) => {
        const now = Date.now();
        if (now - wheelLock.current < 450 || Math.abs(e.deltaY) < 20) return;
        wheelLock.current = now;
        go(e.deltaY > 0 ? 1 : -1);
      }}
      onTouchStart={(e) => { touchStart.current = e.touches[0]!.clientY; }}
      onTouchEnd={(e) => {
        if (touchStart.current === null) return;
        const d = swipeDelta(touchStart.current, e.changedTouches[0]!.clientY);
        touchStart.current = null;
        if (d === -1 && index === 0) { void feed.refetch(); showToast('Refreshed'); return; }  // pull to refresh
        if (d !== 0) go(d);
      }}
    >
      <div className="arena-bg" style={{ backgroundImage: `url(${clip.thumbnail_url})` }} aria-hidden="true" />
      <video
        key={clip.id}
        ref={videoRef}
        className="arena-video"
        src={clip.video_url}
        poster={clip.thumbnail_url}
        autoPlay
        loop
        playsInline
        muted={muted}
        onClick={onTap}
        onPause={() => setPaused(true)}
        onPlay={() => setPaused(false)}
        aria-label={`${clip.title} by ${clip.username || 'unknown creator'}`}
        data-testid="arena-video"
        data-clip-id={clip.id}
      />
      {paused && <span className="paused-icon" role="img" aria-label="Paused — tap to play" data-testid="paused-icon"><Play size={56} fill="currentColor" /></span>}
      {next && <video src={next.video_url} preload="auto" muted style={{ display: 'none' }} aria-hidden="true" />}
      {burst && <span key={burst.key} className="heart-burst" style={{ left: burst.x, top: burst.y }} aria-hidden="true"><Heart size={72} fill="currentColor" /></span>}

      <div className="arena-top">
        <div className="stack" style={{ gap: 4 }}>
          <span className="row" style={{ gap: 8 }}>
            {data.votingOpen && <span className="badge badge-live">Live</span>}
            <span className={`live-dot live-dot-${liveStatus}`} role="img" data-testid="live-status"
              aria-label={liveStatus === 'open' ? 'Live updates on' : 'Reconnecting to live updates'}
              title={liveStatus === 'open' ? 'Live updates on' : 'Reconnecting…'} />
            <strong>Slot {data.currentSlot}/{data.totalSlots}</strong>
          </span>
          <span style={{ fontSize: 13, opacity: 0.85 }}>{data.seasonLabel}</span>
        </div>
        <div className="stack" style={{ gap: 4, alignItems: 'flex-end', fontSize: 13 }}>
          <Countdown until={data.votingEndsAt} />
          <span data-testid="votes-today">{usedToday}/{limit} votes today</span>
        </div>
      </div>

      <div className="arena-info">
        <h2>{clip.title || 'Untitled scene'}</h2>
        <p style={{ margin: 0, opacity: 0.9 }}>
          {clip.username && clip.username !== 'deleted user'
            ? <Link className="creator-link" to={`/u/${clip.username}`}>@{clip.username}</Link>
            : <>@{clip.username || 'creator'}</>} · {clip.genre}
          {session?.user && <> · <button className="link-button" onClick={() => setReporting(clip)}>Report</button></>}
        </p>
        {reporting && <ReportDialog targetType="clip" targetId={reporting.id} what={`“${reporting.title}”`} onClose={() => setReporting(null)} />}
        {remaining <= 0 && <p className="badge badge-pending" role="status" style={{ marginTop: 8 }}>Daily limit reached — back tomorrow</p>}
        <p style={{ margin: '6px 0 0', fontSize: 12, opacity: 0.7 }}>Clip {index + 1} of {data.totalClipsInSlot} · swipe or use ↑ ↓<span className="desktop-only"> · <kbd>V</kbd> votes</span></p>
      </div>

      <div className="actions">
        <div className="action" data-tour="vote">
          <VoteButton state={state} used={usedToday} limit={limit} showRing={flags.data?.features.vote_button_progress ?? true}
            onToggle={() => (voted.has(clip.id) ? void undo(clip) : void vote(clip))} />
          <span data-testid="vote-count" aria-label="Votes">{clip.vote_count}</span>
        </div>
        {data.multiVoteEnabled && voted.has(clip.id) && state !== 'closed' && (
          <button className="action" onClick={() => void vote(clip)} disabled={pending.has(clip.id) || remaining <= 0}>
            <span className="action-circle power" aria-hidden="true">+1</span>Vote again
          </button>
        )}
        {data.powerVotesEnabled && state !== 'closed' && (['super', 'mega'] as const).map((type) => (
          <button key={type} className="action" data-testid={`${type}-vote`} onClick={() => void vote(clip, type)}
            disabled={powerLeft[type] <= 0 || pending.has(clip.id) || remaining <= 0}>
            <span className={`action-circle power power-${type}`} aria-hidden="true">{type === 'super' ? '×3' : '×10'}</span>
            {type === 'super' ? 'Super' : 'Mega'}{powerLeft[type] <= 0 && <span className="power-used"> used</span>}
          </button>
        ))}
        <button ref={commentButton} className="action" aria-label={`Comments (${clip.comment_count})`} aria-expanded={commentsOpen} onClick={() => setCommentsOpen((o) => !o)}>
          <span className="action-circle" aria-hidden="true"><MessageCircle size={22} /></span>{clip.comment_count}
        </button>
        <button className="action" aria-label="Share" onClick={() => void share()}>
          <span className="action-circle" aria-hidden="true"><Share2 size={22} /></span>Share
        </button>
        <button className="action" onClick={() => setMuted((m) => !m)}>
          <span className="action-circle" aria-hidden="true">{muted ? <VolumeX size={22} /> : <Volume2 size={22} />}</span>{muted ? 'Unmute' : 'Mute'}
        </button>
        <span data-tour="browse" className="stack" style={{ gap: 16 }}>
        <button className="action" aria-label="Previous clip" onClick={() => go(-1)} disabled={index === 0}>
          <span className="action-circle" aria-hidden="true"><ChevronUp size={24} /></span>
        </button>
        <button className="action" aria-label={next ? 'Next clip' : 'End of the round'} onClick={() => go(1)} disabled={!next && !atEnd}>
          <span className="action-circle" aria-hidden="true"><ChevronDown size={24} /></span>
        </button>
        </span>
      </div>

      {commentsOpen && (
        <CommentPanel clipId={clip.id} onClose={() => { setCommentsOpen(false); commentButton.current?.focus(); }}
          onCountChange={(d) => updateClip(clip.id, { comment_count: clip.comment_count + d })} />
      )}
      {toast && <div className={`toast${toast.celebrate ? ' toast-celebrate' : ''}`} role="status">{toast.text}</div>}
      {signInReason && (
        <div className="signin-prompt" role="alert">
          <p>{signInReason}</p>
          <div className="signin-prompt-actions">
            <Link className="btn btn-primary" to="/login?returnTo=%2Fdashboard">Sign in to vote</Link>
            <button className="btn" onClick={() => setSignInReason(null)}>Not now</button>
          </div>
        </div>
      )}
      {confetti && <Confetti />}
      {/* The tour on a first visit to the arena, however one arrived (?tour=1 shows it again). */}
      {(params.get('tour') === '1' || !tourSeen()) && (flags.data?.features.spotlight_tour ?? true) && flags.data && <SpotlightTour />}
    </section>
  );
}

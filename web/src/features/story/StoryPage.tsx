import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveChannel, usePollWhileDown } from '../../live/useLive';
import { api } from '../../api/client';
import type { Clip, Season } from '../../api/types';
import { ScenePlayer } from './ScenePlayer';
import { StoryActions, type OpenRound } from './StoryActions';
import { localVotes } from '../vote/localVotes';
import { useFeed } from '../vote/useFeed';
import { StoryIntro, storyIntroSeen } from './StoryIntro';
import { SeasonStrip } from './SeasonStrip';
import { ContributorCards } from './ContributorCards';

export function winnersOf(season: Season | undefined): Clip[] {
  return (season?.slots ?? []).filter((s) => s.winner).map((s) => s.winner!);
}

interface TallyClip { clipId: number; voteCount: number; weightedScore: number }

// The movie so far: the season's winning scenes in order and, while a round is open, the clips
// competing for the next scene, which can be voted on and discussed right here.
export function StoryPage() {
  const qc = useQueryClient();
  const story = useQuery({ queryKey: ['story'], queryFn: () => api.get<{ seasons: Season[] }>('/api/story'), refetchInterval: usePollWhileDown() });
  const feed = useFeed();
  // Winners and opened slots change the story at once.
  useLiveChannel('season', () => { void qc.invalidateQueries({ queryKey: ['story'] }); void qc.invalidateQueries({ queryKey: ['feed'] }); });
  // The season is in the URL (?season=ID), so a story link opens the season it was shared from.
  const [params, setParams] = useSearchParams();
  const seasonId = Number(params.get('season')) || null;
  const setSeasonId = (id: number) => setParams({ season: String(id) }, { replace: true });
  const [stripOpen, setStripOpen] = useState(true);
  const [toast, setToast] = useState<string | null>(null);
  const seasons = story.data?.seasons ?? [];
  const season = seasons.find((s) => s.id === seasonId) ?? seasons[0];

  // The open round's contenders, with counts and this voter's picks kept up to date here.
  const [contenders, setContenders] = useState<Clip[]>([]);
  const [round, setRound] = useState<OpenRound | null>(null);
  useEffect(() => {
    const f = feed.data;
    const live = !!f && !!season && f.seasonId === season.id && !!f.currentSlot && f.clips.length > 0;
    // Votes cast here since this snapshot was asked for win over it (see localVotes).
    const changed = !!f && localVotes.anyChangeSince(f.requestedAt);
    setContenders((prev) => (live ? f.clips.map((c) => (localVotes.changedSince(c.id, f.requestedAt) ? prev.find((p) => p.id === c.id) ?? c : c)) : []));
    setRound((prev) => (live ? {
      votingOpen: f.votingOpen,
      captchaRequired: f.captchaRequired,
      remaining: changed && prev ? prev.remaining : f.remainingVotes.standard,
      voted: localVotes.reconcile(f.votedClipIds, prev?.voted ?? new Set(), f.requestedAt),
    } : null));
  }, [feed.data, season?.id]);  // eslint-disable-line react-hooks/exhaustive-deps
  useLiveChannel('tallies', (m) => {
    const changed = new Map((m.clips as TallyClip[] | undefined)?.map((c) => [c.clipId, c]) ?? []);
    if (changed.size > 0) setContenders((prev) => prev.map((c) => { const t = changed.get(c.id); return t ? { ...c, vote_count: t.voteCount } : c; }));
  });

  const winners = useMemo(() => winnersOf(season), [season]);
  const scenes = useMemo(() => [...winners, ...contenders], [winners, contenders]);
  const isContender = useCallback((c: Clip) => contenders.some((x) => x.id === c.id), [contenders]);
  // A contender's counts live here; a locked scene's come with the story, so it is fetched again.
  const patchScene = (id: number, patch: Partial<Clip>) => {
    if (contenders.some((c) => c.id === id)) setContenders((prev) => prev.map((c) => (c.id === id ? { ...c, ...patch } : c)));
    else void qc.invalidateQueries({ queryKey: ['story'] });
  };
  const notify = (text: string) => { setToast(text); window.setTimeout(() => setToast(null), 2600); };

  const [introOpen, setIntroOpen] = useState(false);
  useEffect(() => { if (season) setIntroOpen(!storyIntroSeen(season.id)); }, [season]);

  if (story.isLoading) return <div className="page"><div className="skeleton" style={{ height: 420 }} /></div>;
  if (!season) return <div className="page"><h1>Story</h1><p className="muted">No season has started yet.</p></div>;
  const premise = season.description || `A ${season.genre} story.`;
  const stepSeason = (step: -1 | 1) => {
    const next = seasons[seasons.findIndex((s) => s.id === season.id) + step];
    if (next) setSeasonId(next.id);
  };

  return (
    <div className="page">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>The Story</h1>
        <button className="btn btn-small" aria-expanded={stripOpen} onClick={() => setStripOpen((o) => !o)}>
          {stripOpen ? 'Hide seasons' : 'Show seasons'}
        </button>
      </div>
      {stripOpen && <SeasonStrip seasons={seasons} current={season} onPick={setSeasonId} />}
      <div className="story-layout" style={{ marginTop: 16 }}>
        <ScenePlayer scenes={scenes} onSeasonSwipe={stepSeason}
          caption={(c) => (isContender(c) ? `Competing for scene ${c.slot_position}: ${c.title}` : `Scene ${c.slot_position}: ${c.title}`)}
          rail={(scene, muted, toggleMute) => (
            <StoryActions key={scene.id} scene={scene} contender={isContender(scene)} round={round} muted={muted} toggleMute={toggleMute}
              notify={notify} onCount={patchScene}
              onVoted={(id, votedNow, remaining) => setRound((r) => {
                if (!r) return r;
                const voted = new Set(r.voted);
                if (votedNow) voted.add(id); else voted.delete(id);
                return { ...r, voted, remaining };
              })} />
          )}
          intro={introOpen && <StoryIntro seasonId={season.id} title={season.label} text={premise} onDone={() => setIntroOpen(false)} />}
          endCard={
            season.status === 'active' && season.current_slot ? (
              <div className="stack" style={{ alignItems: 'center' }}>
                <h2 style={{ margin: 0 }}>That's the story so far</h2>
                <p style={{ margin: 0 }}>Scene {season.current_slot} is being chosen right now.</p>
                <Link className="btn btn-primary" to="/dashboard">Vote on the next scene</Link>
              </div>
            ) : (
              <div className="stack" style={{ alignItems: 'center' }}>
                <h2 style={{ margin: 0 }}>The end</h2>
                <Link className="btn btn-primary" to={`/watch?season=${season.id}`}>Watch it as one film</Link>
              </div>
            )} />
        <div className="stack">
          <div className="glass card stack">
            <h2 style={{ margin: 0 }}>{season.label}</h2>
            <p className="muted" style={{ margin: 0 }}>{premise}</p>
            <p style={{ margin: 0 }}>
              {season.locked_slots} of {season.total_slots} scenes locked
              {season.current_slot ? <> · <Link to="/dashboard">slot {season.current_slot} is voting now — vote</Link></> : ''}
            </p>
            {contenders.length > 0 && <p className="muted" style={{ margin: 0 }}>After the locked scenes, the player shows the clips competing for scene {season.current_slot}: vote for one right on the picture.</p>}
          </div>
          <div className="glass card stack">
            <h3 style={{ margin: 0 }}>Contributors</h3>
            <ContributorCards scenes={winners} />
          </div>
        </div>
      </div>
      {toast && <div className="toast" role="status">{toast}</div>}
    </div>
  );
}

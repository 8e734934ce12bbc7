import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Clip } from '../../api/types';
import { advance, jump, segmentFill } from './sequencer';
import { CONTROLS_HIDE_MS, isImmersive } from './storyGestures';
import { useSwipe } from './useSwipe';
import { isDoubleTap } from '../vote/feedNavigation';
import { ChevronLeft, ChevronRight, Maximize, Minimize, Pause, Play, Volume2, VolumeX } from '../../components/icons';

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    onChange();
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

// Plays a list of scenes in order: sharp foreground video over a blurred fill of the same scene,
// a segmented progress bar, auto-advance, previous/next, and the next two scenes preloaded. The
// controls sit on the picture, Play/Pause says which it is, and after the last scene `endCard`
// takes the stage.
//
// Gestures: swipe up/down for the next/previous scene, left/right for `onSeasonSwipe`; double-tap
// for fullscreen. On a phone in landscape, or in fullscreen, the controls hide after a few quiet
// seconds and a tap brings them back. `rail` draws the action buttons for the scene on screen,
// `caption` its heading, and `intro` lies over the picture until it removes itself.
export function ScenePlayer({ scenes, controls = false, onSceneChange, endCard, rail, caption, intro, onSeasonSwipe }: {
  scenes: Clip[];
  controls?: boolean;
  onSceneChange?: (index: number) => void;
  endCard?: ReactNode;
  rail?: (scene: Clip, muted: boolean, toggleMute: () => void) => ReactNode;
  caption?: (scene: Clip) => string;
  intro?: ReactNode;
  onSeasonSwipe?: (step: -1 | 1) => void;
}) {
  const [seq, setSeq] = useState({ index: 0, length: scenes.length });
  const [fraction, setFraction] = useState(0);
  const [muted, setMuted] = useState(true);
  const [playing, setPlaying] = useState(false);
  const [ended, setEnded] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const [controlsShown, setControlsShown] = useState(true);
  const ref = useRef<HTMLVideoElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const lastTap = useRef(0);
  const tapTimer = useRef<number | undefined>(undefined);
  const hideTimer = useRef<number | undefined>(undefined);
  const hiddenAtTouch = useRef(false);
  const landscapePhone = useMediaQuery('(orientation: landscape) and (max-height: 540px)');
  const immersive = isImmersive(landscapePhone, fullscreen);

  // When the list changes (another season, or the open round's clips arriving after the locked
  // scenes), the scene on screen stays on screen if it is still in it; otherwise the list starts
  // from the first. Fresh counts on the same scenes change nothing.
  const sceneIds = scenes.map((s) => s.id).join(',');
  const shownId = useRef<number | null>(null);
  useEffect(() => {
    const keep = scenes.findIndex((s) => s.id === shownId.current);
    setSeq({ index: Math.max(0, keep), length: scenes.length });
    if (keep < 0) setEnded(false);
  }, [sceneIds]);  // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { onSceneChange?.(seq.index); setFraction(0); }, [seq.index, onSceneChange]);
  const go = (to: number) => { setEnded(false); setSeq(jump(seq, to)); };
  // The end card is the next thing to do: bring the player back into view for it.
  useEffect(() => { if (ended && !immersive) stage.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }); }, [ended, immersive]);

  // Immersive mode: any touch, tap or key shows the controls for a few seconds.
  const reveal = useCallback(() => {
    setControlsShown(true);
    window.clearTimeout(hideTimer.current);
    if (immersive) hideTimer.current = window.setTimeout(() => setControlsShown(false), CONTROLS_HIDE_MS);
  }, [immersive]);
  useEffect(() => { reveal(); return () => window.clearTimeout(hideTimer.current); }, [reveal]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === stage.current && !!stage.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  function toggleFullscreen() {
    if (document.fullscreenElement) { void document.exitFullscreen(); return; }
    const el = stage.current;
    if (el?.requestFullscreen) { el.requestFullscreen().catch(() => undefined); return; }
    // iOS Safari has no element fullscreen, only the video's own player.
    (ref.current as (HTMLVideoElement & { webkitEnterFullscreen?: () => void }) | null)?.webkitEnterFullscreen?.();
  }

  function togglePlay() {
    const v = ref.current;
    if (v) { if (v.paused) void v.play(); else v.pause(); }
  }

  // One tap: playback (or, with the controls hidden, just the controls); two: fullscreen.
  function onTap(e: React.MouseEvent) {
    const now = e.timeStamp;
    if (isDoubleTap(lastTap.current, now)) {
      window.clearTimeout(tapTimer.current);
      lastTap.current = 0;
      toggleFullscreen();
      return;
    }
    lastTap.current = now;
    // The touch that started this tap already showed the controls; the tap itself did nothing else.
    const hidden = hiddenAtTouch.current || (immersive && !controlsShown);
    hiddenAtTouch.current = false;
    tapTimer.current = window.setTimeout(() => { if (!hidden) togglePlay(); }, 300);
    reveal();
  }

  const swipe = useSwipe((s) => { if (s.axis === 'scene') go(seq.index + s.step); else onSeasonSwipe?.(s.step); });
  const scene = scenes[seq.index];
  shownId.current = scene?.id ?? null;
  if (!scene) return <div className="story-stage glass" style={{ display: 'grid', placeItems: 'center' }}><p className="muted">No scenes yet</p></div>;
  const heading = caption ? caption(scene) : `Scene ${scene.slot_position}: ${scene.title}`;
  const toggleMute = () => setMuted((m) => !m);

  return (
    <div className="stack">
      <div className={`story-stage${controls ? '' : ' swipeable'}${immersive ? ' immersive' : ''}`} data-testid="story-stage" ref={stage}
        data-controls={controlsShown ? 'shown' : 'hidden'}
        onKeyDown={reveal}
        onTouchStart={(e) => {
          swipe.onTouchStart(e);
          hiddenAtTouch.current = immersive && !controlsShown;
          reveal();
        }}
        onTouchEnd={swipe.onTouchEnd}>
        <div className="arena-bg" style={{ backgroundImage: `url(${scene.thumbnail_url})` }} aria-hidden="true" />
        <div className="progress-line" aria-hidden="true">
          {scenes.map((s, i) => (
            <span key={s.id}><i style={{ width: `${segmentFill(i, seq.index, fraction) * 100}%` }} /></span>
          ))}
        </div>
        <video
          key={scene.id}
          ref={ref}
          className="arena-video"
          src={scene.video_url}
          poster={scene.thumbnail_url}
          autoPlay
          playsInline
          muted={muted}
          controls={controls}
          data-testid="story-video"
          data-scene={seq.index}
          aria-label={heading}
          onClick={controls ? undefined : onTap}
          onTimeUpdate={(e) => {
            const v = e.currentTarget;
            if (v.duration) setFraction(v.currentTime / v.duration);
          }}
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => {
            const n = advance(seq);
            if (n.finished) setEnded(true);
            else setSeq({ index: n.index, length: n.length });
          }}
        />
        <div className="story-chrome">
          <div className="arena-info story-caption" style={{ right: rail ? 72 : 0 }}>
            <h2>{heading}</h2>
            <p style={{ margin: 0 }}>by @{scene.username || 'creator'}</p>
            <div className="story-controls" role="group" aria-label="Player">
              <button className="btn btn-small" onClick={() => go(seq.index - 1)} disabled={seq.index === 0} aria-label="Previous scene"><ChevronLeft size={18} /></button>
              <button className="btn btn-small" data-testid="story-play" aria-label={playing ? 'Pause' : 'Play'} onClick={togglePlay}>
                {playing ? <><Pause size={16} /> Pause</> : <><Play size={16} /> Play</>}
              </button>
              {!rail && (
                <button className="btn btn-small" onClick={toggleMute} aria-label={muted ? 'Unmute' : 'Mute'}>
                  {muted ? <VolumeX size={18} /> : <Volume2 size={18} />}
                </button>
              )}
              <button className="btn btn-small" onClick={toggleFullscreen} aria-label={fullscreen ? 'Exit fullscreen' : 'Fullscreen'}>
                {fullscreen ? <Minimize size={18} /> : <Maximize size={18} />}
              </button>
              <button className="btn btn-small" onClick={() => go(seq.index + 1)} disabled={seq.index >= scenes.length - 1} aria-label="Next scene"><ChevronRight size={18} /></button>
            </div>
          </div>
          {rail && <div className="actions story-actions">{rail(scene, muted, toggleMute)}</div>}
        </div>
        {intro}
        {ended && endCard && <div className="story-end" data-testid="story-end">{endCard}</div>}
        {scenes.slice(seq.index + 1, seq.index + 3).map((s) => (
          <video key={`pre-${s.id}`} src={s.video_url} preload="auto" muted style={{ display: 'none' }} aria-hidden="true" />
        ))}
      </div>
      <div className="segments" role="list" aria-label="Scenes">
        {scenes.map((s, i) => (
          <div key={s.id} role="listitem">
            <button className="segment" aria-current={i === seq.index} aria-label={`Play ${caption ? caption(s) : `scene ${s.slot_position}`}`} onClick={() => go(i)}>
              <img src={s.thumbnail_url} alt="" loading="lazy" />
              <span className="num">{s.slot_position}</span>
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}

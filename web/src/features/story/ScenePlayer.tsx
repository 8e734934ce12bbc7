import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Clip } from '../../api/types';
import { advance, jump, segmentFill } from './sequencer';

// Plays a list of scenes in order: sharp foreground video over a blurred fill of the same scene,
// a segmented progress bar, auto-advance, previous/next, and the next two scenes preloaded. The
// controls sit on the picture (the whole player fits the first screen), Play/Pause says which it
// is, and after the last scene `endCard` takes the stage.
export function ScenePlayer({ scenes, controls = false, onSceneChange, endCard }: {
  scenes: Clip[];
  controls?: boolean;
  onSceneChange?: (index: number) => void;
  endCard?: ReactNode;
}) {
  const [seq, setSeq] = useState({ index: 0, length: scenes.length });
  const [fraction, setFraction] = useState(0);
  const [muted, setMuted] = useState(true);
  const [playing, setPlaying] = useState(false);
  const [ended, setEnded] = useState(false);
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => { setSeq({ index: 0, length: scenes.length }); setEnded(false); }, [scenes]);
  useEffect(() => { onSceneChange?.(seq.index); setFraction(0); }, [seq.index, onSceneChange]);
  const go = (to: number) => { setEnded(false); setSeq(jump(seq, to)); };
  const stage = useRef<HTMLDivElement>(null);
  // The end card is the next thing to do: bring the player back into view for it.
  useEffect(() => { if (ended) stage.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }); }, [ended]);

  const scene = scenes[seq.index];
  if (!scene) return <div className="story-stage glass" style={{ display: 'grid', placeItems: 'center' }}><p className="muted">No scenes yet</p></div>;

  return (
    <div className="stack">
      <div className="story-stage" data-testid="story-stage" ref={stage}>
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
          aria-label={`Scene ${scene.slot_position}: ${scene.title}`}
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
        <div className="arena-info story-caption" style={{ right: 0 }}>
          <h2>Scene {scene.slot_position}: {scene.title}</h2>
          <p style={{ margin: 0 }}>by @{scene.username || 'creator'}</p>
          <div className="story-controls" role="group" aria-label="Player">
            <button className="btn btn-small" onClick={() => go(seq.index - 1)} disabled={seq.index === 0} aria-label="Previous scene">⟨</button>
            <button className="btn btn-small" data-testid="story-play" aria-label={playing ? 'Pause' : 'Play'}
              onClick={() => { const v = ref.current; if (v) { if (v.paused) void v.play(); else v.pause(); } }}>
              {playing ? '❚❚ Pause' : '▶ Play'}
            </button>
            <button className="btn btn-small" onClick={() => setMuted((m) => !m)} aria-pressed={!muted} aria-label={muted ? 'Unmute' : 'Mute'}>{muted ? '🔇' : '🔊'}</button>
            <button className="btn btn-small" onClick={() => go(seq.index + 1)} disabled={seq.index >= scenes.length - 1} aria-label="Next scene">⟩</button>
          </div>
        </div>
        {ended && endCard && <div className="story-end" data-testid="story-end">{endCard}</div>}
        {scenes.slice(seq.index + 1, seq.index + 3).map((s) => (
          <video key={`pre-${s.id}`} src={s.video_url} preload="auto" muted style={{ display: 'none' }} aria-hidden="true" />
        ))}
      </div>
      <div className="segments" role="list" aria-label="Scenes">
        {scenes.map((s, i) => (
          <div key={s.id} role="listitem">
            <button className="segment" aria-current={i === seq.index} aria-label={`Play scene ${s.slot_position}`} onClick={() => go(i)}>
              <img src={s.thumbnail_url} alt="" loading="lazy" />
              <span className="num">{s.slot_position}</span>
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}

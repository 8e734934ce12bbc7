import type { Season } from '../../api/types';
import { seasonProgress } from './storyGestures';
import { useSwipe } from './useSwipe';

export function statusBadge(s: Season) {
  if (s.status === 'active') return <span className="badge badge-live">Live</span>;
  if (s.status === 'finished' || s.status === 'archived') return <span className="badge badge-done">Complete</span>;
  return <span className="badge badge-soon">Coming soon</span>;
}

// Every season as a chip with its state and how far it has come; a sideways swipe over the strip
// moves to the neighbouring season, as a tap on a chip picks one.
export function SeasonStrip({ seasons, current, onPick }: { seasons: Season[]; current: Season; onPick: (id: number) => void }) {
  const step = (by: -1 | 1) => {
    const i = seasons.findIndex((s) => s.id === current.id) + by;
    if (i >= 0 && i < seasons.length) onPick(seasons[i]!.id);
  };
  const swipe = useSwipe((s) => { if (s.axis === 'season') step(s.step); });
  return (
    <div className="season-strip" role="list" aria-label="Seasons" data-testid="season-strip" {...swipe}>
      {seasons.map((s) => {
        const done = seasonProgress(s.locked_slots, s.total_slots);
        return (
          <div key={s.id} role="listitem">
            <button className={`glass season-chip season-${s.status}`} aria-pressed={s.id === current.id} onClick={() => onPick(s.id)}>
              <div className="row" style={{ gap: 8 }}>{statusBadge(s)}<strong>{s.label}</strong></div>
              <span className="muted" style={{ fontSize: 13 }}>{s.genre} · {s.locked_slots ?? 0}/{s.total_slots} scenes</span>
              <span className="season-progress" aria-hidden="true"><i style={{ width: `${done * 100}%` }} /></span>
            </button>
          </div>
        );
      })}
    </div>
  );
}

// The daily vote progress ring around the vote button (spec 11): blue → cyan → green → gold as
// the day's votes are used: gold from 75 %.
export function ringColor(used: number, limit: number): string {
  const ratio = limit > 0 ? used / limit : 0;
  if (ratio >= 0.75) return '#ffc83d';
  if (ratio >= 0.5) return '#2fe38a';
  if (ratio >= 0.25) return '#3cf2ff';
  return '#3d7bff';
}

export function ProgressRing({ used, limit, size = 68 }: { used: number; limit: number; size?: number }) {
  const stroke = 5;
  const r = (size - stroke) / 2;
  const c = 2 * Math.PI * r;
  const ratio = Math.min(1, limit > 0 ? used / limit : 0);
  return (
    <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true" data-testid="progress-ring" data-color={ringColor(used, limit)}>
      <circle cx={size / 2} cy={size / 2} r={r} stroke="rgba(255,255,255,0.2)" strokeWidth={stroke} fill="none" />
      <circle
        cx={size / 2}
        cy={size / 2}
        r={r}
        stroke={ringColor(used, limit)}
        strokeWidth={stroke}
        fill="none"
        strokeDasharray={c}
        strokeDashoffset={c * (1 - ratio)}
        strokeLinecap="round"
        transform={`rotate(-90 ${size / 2} ${size / 2})`}
      />
    </svg>
  );
}

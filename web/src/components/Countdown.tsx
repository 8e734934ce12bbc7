import { useEffect, useState } from 'react';
import { Timer } from './icons';

export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'closing…';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(sec).padStart(2, '0')}s`;
}

export function Countdown({ until }: { until: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!until) return null;
  return <span aria-label="Time left to vote"><Timer size={14} /> {formatRemaining(Date.parse(until) - now)}</span>;
}

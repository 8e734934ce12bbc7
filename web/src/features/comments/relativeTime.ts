// "just now", "5 min. ago", "3 hr. ago", "yesterday", "4 days ago", then a short date: how a
// comment's age reads at a glance, without wrapping.
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

export function relativeTime(iso: string, now = Date.now(), locale?: string): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (seconds < HOUR) return rtf.format(-Math.max(1, Math.round(seconds / MINUTE)), 'minute');
  if (seconds < DAY) return rtf.format(-Math.round(seconds / HOUR), 'hour');
  if (seconds < 7 * DAY) return rtf.format(-Math.round(seconds / DAY), 'day');
  const longAgo = seconds > 300 * DAY;
  return new Date(then).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: longAgo ? 'numeric' : undefined });
}

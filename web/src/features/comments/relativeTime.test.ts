import { describe, expect, it } from 'vitest';
import { relativeTime } from './relativeTime';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

describe('relativeTime', () => {
  it('reads recent times in words', () => {
    expect(relativeTime(ago(10), NOW, 'en')).toBe('just now');
    expect(relativeTime(ago(5 * 60), NOW, 'en')).toBe('5 min. ago');
    expect(relativeTime(ago(3 * 3600), NOW, 'en')).toBe('3 hr. ago');
    expect(relativeTime(ago(86400), NOW, 'en')).toBe('yesterday');
    expect(relativeTime(ago(4 * 86400), NOW, 'en')).toBe('4 days ago');
  });
  it('falls back to a short date after a week, and to nothing for garbage', () => {
    expect(relativeTime('2026-11-01T10:00:00Z', NOW, 'en')).toBe('Nov 1');
    expect(relativeTime('2025-01-05T10:00:00Z', NOW, 'en')).toBe('Jan 5, 2025');
    expect(relativeTime('not a date', NOW, 'en')).toBe('');
  });
});

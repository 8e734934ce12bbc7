import { describe, expect, it } from 'vitest';

// Interface icons come from one SVG set (components/icons.tsx): emoji render as empty boxes where
// no emoji font is installed. Emoji remain only as things people write or send: the comment
// reactions and the milestone messages.
const sources = import.meta.glob('./**/*.tsx', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const WRITTEN_CONTENT = new Set(['./features/comments/CommentPanel.tsx']);
const EMOJI = /[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B50}\u{25B6}\u{23E9}-\u{23FA}]/u;

describe('icons', () => {
  it('no component draws an emoji as an icon', () => {
    const offenders = Object.entries(sources)
      .filter(([path]) => !path.endsWith('.test.tsx') && !WRITTEN_CONTENT.has(path))
      .flatMap(([path, text]) => text.split('\n').map((line, i) => [path, i + 1, line] as const))
      .filter(([, , line]) => EMOJI.test(line) && !line.trim().startsWith('//'))
      .map(([path, n, line]) => `${path}:${n}: ${line.trim().slice(0, 80)}`);
    expect(offenders).toEqual([]);
    expect(Object.keys(sources).length).toBeGreaterThan(40);
  });
});

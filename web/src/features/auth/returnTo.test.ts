import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './returnTo';

describe('safeReturnTo', () => {
  it('keeps paths on this site', () => {
    expect(safeReturnTo('/story?season=2')).toBe('/story?season=2');
  });
  it('sends anything else home', () => {
    for (const bad of [null, '', 'https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect(safeReturnTo(bad)).toBe('/');
    }
  });
});

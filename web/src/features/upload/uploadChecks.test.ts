import { describe, expect, it } from 'vitest';
import { checkDuration, checkFile, contentTypeOf, GENRES, isCroppedToPortrait, titleFromFileName } from './uploadChecks';

describe('upload checks', () => {
  it('accepts the three video types, by type or extension', () => {
    expect(contentTypeOf('a.mp4', 'video/mp4')).toBe('video/mp4');
    expect(contentTypeOf('clip.MOV', '')).toBe('video/quicktime');
    expect(contentTypeOf('x.webm', 'application/octet-stream')).toBe('video/webm');
    expect(contentTypeOf('x.png', 'image/png')).toBeNull();
    expect(checkFile('x.png', 'image/png', 10)).toMatch(/MP4, WebM and MOV/);
  });
  it('enforces 50 MB and 8.5 s', () => {
    expect(checkFile('a.mp4', 'video/mp4', 50 * 1024 * 1024)).toBeNull();
    expect(checkFile('a.mp4', 'video/mp4', 50 * 1024 * 1024 + 1)).toMatch(/50 MB/);
    expect(checkDuration(8.5)).toBeNull();
    expect(checkDuration(9)).toMatch(/at most 8 seconds/);
    expect(checkDuration(Number.NaN)).toMatch(/could not be read/);
  });
  it('offers eight genres', () => {
    expect(GENRES).toHaveLength(8);
  });
  it('knows which frames get cropped to portrait', () => {
    expect(isCroppedToPortrait(1280, 720)).toBe(true);
    expect(isCroppedToPortrait(1080, 1080)).toBe(true);
    expect(isCroppedToPortrait(1080, 1920)).toBe(false);
    expect(isCroppedToPortrait(1088, 1920)).toBe(false);
    expect(isCroppedToPortrait(0, 0)).toBe(false);
  });

  it('makes a title from a file name', () => {
    expect(titleFromFileName('my_clip-final.mp4')).toBe('my clip final');
    expect(titleFromFileName('a.b.mov')).toBe('a.b');
  });
});

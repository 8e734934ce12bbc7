// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, solve } from './captchaWorker';

describe('captcha proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0xff]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x00, 0x10]))).toBe(11);
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });
  it('finds a nonce the server would accept', async () => {
    const nonce = await solve({ challenge: 'abc.123', difficulty: 10 });
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`abc.123:${nonce}`));
    expect(leadingZeroBits(new Uint8Array(digest))).toBeGreaterThanOrEqual(10);
    expect(Number(nonce)).toBeGreaterThanOrEqual(0);
  });
});

// Solves the server's proof-of-work challenge off the main thread: finds a nonce such that
// SHA-256("<challenge>:<nonce>") starts with `difficulty` zero bits (the server checks the same).
export interface CaptchaJob { challenge: string; difficulty: number }

export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) { bits += 8; continue; }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export async function solve({ challenge, difficulty }: CaptchaJob): Promise<string> {
  const encoder = new TextEncoder();
  for (let nonce = 0; ; nonce += 1) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${nonce}`)));
    if (leadingZeroBits(digest) >= difficulty) return String(nonce);
  }
}

// In a worker (not under the component tests, which import the functions above).
if (typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function') {
  self.onmessage = (event: MessageEvent<CaptchaJob>) => {
    void solve(event.data).then((nonce) => self.postMessage({ nonce }));
  };
}

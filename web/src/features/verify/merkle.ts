// RFC 9162 in the browser (WebCrypto): the leaf hash and the inclusion proof check, so a voter
// can check a receipt against a round's published root without trusting the server's code.
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

export function fromHex(text: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(text)) throw new Error('not hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { joined.set(p, at); at += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

export async function leafHash(leaf: Uint8Array): Promise<string> {
  return hex(await sha256(new Uint8Array([0]), leaf));
}

const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(new Uint8Array([1]), left, right);

// RFC 9162 section 2.1.3.2.
export async function verifyInclusion(index: number, size: number, leafHashHex: string, path: string[], rootHex: string): Promise<boolean> {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = fromHex(leafHashHex);
  for (const step of path) {
    const p = fromHex(step);
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hex(r) === rootHex.toLowerCase();
}

// The sequence (the vote's number) and clip of a 65-byte leaf.
export function leafFields(leafHex: string): { seasonId: number; slot: number; clipId: number; weight: number; sequence: number } {
  const b = fromHex(leafHex);
  const view = new DataView(b.buffer);
  return {
    seasonId: Number(view.getBigUint64(1)), slot: view.getUint32(9), clipId: Number(view.getBigUint64(13)),
    weight: view.getUint32(21), sequence: Number(view.getBigUint64(25)),
  };
}

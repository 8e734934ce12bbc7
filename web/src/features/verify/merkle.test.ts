import { describe, expect, it } from 'vitest';
import { fromHex, leafFields, leafHash, verifyInclusion } from './merkle';

// The published RFC 9162 vectors the server's tests use (tests/vectors/transparency-dev-merkle).
interface InclusionCase { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean }
const VECTORS = import.meta.glob<InclusionCase>('../../../../tests/vectors/transparency-dev-merkle/inclusion/**/*.json', { eager: true, import: 'default' });
const b64hex = (s: string) => [...atob(s)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

describe('receipt verification in the browser', () => {
  it('agrees with every published inclusion vector', async () => {
    let checked = 0;
    for (const [file, c] of Object.entries(VECTORS)) {
      const hashes = [c.root, c.leafHash, ...(c.proof ?? [])].map(b64hex);
      // A hash that is not 32 bytes cannot come from a real log: the check refuses it.
      const wellFormed = hashes.every((h) => h.length === 64);
      const ok = wellFormed && await verifyInclusion(c.leafIdx, c.treeSize, hashes[1], hashes.slice(2), hashes[0]);
      expect(!ok, file).toBe(c.wantErr);
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('hashes a leaf with the 0x00 prefix and reads its fields', async () => {
    // SHA-256(0x00) is the reference tree's first leaf hash.
    expect(await leafHash(new Uint8Array())).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const leaf = '01' + '0000000000000007' + '00000003' + '000000000000002a' + '0000000a' + '00000000075bcd15' + 'ab'.repeat(32);
    expect(leafFields(leaf)).toEqual({ seasonId: 7, slot: 3, clipId: 42, weight: 10, sequence: 123456789 });
    expect(() => fromHex('xyz')).toThrow();
  });
});

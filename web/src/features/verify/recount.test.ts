import { describe, expect, it } from 'vitest';
import { recount, treeRoot, winnerOf } from './recount';
import { leafHash } from './merkle';
import reference from '../../../../tests/vectors/transparency-dev-merkle/reference-tree.json';

const bytes = (hex: string) => new Uint8Array(hex.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);

describe('recount in the browser', () => {
  it('computes the published roots of the reference tree for every size', async () => {
    const hashes = await Promise.all(reference.leaves.map((l) => leafHash(bytes(l))));
    for (let size = 0; size <= 8; size++) {
      expect(await treeRoot(hashes.slice(0, size))).toBe(reference.roots[size]);
    }
  });

  it('tallies from the leaf bytes and reports a leaf whose published hash is not its own', async () => {
    const leaf = (clip: number, weight: number, seq: number) => '01' + '0000000000000001' + '00000001'
      + clip.toString(16).padStart(16, '0') + weight.toString(16).padStart(8, '0') + seq.toString(16).padStart(16, '0') + '00'.repeat(32);
    const leaves = await Promise.all([leaf(5, 1, 1), leaf(6, 3, 2), leaf(5, 1, 3)].map(async (l, index) => ({
      index, leaf: l, leafHash: await leafHash(bytes(l)), clipId: 0, weight: 0,
    })));
    leaves[2].leafHash = leaves[0].leafHash;
    const r = await recount(leaves);
    expect(r.tally.get(5)).toEqual({ votes: 2, score: 2 });
    expect(r.tally.get(6)).toEqual({ votes: 1, score: 3 });
    expect(r.damaged).toEqual([2]);
  });

  it('applies the winner rule, removed clips excluded', () => {
    expect(winnerOf([
      { clipId: 1, votes: 5, score: 5, submittedAt: 10 },
      { clipId: 2, votes: 3, score: 5, submittedAt: 5 },
      { clipId: 9, votes: 9, score: 9, submittedAt: 1, removed: true },
    ])).toBe(1);
    expect(winnerOf([])).toBeNull();
  });
});

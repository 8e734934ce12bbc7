// A round's recount in the browser: from the published leaves alone, the RFC 9162 root and the
// tally, and the winner rule applied to it (docs/VERIFIABILITY.md), to compare with what the
// round's record publishes.
import { fromHex, leafFields, leafHash } from './merkle';

export interface PublishedLeaf { index: number; leaf: string; leafHash: string; clipId: number; weight: number }
export interface TallyLine { clipId: number; votes: number; score: number; submittedAt: number; removed?: boolean }

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const joined = new Uint8Array(65);
  joined[0] = 1;
  joined.set(left, 1);
  joined.set(right, 33);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

// MTH over leaf hashes, level by level: pairs hashed, an odd last node carried up unchanged,
// which is the same tree as the RFC's split at the largest power of two.
export async function treeRoot(leafHashes: string[]): Promise<string> {
  if (leafHashes.length === 0) return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array())));
  let level = leafHashes.map(fromHex);
  while (level.length > 1) {
    const next: Promise<Uint8Array>[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    const carried = level.length % 2 === 1 ? [level[level.length - 1]] : [];
    level = [...(await Promise.all(next)), ...carried];
  }
  return hex(level[0]);
}

export interface Recount { root: string; tally: Map<number, { votes: number; score: number }>; damaged: number[] }

// Each leaf's hash is recomputed from its bytes and its clip and weight read from them (not from
// the fields beside them); a leaf whose published hash disagrees is reported as damaged.
export async function recount(leaves: PublishedLeaf[]): Promise<Recount> {
  const hashes: string[] = [];
  const tally = new Map<number, { votes: number; score: number }>();
  const damaged: number[] = [];
  for (const l of leaves) {
    const hash = await leafHash(fromHex(l.leaf));
    if (hash !== l.leafHash) damaged.push(l.index);
    hashes.push(hash);
    const { clipId, weight } = leafFields(l.leaf);
    const line = tally.get(clipId) ?? { votes: 0, score: 0 };
    line.votes += 1;
    line.score += weight;
    tally.set(clipId, line);
  }
  return { root: await treeRoot(hashes), tally, damaged };
}

// The winner rule: highest score, then most votes, then submitted first, then the lowest id;
// a clip taken out of the round cannot win.
export function winnerOf(lines: TallyLine[]): number | null {
  const eligible = lines.filter((l) => !l.removed);
  eligible.sort((a, b) => b.score - a.score || b.votes - a.votes || a.submittedAt - b.submittedAt || a.clipId - b.clipId);
  return eligible.length ? eligible[0].clipId : null;
}

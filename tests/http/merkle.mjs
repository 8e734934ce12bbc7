// An RFC 9162 Merkle tree written for the tests from the RFC's text, independent of the server's
// C++ code, so a proof the server hands out is checked by something that does not share its bugs.
import { createHash } from 'node:crypto';

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
export const leafHash = (leaf) => sha256(Buffer.from([0]), leaf);
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);

// MTH(D[n]) of section 2.1.1, over leaf hashes.
export function treeHash(hashes) {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(treeHash(hashes.slice(0, k)), treeHash(hashes.slice(k)));
}

// Section 2.1.3.2.
export function verifyInclusion(index, size, leaf, path, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// Section 2.1.4.2, for 0 < first < second.
export function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first <= 0 || first > second || proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1, sn = second - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr); sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

// docs/VERIFIABILITY.md's leaf: version, season, slot, clip, weight, sequence, voter pseudonym.
export function decodeLeaf(hex) {
  const b = Buffer.from(hex, 'hex');
  if (b.length !== 65 || b[0] !== 1) throw new Error(`not a round leaf: ${hex}`);
  return {
    seasonId: Number(b.readBigUInt64BE(1)), slot: b.readUInt32BE(9), clipId: Number(b.readBigUInt64BE(13)),
    weight: b.readUInt32BE(21), sequence: Number(b.readBigUInt64BE(25)), pseudonym: b.subarray(33).toString('hex'),
  };
}

import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { fromHex, leafHash, verifyInclusion } from './merkle';
import type { Receipt } from './receipts';

type Outcome = { state: 'verified' | 'failed' | 'open' | 'checking'; text: string };

interface Proof { leafIndex: number; treeSize: number; rootHash: string; auditPath: string[] }
interface Round { rootHash: string; treeSize: number; slot: number }

// Checks one receipt in the browser: the leaf hash is recomputed from the kept leaf, the proof
// is fetched, and the path is hashed up to the round's published root (WebCrypto, RFC 9162).
export async function checkReceipt(receipt: Receipt): Promise<Outcome> {
  let hash: string;
  try {
    hash = await leafHash(fromHex(receipt.leaf));
  } catch {
    return { state: 'failed', text: 'Not verified: the kept receipt is damaged' };
  }
  let round: Round;
  try {
    round = await api.get<Round>(`/api/rounds/${receipt.seasonId}/${receipt.slot}`);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'ROUND_NOT_PUBLISHED') return { state: 'open', text: 'The round is still open: check once it closes' };
    return { state: 'failed', text: 'Not verified: the round log could not be fetched' };
  }
  try {
    const proof = await api.get<Proof>(`/api/rounds/${receipt.seasonId}/${receipt.slot}/proof?leaf=${hash}`);
    const ok = proof.rootHash === round.rootHash && proof.treeSize === round.treeSize
      && await verifyInclusion(proof.leafIndex, proof.treeSize, hash, proof.auditPath, round.rootHash);
    return ok
      ? { state: 'verified', text: `Verified: counted in slot ${round.slot}'s published log (vote ${proof.leafIndex + 1} of ${proof.treeSize})` }
      : { state: 'failed', text: 'Not verified: the proof does not lead to the published root' };
  } catch {
    return { state: 'failed', text: 'Not verified: this vote is not in the round\'s published log' };
  }
}

export function VerifyVote({ receipt }: { receipt: Receipt }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <span className="row" style={{ gap: 8, flexWrap: 'wrap' }}>
      <button className="btn btn-small" disabled={outcome?.state === 'checking'}
        onClick={async () => { setOutcome({ state: 'checking', text: 'Checking…' }); setOutcome(await checkReceipt(receipt)); }}>
        Verify my vote
      </button>
      {outcome && outcome.state !== 'checking' && outcome.state !== 'open' && (
        <Link to={`/rounds/${receipt.seasonId}/${receipt.slot}`}>The round's count</Link>
      )}
      {outcome && (
        <span role="status" data-testid="verify-outcome" className={`badge ${outcome.state === 'verified' ? 'badge-done' : outcome.state === 'failed' ? 'badge-rejected' : 'badge-pending'}`}>
          {outcome.text}
        </span>
      )}
    </span>
  );
}

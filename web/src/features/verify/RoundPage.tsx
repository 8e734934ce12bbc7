import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import type { Clip } from '../../api/types';
import { recount, winnerOf, type PublishedLeaf, type TallyLine } from './recount';

interface RoundRecord {
  seasonId: number; slot: number; revision: number; treeSize: number; rootHash: string;
  tally: TallyLine[]; winnerClipId: number | null; winnerAssigned: boolean; publishedAt: string; alarm?: string;
}
interface LeavesPage { leaves: PublishedLeaf[]; nextCursor: number | null }

function ClipName({ id }: { id: number }) {
  const clip = useQuery({ queryKey: ['clip', id], queryFn: () => api.get<{ clip: Clip }>(`/api/clip/${id}`).then((r) => r.clip), retry: false });
  return <Link to={`/clip/${id}`}>{clip.data?.title ?? `Clip ${id}`}</Link>;
}

type Outcome = { ok: boolean; lines: string[] };

// Fetches every published leaf and recounts in this browser: the root, the tally and the winner
// must be what the round's record says.
async function recountRound(record: RoundRecord, onProgress: (n: number) => void): Promise<Outcome> {
  const leaves: PublishedLeaf[] = [];
  for (let cursor: number | null = 0; cursor !== null;) {
    const page: LeavesPage = await api.get<LeavesPage>(`/api/rounds/${record.seasonId}/${record.slot}/leaves?cursor=${cursor}&limit=1000`);
    leaves.push(...page.leaves);
    onProgress(leaves.length);
    cursor = page.nextCursor;
  }
  const result = await recount(leaves);
  const problems: string[] = [];
  if (leaves.length !== record.treeSize) problems.push(`${leaves.length} leaves fetched, ${record.treeSize} published`);
  if (result.damaged.length) problems.push(`${result.damaged.length} leaves do not hash to their published hash`);
  if (result.root !== record.rootHash) problems.push('the root from the leaves is not the published root');
  for (const line of record.tally) {
    const counted = result.tally.get(line.clipId) ?? { votes: 0, score: 0 };
    if (counted.votes !== line.votes || counted.score !== line.score) {
      problems.push(`clip ${line.clipId}: ${counted.votes} votes (score ${counted.score}) in the leaves, ${line.votes} (score ${line.score}) published`);
    }
  }
  const published = new Set(record.tally.map((l) => l.clipId));
  for (const clipId of result.tally.keys()) if (!published.has(clipId)) problems.push(`clip ${clipId} has leaves but no published line`);
  const winner = winnerOf(record.tally);
  if (!record.winnerAssigned && winner !== record.winnerClipId) problems.push(`the winner rule gives clip ${winner}, clip ${record.winnerClipId} was locked`);
  if (problems.length) return { ok: false, lines: problems };
  return {
    ok: true,
    lines: [
      `Recounted ${leaves.length} ${leaves.length === 1 ? 'vote' : 'votes'} in this browser: the root and the tally match what was published.`,
      record.winnerAssigned ? 'The winner was chosen by an admin, as the record says.' : 'The winner rule applied to the tally gives the locked winner.',
    ],
  };
}

// A closed round's public log (docs/VERIFIABILITY.md) and a recount anyone can run.
export function RoundPage() {
  const { seasonId, slot } = useParams();
  const round = useQuery({
    queryKey: ['round', seasonId, slot],
    queryFn: () => api.get<RoundRecord>(`/api/rounds/${seasonId}/${slot}`),
    retry: false,
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (round.error) {
    const open = round.error instanceof ApiError && round.error.code === 'ROUND_NOT_PUBLISHED';
    return <div className="page stack"><h1>Slot {slot}</h1><p className="muted">{open ? 'This round has no published log yet: it is published when the round closes.' : 'This round could not be loaded.'}</p></div>;
  }
  const r = round.data;
  if (!r) return <div className="page"><p className="muted">Loading…</p></div>;
  return (
    <div className="page stack">
      <h1 style={{ margin: 0 }}>Slot {r.slot}: the published count</h1>
      <p className="muted">
        Every vote of this round is a leaf of a Merkle tree (RFC 9162). Anyone can recount the leaves; a voter can check their own vote from their profile.
      </p>
      {r.alarm && <p role="alert" className="badge badge-rejected">{r.alarm}</p>}
      <dl className="glass card round-record">
        <dt>Votes</dt><dd>{r.treeSize}</dd>
        <dt>Root hash</dt><dd><code className="hash">{r.rootHash}</code></dd>
        <dt>Winner</dt><dd>{r.winnerClipId ? <ClipName id={r.winnerClipId} /> : '—'}{r.winnerAssigned && ' (chosen by an admin)'}</dd>
        <dt>Published</dt><dd>{new Date(r.publishedAt).toLocaleString()}{r.revision > 1 && ` · revision ${r.revision}`}</dd>
      </dl>
      <table className="table" aria-label="Tally">
        <thead><tr><th>Clip</th><th>Votes</th><th>Score</th></tr></thead>
        <tbody>
          {r.tally.map((l) => (
            <tr key={l.clipId}><td><ClipName id={l.clipId} />{l.removed && ' (removed)'}</td><td>{l.votes}</td><td>{l.score}</td></tr>
          ))}
        </tbody>
      </table>
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <button className="btn btn-primary" disabled={progress !== null && !outcome}
          onClick={async () => {
            setOutcome(null);
            setProgress(0);
            try {
              setOutcome(await recountRound(r, setProgress));
            } catch {
              setOutcome({ ok: false, lines: ['The leaves could not be fetched.'] });
            }
          }}>
          Recount
        </button>
        {progress !== null && !outcome && <span className="muted" role="status">{progress} of {r.treeSize} leaves fetched…</span>}
      </div>
      {outcome && (
        <div role="status" data-testid="recount-outcome" className={`glass card stack ${outcome.ok ? 'recount-ok' : 'recount-failed'}`}>
          <strong>{outcome.ok ? 'Recount matches' : 'Recount does not match'}</strong>
          {outcome.lines.map((line) => <span key={line}>{line}</span>)}
        </div>
      )}
    </div>
  );
}

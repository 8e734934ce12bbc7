// Verifiable rounds (issue 20): each vote's answer is a receipt; a closed round publishes its
// leaves, root and tally; every receipt's and every leaf's inclusion proof verifies against the
// published root with an RFC 9162 implementation of the test's own (merkle.mjs); a recount from
// the leaves gives the tally and the winner; the season log stays consistent as rounds close.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, Client, adminClient, seasonWithClips } from './helpers.mjs';
import { decodeLeaf, leafHash, treeHash, verifyConsistency, verifyInclusion } from './merkle.mjs';

let server, admin, seasonId, clips;

before(async () => {
  server = await startServer({ args: ['--dev-login', '--rate-admin-sensitive-per-minute', '1000'] });
  admin = await adminClient(server);
  ({ seasonId, clipIds: clips } = await seasonWithClips(server, admin, 3, { slots: 3 }));
});
after(async () => { await server.stop(); });

// One client per voter tag: a voter is their device cookie, kept between calls.
const voters = new Map();
const voter = (tag) => {
  if (!voters.has(tag)) voters.set(tag, new Client(server.url, { userAgent: `rounds-test/${tag}` }));
  return voters.get(tag);
};
const pub = () => new Client(server.url);

// `aimoviez verify` on a receipt written to a file, as a voter who trusts no web page would run it.
function verifyWithCli(receipt) {
  const dir = mkdtempSync(join(tmpdir(), 'aimoviez-receipt-'));
  try {
    writeFileSync(join(dir, 'receipt.json'), JSON.stringify(receipt));
    const run = spawnSync(BIN, ['verify', '--server', server.url, '--receipt', join(dir, 'receipt.json')], { encoding: 'utf8', timeout: 30_000 });
    return { status: run.status, out: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function allLeaves(slot) {
  const leaves = [];
  for (let cursor = 0; cursor !== null;) {
    const page = await pub().get(`/api/rounds/${seasonId}/${slot}/leaves?cursor=${cursor}&limit=2`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    leaves.push(...page.body.leaves);
    cursor = page.body.nextCursor;
  }
  return leaves;
}

test('an open round has no log; a closed one publishes leaves that recount to its tally and winner', async () => {
  // Every accepted vote's answer carries its receipt: the leaf it will be in the round's log.
  const receipts = new Map();
  for (const [tag, clip] of [['a', clips[0]], ['b', clips[0]], ['c', clips[1]], ['d', clips[1]], ['e', clips[0]]]) {
    const cast = await voter(tag).post('/api/vote', { clipId: clip });
    assert.equal(cast.status, 200);
    const { receipt } = cast.body;
    assert.equal(leafHash(Buffer.from(receipt.leaf, 'hex')).toString('hex'), receipt.leafHash);
    assert.deepEqual([receipt.seasonId, receipt.slot], [seasonId, 1]);
    const leaf = decodeLeaf(receipt.leaf);
    assert.deepEqual([leaf.seasonId, leaf.slot, leaf.clipId, leaf.weight], [seasonId, 1, clip, 1]);
    receipts.set(tag, receipt);
  }
  // d changes their mind: a withdrawn vote is no leaf, and the answer says which leaf it is not.
  const withdrawn = await voter('d').del('/api/vote', { clipId: clips[1] });
  assert.equal(withdrawn.status, 200);
  assert.deepEqual(withdrawn.body.withdrawn, { leafHash: receipts.get('d').leafHash, inRoundLog: false });
  assert.equal(withdrawn.body.receipt, undefined);
  const open = await pub().get(`/api/rounds/${seasonId}/1`);
  assert.equal(open.status, 404);
  assert.equal(open.body.code, 'ROUND_NOT_PUBLISHED');

  const closed = await admin.post('/api/admin/advance-slot', {});
  assert.equal(closed.status, 200);
  assert.equal(closed.body.winnerClipId, clips[0]);

  const round = (await pub().get(`/api/rounds/${seasonId}/1`)).body;
  assert.equal(round.treeSize, 4);
  assert.equal(round.winnerClipId, clips[0]);
  assert.equal(round.winnerAssigned, false);
  assert.equal(round.alarm, undefined);
  assert.match(round.rootHash, /^[0-9a-f]{64}$/);

  const leaves = await allLeaves(1);
  assert.equal(leaves.length, 4);
  const decoded = leaves.map((l) => decodeLeaf(l.leaf));
  // Each leaf hash is SHA-256(0x00 || leaf); the tree over them is the published root.
  for (const l of leaves) assert.equal(leafHash(Buffer.from(l.leaf, 'hex')).toString('hex'), l.leafHash);
  const root = treeHash(leaves.map((l) => Buffer.from(l.leafHash, 'hex')));
  assert.equal(root.toString('hex'), round.rootHash);
  // In vote order, all of this round, pseudonyms all different (four voters).
  assert.deepEqual(decoded.map((d) => d.sequence), [...decoded.map((d) => d.sequence)].sort((x, y) => x - y));
  assert.ok(decoded.every((d) => d.seasonId === seasonId && d.slot === 1 && d.weight === 1));
  assert.equal(new Set(decoded.map((d) => d.pseudonym)).size, 4);

  // The recount: per clip, from the leaves alone.
  const recount = new Map();
  for (const d of decoded) recount.set(d.clipId, (recount.get(d.clipId) ?? 0) + d.weight);
  for (const line of round.tally) assert.equal(line.score, recount.get(line.clipId) ?? 0, JSON.stringify(round.tally));
  assert.deepEqual(round.tally.map((l) => [l.clipId, l.votes]), [[clips[0], 3], [clips[1], 1], [clips[2], 0]]);
  assert.equal(round.tally[0].clipId, round.winnerClipId, 'the highest score won');

  // Every leaf's proof leads to the published root; a tampered leaf has no proof and fails.
  for (const l of leaves) {
    const proof = await pub().get(`/api/rounds/${seasonId}/1/proof?leaf=${l.leafHash}`);
    assert.equal(proof.status, 200, JSON.stringify(proof.body));
    assert.equal(proof.body.leafIndex, l.index);
    const path = proof.body.auditPath.map((h) => Buffer.from(h, 'hex'));
    assert.ok(verifyInclusion(proof.body.leafIndex, proof.body.treeSize, Buffer.from(l.leafHash, 'hex'), path, root), `leaf ${l.index}`);
    const tampered = Buffer.from(l.leaf, 'hex');
    tampered[22] ^= 1;  // the weight
    assert.ok(!verifyInclusion(proof.body.leafIndex, proof.body.treeSize, leafHash(tampered), path, root));
    const none = await pub().get(`/api/rounds/${seasonId}/1/proof?leaf=${leafHash(tampered).toString('hex')}`);
    assert.equal(none.status, 404);
    assert.equal(none.body.code, 'LEAF_NOT_FOUND');
  }

  // Each kept receipt is a leaf of the published tree; the withdrawn vote's is not.
  for (const tag of ['a', 'b', 'c', 'e']) {
    const receipt = receipts.get(tag);
    assert.ok(leaves.some((l) => l.leaf === receipt.leaf && l.leafHash === receipt.leafHash), `${tag}'s receipt is a leaf`);
    const proof = (await pub().get(`/api/rounds/${seasonId}/1/proof?leaf=${receipt.leafHash}`)).body;
    assert.ok(verifyInclusion(proof.leafIndex, proof.treeSize, Buffer.from(receipt.leafHash, 'hex'),
      proof.auditPath.map((h) => Buffer.from(h, 'hex')), Buffer.from(round.rootHash, 'hex')), `${tag}'s vote was counted`);
  }
  // The command line says the same, with the RFC's algorithm in the binary, not the page.
  const cli = verifyWithCli(receipts.get('a'));
  assert.equal(cli.status, 0, cli.out);
  assert.match(cli.out, new RegExp(`^verified: vote \\d+ for clip ${clips[0]} \\(weight 1\\) is leaf \\d of 4 in season ${seasonId} slot 1`));
  const forged = { ...receipts.get('a') };
  forged.leaf = forged.leaf.slice(0, 48) + '03' + forged.leaf.slice(50);  // weight 3
  delete forged.leafHash;
  const refused = verifyWithCli(forged);
  assert.equal(refused.status, 1, refused.out);
  assert.match(refused.out, /^NOT verified/);
  assert.equal(verifyWithCli(receipts.get('d')).status, 1, 'the withdrawn vote is not in the log');
  assert.equal(verifyWithCli({ leaf: 'zz' }).status, 1);

  const gone = await pub().get(`/api/rounds/${seasonId}/1/proof?leaf=${receipts.get('d').leafHash}`);
  assert.equal(gone.status, 404);
  assert.ok(!leaves.some((l) => l.leafHash === receipts.get('d').leafHash));
});

test('bad requests are refused with a code', async () => {
  const bad = await pub().get(`/api/rounds/${seasonId}/1/proof?leaf=xyz`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.details.field, 'leaf');
  assert.equal((await pub().get(`/api/rounds/${seasonId}/abc`)).status, 400);
  assert.equal((await pub().get(`/api/seasons/${seasonId}/log?from=0&to=1`)).status, 400);
  assert.equal((await pub().get(`/api/seasons/${seasonId}/log?from=1&to=9`)).status, 400);
  assert.equal((await pub().get(`/api/rounds/999/1`)).status, 404);
});

test('an assigned winner is published as assigned; the season log stays consistent as rounds close', async () => {
  const first = (await pub().get(`/api/seasons/${seasonId}/log`)).body;
  assert.equal(first.treeSize, 1);
  // Round 2: the admin picks the clip with fewer votes.
  const f = await voter('f').post('/api/vote', { clipId: clips[1] });
  assert.equal(f.status, 200);
  const early = verifyWithCli(f.body.receipt);
  assert.equal(early.status, 3, early.out);
  assert.match(early.out, /no published log yet/);
  const slots = (await admin.get('/api/admin/slots')).body.slots;
  const open = slots.find((s) => s.slot_position === 2);
  const assigned = await admin.post(`/api/admin/slots/${open.id}/assign-winner`, { clipId: clips[2] });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  const round2 = (await pub().get(`/api/rounds/${seasonId}/2`)).body;
  assert.equal(round2.winnerClipId, clips[2]);
  assert.equal(round2.winnerAssigned, true);
  assert.equal(round2.alarm, undefined, 'an admin\'s choice is published as such, not as a disagreement');
  assert.equal(round2.seasonLogIndex, 1);
  assert.equal(verifyWithCli(f.body.receipt).status, 0, 'a vote of a round whose winner was assigned is still in its log');

  const log = (await pub().get(`/api/seasons/${seasonId}/log?from=1&to=2`)).body;
  assert.equal(log.treeSize, 2);
  const entryHashes = log.entries.map((e) => leafHash(Buffer.from(e.leaf, 'hex')));
  assert.equal(treeHash(entryHashes).toString('hex'), log.rootHash);
  assert.equal(log.consistency.fromRoot, first.rootHash, 'the earlier log is what was published then');
  assert.ok(verifyConsistency(1, 2, Buffer.from(first.rootHash, 'hex'), Buffer.from(log.rootHash, 'hex'),
    log.consistency.proof.map((h) => Buffer.from(h, 'hex'))));
  // Each entry names its round's published root.
  assert.deepEqual(log.entries.map((e) => [e.slot, e.rootHash]),
    [[1, (await pub().get(`/api/rounds/${seasonId}/1`)).body.rootHash], [2, round2.rootHash]]);
  // No round disagreed with its leaves (the alarm counter alerting would watch).
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^aimoviez_round_log_alarms_total 0$/m);
  // A forged earlier root does not pass.
  assert.ok(!verifyConsistency(1, 2, leafHash(Buffer.from('forged')), Buffer.from(log.rootHash, 'hex'),
    log.consistency.proof.map((h) => Buffer.from(h, 'hex'))));
});

// A person's data (GDPR): the export holds their votes, comments and clips; deleting the account
// withdraws open-round votes through the engine, keeps closed rounds' tallies, keeps others'
// replies, credits a winning clip to "deleted user", and leaves the email and username in no
// file of the data directory after a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, adminClient, countsSettled, seasonWithClips, insertPendingClip, insertVotes, sql } from './helpers.mjs';

let server;
before(async () => { server = await startServer({ args: ['--dev-login'] }); });
after(async () => { await server?.stop(); });

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function roundTallies(seasonId, position) {
  return sql(server.dataDir, `SELECT clip_id, COUNT(*), SUM(vote_weight) FROM votes WHERE season_id = ${seasonId} AND slot_position = ${position} GROUP BY clip_id ORDER BY clip_id`);
}

test('export, then delete: exact counts, surviving replies, and no trace in the files', async () => {
  const admin = await adminClient(server);
  const { seasonId, clipIds: [c1, c2, c3] } = await seasonWithClips(server, admin, 3);
  const dana = new Client(server.url);
  const me = (await dana.login('dana.gdpr@example.com', 'dana_gdpr')).user;
  const bob = new Client(server.url);
  await bob.login('bob.gdpr@example.com', 'bob_gdpr');

  // Dana's clip c1 wins slot 1; she voted for c2 there (a closed round after the advance).
  sql(server.dataDir, `UPDATE tournament_clips SET user_id = ${me.id} WHERE id = ${c1}`);
  assert.equal((await bob.post('/api/vote', { clipId: c1 })).status, 200);
  assert.equal((await dana.post('/api/vote', { clipId: c2 })).status, 200);
  // Rows written beside the engine: only before a round change, which reloads it.
  insertVotes(server.dataDir, c1, 3);
  const slot = (await admin.get('/api/admin/slots')).body.slots.find((s) => s.season_id === seasonId && s.status === 'voting');
  const advanced = await admin.post(`/api/admin/slots/${slot.id}/advance`);
  assert.equal(advanced.body.winnerClipId, c1);
  const closedBefore = roundTallies(seasonId, 1);

  // Slot 2 is open: Dana and Bob vote there; she has a pending upload and comments.
  const v3 = await dana.post('/api/vote', { clipId: c3 });
  assert.equal(v3.status, 200, JSON.stringify(v3.body));
  assert.equal((await bob.post('/api/vote', { clipId: c3 })).status, 200);
  assert.equal((await bob.post('/api/vote', { clipId: c2 })).status, 200);
  // Genre voting opens between seasons; her vote from an earlier one is stored as the API does.
  sql(server.dataDir, `INSERT INTO genre_votes (round, voter_key, genre, created_at, updated_at) VALUES (1, 'user_${me.id}', 'Comedy', 0, 0)`);
  const pending = insertPendingClip(server.dataDir, 'Dana draft', me.id);
  const parent = (await dana.post('/api/comments', { clipId: c2, text: 'dana says hello' })).body.comment;
  const reply = (await bob.post('/api/comments', { clipId: c2, text: 'bob answers', parentCommentId: parent.id })).body.comment;
  await dana.post('/api/comments', { clipId: c3, text: 'nobody answers dana' });
  assert.equal((await dana.patch('/api/comments', { commentId: reply.id, action: 'like' })).status, 200);

  const exported = await dana.raw('GET', '/api/account/export');
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get('content-disposition'), /attachment/);
  const doc = (await exported.json()).tables;
  assert.equal(doc.users[0].email, 'dana.gdpr@example.com');
  assert.equal(doc.votes.length, 2);
  assert.deepEqual(doc.votes.map((v) => v.clip_id), [c2, c3]);
  assert.deepEqual(doc.votes.map((v) => v.slot_position).sort(), [1, 2]);
  assert.deepEqual(doc.comments.map((c) => c.comment_text).sort(), ['dana says hello', 'nobody answers dana']);
  assert.deepEqual(doc.tournament_clips.map((c) => c.id).sort(), [c1, pending].sort());
  assert.ok(doc.tournament_clips.every((c) => 'video_url' in c));
  assert.equal(doc.comment_likes.length, 1);
  assert.equal(doc.genre_votes.length, 1);
  assert.equal(doc.sessions.length, 1);
  assert.ok(!('token_hash' in doc.sessions[0]), 'session secrets are not exported');
  assert.equal((await new Client(server.url).get('/api/account/export')).status, 401);

  await countsSettled(server);  // votes through both nodes of the cluster pass
  const c2Before = (await bob.get(`/api/clip/${c2}`)).body.clip.vote_count;
  const c3Before = (await bob.get(`/api/clip/${c3}`)).body.clip.vote_count;
  assert.equal(c3Before, 2, "Dana's and Bob's votes");
  const wrong = await dana.call('DELETE', '/api/account/delete', { confirm: 'delete my account' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.code, 'INVALID_CONFIRMATION');
  const deleted = await dana.call('DELETE', '/api/account/delete', { confirm: 'DELETE MY ACCOUNT' });
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body) + server.stderr().slice(-2000));
  assert.equal(deleted.body.votesWithdrawn, 1);
  assert.equal((await dana.get('/api/auth/session')).body.authenticated, false);

  // Open round: Dana's vote is withdrawn, Bob's stays. Closed round: tallies unchanged.
  await countsSettled(server);
  assert.equal((await bob.get(`/api/clip/${c3}`)).body.clip.vote_count, c3Before - 1);
  assert.equal((await bob.get(`/api/clip/${c2}`)).body.clip.vote_count, c2Before);
  assert.equal(roundTallies(seasonId, 1), closedBefore);
  // The winner stays in the story, credited to nobody; the draft is gone.
  const winner = (await bob.get(`/api/clip/${c1}`)).body.clip;
  assert.equal(winner.status, 'locked');
  assert.equal(winner.username, 'deleted user');
  assert.equal((await bob.get(`/api/clip/${pending}`)).status, 404);
  // Bob's reply survives under an authorless placeholder; Dana's lone comment is gone.
  const thread = (await bob.get(`/api/comments?clipId=${c2}`)).body.comments;
  assert.equal(thread.length, 1);
  assert.equal(thread[0].text, '');
  assert.equal(thread[0].user.username, 'deleted user');
  assert.deepEqual(thread[0].replies.map((r) => r.text), ['bob answers']);
  assert.equal(thread[0].replies[0].likesCount, 0);
  assert.deepEqual((await bob.get(`/api/comments?clipId=${c3}`)).body.comments, []);

  // No file of the data directory holds her email or username: at once (the write-ahead log
  // kept the old pages until the erasure truncated it), and after a restart.
  const noTrace = (when) => {
    for (const file of filesUnder(server.dataDir)) {
      const bytes = readFileSync(file);
      for (const secret of ['dana.gdpr@example.com', 'dana_gdpr']) {
        assert.equal(bytes.indexOf(secret), -1, `${secret} found in ${file} ${when}`);
      }
    }
  };
  noTrace('right after the deletion');
  await server.stop({ keepData: true });
  server = await startServer({ dataDir: server.dataDir, args: ['--dev-login'] });
  noTrace('after a restart');
  // Counts are the same after the engine rebuilt them from storage.
  const after = new Client(server.url);
  assert.equal((await after.get(`/api/clip/${c3}`)).body.clip.vote_count, c3Before - 1);
  assert.equal((await after.get(`/api/clip/${c2}`)).body.clip.vote_count, c2Before);
});

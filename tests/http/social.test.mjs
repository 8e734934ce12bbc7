// Follows, blocks, public profiles, comment and reply notifications and notification
// preferences through the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips, insertPendingClip, signedInClient } from './helpers.mjs';

let server, admin, ana, ben, cy, clipOfBen;


async function types(client) {
  return (await client.get('/api/notifications?limit=50')).body.notifications.map((n) => n.type);
}

before(async () => {
  server = await startServer({ args: ['--dev-login'] });
  admin = await adminClient(server);
  await seasonWithClips(server, admin, 1);
  ana = await signedInClient(server, 'ana@example.com', 'ana');
  ben = await signedInClient(server, 'ben@example.com', 'ben');
  cy = await signedInClient(server, 'cy@example.com', 'cyd');
  clipOfBen = insertPendingClip(server.dataDir, 'Ben at sea', ben.user.id);
  assert.equal((await admin.post(`/api/admin/clips/${clipOfBen}/approve`)).status, 200);
  insertPendingClip(server.dataDir, 'Ben unreviewed', ben.user.id);
});

after(async () => { await server?.stop(); });

test('following notifies once; counts, lists and the public profile follow along', async () => {
  let r = await ana.post('/api/user/follow', { userId: ben.user.id, follow: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([r.body.following, r.body.followers], [true, 1]);
  const note = (await ben.get('/api/notifications')).body.notifications.find((n) => n.type === 'new_follower');
  assert.equal(note.title, '@ana follows you');
  assert.equal(note.link, '/u/ana');

  // Unfollow and follow again: counted once, notified once.
  r = await ana.post('/api/user/follow', { userId: ben.user.id, follow: false });
  assert.deepEqual([r.body.following, r.body.followers], [false, 0]);
  r = await ana.post('/api/user/follow', { userId: ben.user.id });
  assert.equal(r.body.followers, 1);
  assert.equal((await types(ben)).filter((t) => t === 'new_follower').length, 1);

  const seenByAna = (await ana.get('/api/users/ben')).body;
  assert.equal(seenByAna.followers, 1);
  assert.equal(seenByAna.isFollowing, true);
  assert.equal(seenByAna.isMe, false);
  assert.deepEqual(seenByAna.clips.map((c) => c.title), ['Ben at sea'], 'pending clips stay private');
  assert.equal(seenByAna.user.email, undefined);
  const anonymous = new Client(server.url);
  const seenByAnyone = await anonymous.get('/api/users/ben');
  assert.equal(seenByAnyone.status, 200);
  assert.equal(seenByAnyone.body.isFollowing, false);
  assert.equal((await anonymous.get('/api/users/nobody_here')).status, 404);
  assert.equal((await ana.get('/api/users/ana')).body.following, 1);

  await cy.post('/api/user/follow', { userId: ben.user.id });
  await admin.post('/api/user/follow', { userId: ben.user.id });
  const first = await anonymous.get('/api/users/ben/followers?limit=2');
  assert.equal(first.body.users.length, 2);
  assert.equal(first.body.users[0].user.username, 'site_admin', 'newest first');
  const rest = await anonymous.get(`/api/users/ben/followers?limit=2&cursor=${first.body.nextCursor}`);
  assert.deepEqual(rest.body.users.map((u) => u.user.username), ['ana']);
  assert.equal(rest.body.nextCursor, null);
  assert.deepEqual((await anonymous.get('/api/users/ana/following')).body.users.map((u) => u.user.username), ['ben']);
});

test('follow refusals: yourself, nobody, anonymous, no CSRF token', async () => {
  let r = await ana.post('/api/user/follow', { userId: ana.user.id });
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'CANNOT_FOLLOW_SELF');
  r = await ana.post('/api/user/follow', { userId: 999999 });
  assert.equal(r.status, 404);
  r = await ana.post('/api/user/follow', { userId: 'x' });
  assert.equal(r.status, 400);
  const anonymous = new Client(server.url);
  assert.equal((await anonymous.post('/api/user/follow', { userId: ben.user.id })).status, 401);
  assert.equal((await ana.raw('POST', '/api/user/follow', { body: { userId: ben.user.id } })).status, 403);
  assert.equal((await ana.get('/api/users/ana/followers?cursor=zz')).status, 400);
});

test('comments notify the creator and replies the author; a block hides and silences', async () => {
  let r = await cy.post('/api/comments', { clipId: clipOfBen, text: 'Lovely light' });
  assert.equal(r.status, 201);
  const cysComment = r.body.comment.id;
  const comment = (await ben.get('/api/notifications')).body.notifications.find((n) => n.type === 'comment');
  assert.equal(comment.title, '@cyd commented on \u201cBen at sea\u201d');
  assert.equal(comment.body, 'Lovely light');
  assert.equal(comment.link, `/dashboard?clip=${clipOfBen}&comments=1`);
  r = await ben.post('/api/comments', { clipId: clipOfBen, text: 'Thanks!', parentCommentId: cysComment });
  assert.equal(r.status, 201);
  assert.ok((await types(cy)).includes('reply'));
  assert.ok(!(await types(ben)).includes('reply'), 'no notification for one\'s own reply');

  // Ben blocks Ana: her follow ends, she cannot follow again, her comments vanish for him and
  // notify him no more; everyone else still sees them.
  r = await ben.post('/api/user/block', { userId: ana.user.id, block: true });
  assert.equal(r.status, 200);
  assert.equal(r.body.blocked, true);
  assert.equal((await ana.get('/api/users/ben')).body.isFollowing, false);
  r = await ana.post('/api/user/follow', { userId: ben.user.id });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'BLOCKED');
  r = await ben.post('/api/user/follow', { userId: ana.user.id });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'UNBLOCK_FIRST');
  // Counted by type: the progression and broadcast passes (every second) may add XP, badge or
  // round notifications for Ben at any moment, and those are not Ana's doing.
  const fromComments = async () => (await types(ben)).filter((t) => t === 'comment' || t === 'reply').length;
  const before = await fromComments();
  r = await ana.post('/api/comments', { clipId: clipOfBen, text: 'from ana' });
  assert.equal(r.status, 201);
  await ana.post('/api/comments', { clipId: clipOfBen, text: 'reply from ana', parentCommentId: cysComment });
  assert.equal(await fromComments(), before, 'a blocked person notifies nothing');
  const texts = (list) => list.flatMap((c) => [c.text, ...c.replies.map((x) => x.text)]);
  const forBen = texts((await ben.get(`/api/comments?clipId=${clipOfBen}`)).body.comments);
  assert.ok(!forBen.includes('from ana') && !forBen.includes('reply from ana'));
  assert.ok(forBen.includes('Lovely light'));
  const forCy = texts((await cy.get(`/api/comments?clipId=${clipOfBen}`)).body.comments);
  assert.ok(forCy.includes('from ana') && forCy.includes('reply from ana'));
  assert.deepEqual((await ben.get('/api/user/blocked')).body.blocked.map((b) => b.user.username), ['ana']);

  r = await ben.post('/api/user/block', { userId: ana.user.id, block: false });
  assert.equal(r.body.blocked, false);
  assert.ok(texts((await ben.get(`/api/comments?clipId=${clipOfBen}`)).body.comments).includes('from ana'));
  r = await ben.post('/api/user/block', { userId: ben.user.id });
  assert.equal(r.body.code, 'CANNOT_BLOCK_SELF');
});

test('notification preferences turn a type off and back on', async () => {
  let r = await ben.get('/api/notifications/preferences');
  assert.equal(r.status, 200);
  assert.equal(Object.keys(r.body.preferences).length, 11);
  assert.equal(r.body.preferences.comment, true);
  r = await ben.call('PUT', '/api/notifications/preferences', { preferences: { comment: false } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.preferences.comment, false);
  // Counted by type: the approval of Ben's clip may still be earning him XP and badge
  // notifications meanwhile.
  const comments = async () => (await types(ben)).filter((t) => t === 'comment').length;
  const before = await comments();
  await cy.post('/api/comments', { clipId: clipOfBen, text: 'muted one' });
  assert.equal(await comments(), before);
  await ben.call('PUT', '/api/notifications/preferences', { preferences: { comment: true } });
  await cy.post('/api/comments', { clipId: clipOfBen, text: 'heard one' });
  assert.equal(await comments(), before + 1);

  for (const body of [{ preferences: { nonsense: true } }, { preferences: { comment: 'no' } }, { preferences: [] }, {}]) {
    r = await ben.call('PUT', '/api/notifications/preferences', body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }
  r = await ben.call('PUT', '/api/notifications/preferences', { preferences: { nonsense: true } });
  assert.equal(r.body.code, 'UNKNOWN_NOTIFICATION_TYPE');
});

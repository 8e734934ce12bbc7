// Comments through HTTP: every rule of spec section 6.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips } from './helpers.mjs';

let server, admin, clips, alice, bob;
before(async () => {
  server = await startServer({ args: ['--dev-login'] });
  admin = await adminClient(server);
  ({ clipIds: clips } = await seasonWithClips(server, admin, 3));
  alice = new Client(server.url);
  await alice.login('alice@example.com', 'alice');
  bob = new Client(server.url);
  await bob.login('bob@example.com', 'bob_b');
});
after(async () => { await server.stop(); });

test('posting needs a session; text is sanitised and limited to 500 characters', async () => {
  const anon = new Client(server.url);
  assert.equal((await anon.post('/api/comments', { clipId: clips[0], text: 'hi' })).status, 401);
  const r = await alice.post('/api/comments', { clipId: clips[0], text: '  <script>alert(1)</script>Great <b>shot</b>\u0007!  ' });
  assert.equal(r.status, 201);
  assert.equal(r.body.comment.text, 'alert(1)Great shot!');
  assert.equal(r.body.comment.user.username, 'alice');
  const long = await alice.post('/api/comments', { clipId: clips[0], text: 'x'.repeat(501) });
  assert.equal(long.status, 400);
  assert.equal(long.body.code, 'COMMENT_TOO_LONG');
  assert.equal((await alice.post('/api/comments', { clipId: clips[0], text: 'é'.repeat(500) })).status, 201);
  const empty = await alice.post('/api/comments', { clipId: clips[0], text: '<i></i>  ' });
  assert.equal(empty.body.code, 'EMPTY_COMMENT');
  assert.equal((await alice.post('/api/comments', { clipId: 999999, text: 'hi' })).status, 404);
});

test('one level of replies; replying to a reply is refused', async () => {
  const parent = (await alice.post('/api/comments', { clipId: clips[1], text: 'parent' })).body.comment;
  const reply = await bob.post('/api/comments', { clipId: clips[1], text: '@alice reply', parentCommentId: parent.id });
  assert.equal(reply.status, 201);
  const nested = await alice.post('/api/comments', { clipId: clips[1], text: 'nested', parentCommentId: reply.body.comment.id });
  assert.equal(nested.status, 400);
  assert.equal(nested.body.code, 'NESTING_NOT_ALLOWED');
  const wrongClip = await alice.post('/api/comments', { clipId: clips[2], text: 'x', parentCommentId: parent.id });
  assert.equal(wrongClip.status, 404);
  const list = await new Client(server.url).get(`/api/comments?clipId=${clips[1]}`);
  assert.equal(list.body.comments.length, 1);
  assert.deepEqual(list.body.comments[0].replies.map((r) => r.text), ['@alice reply']);
});

test('likes are one per user and counts are exact; only the author or an admin deletes', async () => {
  const c = (await alice.post('/api/comments', { clipId: clips[2], text: 'like me' })).body.comment;
  const likes = await Promise.all([bob, bob, bob, alice].map((u) => u.patch('/api/comments', { commentId: c.id, action: 'like' })));
  assert.ok(likes.every((r) => r.status === 200));
  const view = await bob.get(`/api/comments?clipId=${clips[2]}`);
  const shown = view.body.comments.find((x) => x.id === c.id);
  assert.equal(shown.likesCount, 2);
  assert.equal(shown.likedByMe, true);
  const unlike = await bob.patch('/api/comments', { commentId: c.id, action: 'unlike' });
  assert.equal(unlike.body.likesCount, 1);
  assert.equal((await bob.patch('/api/comments', { commentId: c.id, action: 'love' })).status, 400);

  const forbidden = await bob.del('/api/comments', { commentId: c.id });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.code, 'FORBIDDEN');
  assert.equal((await alice.del('/api/comments', { commentId: c.id })).status, 200);
  assert.equal((await alice.del('/api/comments', { commentId: c.id })).status, 404);
  const other = (await bob.post('/api/comments', { clipId: clips[2], text: 'moderate me' })).body.comment;
  assert.equal((await admin.del('/api/comments', { commentId: other.id })).status, 200);
  const after = await new Client(server.url).get(`/api/comments?clipId=${clips[2]}`);
  assert.ok(!after.body.comments.some((x) => x.id === c.id || x.id === other.id), 'soft-deleted comments are hidden');
});

test('pages of 20, newest or top, with a cursor; counts reach the feed and the clip', async () => {
  const clipId = clips[0];
  const writer = new Client(server.url);
  await writer.login('writer@example.com', 'writer');
  const writer2 = new Client(server.url);
  await writer2.login('writer2@example.com', 'writer_two');
  for (let i = 0; i < 10; ++i) await writer2.post('/api/comments', { clipId, text: `early ${i}` });
  for (let i = 0; i < 13; ++i) await writer.post('/api/comments', { clipId, text: `note ${i}` });
  const reader = new Client(server.url);
  const first = await reader.get(`/api/comments?clipId=${clipId}&sort=newest`);
  assert.equal(first.body.comments.length, 20);
  assert.ok(first.body.nextCursor);
  const total = 2 + 10 + 13;  // two of alice's from the first test, 23 here
  const pages = [first.body.comments];
  let cursor = first.body.nextCursor;
  while (cursor) {
    const next = await reader.get(`/api/comments?clipId=${clipId}&sort=newest&cursor=${encodeURIComponent(cursor)}`);
    pages.push(next.body.comments);
    cursor = next.body.nextCursor;
  }
  const all = pages.flat();
  assert.equal(all.length, total);
  assert.equal(new Set(all.map((c) => c.id)).size, total, 'no comment repeats across pages');
  assert.equal(all[0].text, 'note 12');
  const top = await reader.get(`/api/comments?clipId=${clipId}&sort=top`);
  assert.equal(top.status, 200);
  assert.equal((await reader.get(`/api/comments?clipId=${clipId}&sort=best`)).status, 400);
  const clip = await reader.get(`/api/clip/${clipId}`);
  assert.equal(clip.body.clip.comment_count, total);
  const feed = await reader.get('/api/vote?limit=20');
  assert.equal(feed.body.clips.find((c) => c.id === clipId).comment_count, total);
  // Every clip of the page carries its own count (the page holds clips with and without).
  assert.ok(feed.body.clips.length > 1);
  for (const c of feed.body.clips) {
    const one = await reader.get(`/api/clip/${c.id}`);
    assert.equal(c.comment_count, one.body.clip.comment_count, `clip ${c.id}`);
  }
});

test('15 comments per minute per user', async () => {
  const hasty = new Client(server.url);
  await hasty.login('hasty@example.com', 'hasty');
  for (let i = 0; i < 15; ++i) assert.equal((await hasty.post('/api/comments', { clipId: clips[2], text: `c${i}` })).status, 201);
  const limited = await hasty.post('/api/comments', { clipId: clips[2], text: 'one more' });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 'RATE_LIMITED');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
});

test('admin moderation: queue, status, bulk delete, audited; others refused', async () => {
  const c = (await bob.post('/api/comments', { clipId: clips[1], text: 'questionable' })).body.comment;
  assert.equal((await bob.get('/api/admin/comments')).status, 403);
  const flagged = await admin.post(`/api/admin/comments/${c.id}/moderate`, { status: 'flagged' });
  assert.equal(flagged.body.comment.status, 'flagged');
  const queue = await admin.get('/api/admin/comments?status=flagged');
  assert.ok(queue.body.comments.some((x) => x.id === c.id));
  // Flagged and pending comments wait for moderation out of public view.
  const listed = async () => (await new Client(server.url).get(`/api/comments?clipId=${clips[1]}`)).body.comments.some((x) => x.id === c.id);
  assert.equal(await listed(), false, 'a flagged comment is listed');
  assert.equal((await admin.post(`/api/admin/comments/${c.id}/moderate`, { status: 'pending' })).status, 200);
  assert.equal(await listed(), false, 'a pending comment is listed');
  assert.equal((await admin.post(`/api/admin/comments/${c.id}/moderate`, { status: 'approved' })).status, 200);
  assert.equal(await listed(), true, 'an approved comment is not listed');
  const rejected = await admin.post(`/api/admin/comments/${c.id}/moderate`, { status: 'rejected' });
  assert.equal(rejected.status, 200);
  const list = await new Client(server.url).get(`/api/comments?clipId=${clips[1]}`);
  assert.ok(!list.body.comments.some((x) => x.id === c.id), 'rejected comments are hidden');
  const d = (await bob.post('/api/comments', { clipId: clips[1], text: 'spam 1' })).body.comment;
  const bulk = await admin.post('/api/admin/comments/bulk-delete', { commentIds: [d.id, 999999] });
  assert.equal(bulk.body.succeeded, 1);
  const audit = (await admin.get('/api/admin/audit-logs?limit=5')).body.entries.map((e) => e.action);
  assert.ok(audit.includes('moderate_comment') && audit.includes('delete_comment'));
});

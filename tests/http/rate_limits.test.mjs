// Spec 21.5's request budgets at their defaults, as configuration, with the standard headers:
// read 120/min and api 60/min per signed-in user or else per address, comment 15/min for every
// comment action, admin-sensitive 5/min; probes are never budgeted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips } from './helpers.mjs';

let server, admin, clips;
before(async () => {
  server = await startServer({ args: ['--dev-login'], liftRates: false });
  admin = await adminClient(server);
  ({ clipIds: clips } = await seasonWithClips(server, admin, 2));
});
after(async () => { await server.stop(); });

function assertRefused(r, limit) {
  assert.equal(r.status, 429);
  assert.equal(r.body.code, 'RATE_LIMITED');
  assert.equal(r.headers.get('x-ratelimit-limit'), String(limit));
  assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
  assert.ok(r.body.details.retryAfterSeconds >= 1);
}

test('reads: 120 a minute per address, each answer saying what is left', async () => {
  const visitor = new Client(server.url);
  const first = await visitor.get('/api/story');
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-ratelimit-limit'), '120');
  const left = Number(first.headers.get('x-ratelimit-remaining'));
  assert.ok(left < 120);
  assert.ok(Number(first.headers.get('x-ratelimit-reset')) * 1000 > Date.now());
  let last;
  for (let i = 0; i <= left; ++i) last = await visitor.get(`/api/clip/${clips[0]}`);
  assertRefused(last, 120);
  // Another visitor at the same address shares it; probes and the health check do not count.
  assertRefused(await new Client(server.url).get('/api/story'), 120);
  for (const path of ['/healthz', '/readyz', '/api/health', '/metrics']) {
    const r = await visitor.get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers.get('x-ratelimit-limit'), null, path);
  }
  // A signed-in person is counted as themselves, not by the address they share.
  const member = new Client(server.url);
  await member.login('reader@example.com', 'steady_reader');
  const own = await member.get('/api/story');
  assert.equal(own.status, 200);
  assert.equal(own.headers.get('x-ratelimit-limit'), '120');
});

test('other API calls: 60 a minute per user', async () => {
  const busy = new Client(server.url);
  await busy.login('busy@example.com', 'busy_bee');
  let last;
  for (let i = 0; i < 61; ++i) last = await busy.patch('/api/user/profile', { avatarUrl: 'avatar:fox' });
  assertRefused(last, 60);
});

test('comments: 15 a minute for every comment action, likes included', async () => {
  const fan = new Client(server.url);
  await fan.login('fan@example.com', 'eager_fan');
  const posted = await fan.post('/api/comments', { clipId: clips[1], text: 'first!' });
  assert.equal(posted.status, 201);
  assert.equal(posted.headers.get('x-ratelimit-limit'), '15');
  const id = posted.body.comment.id;
  const answers = [];
  for (let i = 0; i < 15; ++i) {
    answers.push(await fan.patch('/api/comments', { commentId: id, action: i % 2 ? 'unlike' : 'like' }));
  }
  assert.deepEqual(answers.slice(0, 14).map((r) => r.status), Array(14).fill(200));
  assertRefused(answers[14], 15);
  assertRefused(await fan.del('/api/comments', { commentId: id }), 15);
});

test('sensitive admin operations: 5 a minute per admin', async () => {
  const target = new Client(server.url);
  const { user } = await target.login('target@example.com', 'some_target');
  const answers = [];
  for (let i = 0; i < 6; ++i) answers.push(await admin.patch(`/api/admin/users/${user.id}`, { is_banned: i % 2 === 0 }));
  assert.deepEqual(answers.slice(0, 5).map((r) => r.status), Array(5).fill(200));
  assertRefused(answers[5], 5);
  // Ordinary admin reads are not sensitive.
  assert.equal((await admin.get('/api/admin/users')).status, 200);
});

// What a cluster's nodes share through Redis (redis_url): the request budgets of spec 21.5 are
// one budget across nodes; with Redis away they fail closed (503 LIMITS_UNAVAILABLE) for every
// budgeted call but reads, which each node keeps counting on its own; and a live update from
// one node reaches the WebSocket clients of another. Each node here has its own SQLite records
// (one PostgreSQL database still takes one serving node), so the two are seeded alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips, openLive, voteAsNewVoter, eventually, NO_NETWORK_BUDGETS } from './helpers.mjs';
import { startRedis } from './redis_server.mjs';

let redis, nodeA, nodeB, clipIds;
before(async () => {
  redis = await startRedis();
  const args = ['--dev-login', '--redis-url', redis.url, '--rate-read-per-minute', '6',
    '--rate-api-per-minute', '1000000', ...NO_NETWORK_BUDGETS];
  nodeA = await startServer({ args });
  nodeB = await startServer({ args });
  for (const node of [nodeA, nodeB]) {
    const admin = await adminClient(node);
    ({ clipIds } = await seasonWithClips(node, admin, 3));
  }
});
after(async () => {
  await nodeA?.stop();
  await nodeB?.stop();
  await redis?.dispose();
});

test('a client has one read budget across both nodes', async () => {
  const visitor = (node) => new Client(node.url, { userAgent: 'budget-visitor' });
  const remaining = [];
  for (let i = 0; i < 6; ++i) {
    const r = await visitor(i % 2 ? nodeB : nodeA).get('/api/story');
    assert.equal(r.status, 200, `read ${i}`);
    remaining.push(Number(r.headers.get('x-ratelimit-remaining')));
  }
  assert.deepEqual(remaining, [5, 4, 3, 2, 1, 0]);
  for (const node of [nodeA, nodeB]) {
    const refused = await visitor(node).get('/api/story');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'RATE_LIMITED');
  }
});

test('a vote on node A reaches a live client of node B as a tally update', async () => {
  const live = await openLive(nodeB);
  await live.subscribe('tallies');
  const voted = await voteAsNewVoter(nodeA, clipIds[1], 'relayed');
  assert.equal(voted.status, 200, JSON.stringify(voted.body));
  const tally = await live.next((m) => m.type === 'TallyUpdated' &&
    m.clips.some((c) => c.clipId === clipIds[1] && c.voteCount === 1));
  assert.equal(tally.slotPosition, 1);
  live.close();
});

test('with Redis away, budgeted calls fail closed and reads go on; both recover when it returns', async () => {
  await redis.stop();
  try {
    const member = new Client(nodeA.url);
    await member.login('redis-outage@example.com', 'redis_outage');
    const refused = await member.patch('/api/user/profile', { avatarUrl: 'avatar:fox' });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.code, 'LIMITS_UNAVAILABLE');
    // Reads are counted by the node itself meanwhile: the site stays readable.
    const read = await new Client(nodeB.url, { userAgent: 'outage-reader' }).get('/api/story');
    assert.equal(read.status, 200);
    assert.ok(Number(read.headers.get('x-ratelimit-limit')) === 6);
  } finally {
    await redis.start();
  }
  const member = new Client(nodeA.url);
  await member.login('redis-back@example.com', 'redis_back');
  const accepted = await member.patch('/api/user/profile', { avatarUrl: 'avatar:owl' });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  // The live relay subscribes again by itself.
  const live = await openLive(nodeB);
  await live.subscribe('tallies');
  await eventually(async () => {
    const r = await voteAsNewVoter(nodeA, clipIds[2], `after-outage-${Date.now()}`);
    assert.equal(r.status, 200);
    return live.next((m) => m.type === 'TallyUpdated' && m.clips.some((c) => c.clipId === clipIds[2]), 500)
      .catch(() => null);
  }, 'a tally relayed after Redis came back');
  live.close();
});

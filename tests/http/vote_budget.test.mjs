// Vote stuffing from one place: new User-Agents or new device cookies are free to make, a
// network is not. What one IPv4 address or IPv6 /64 adds to one clip in a day is bounded; past
// it the voter is asked to sign in, never silently dropped.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips, storedVotes, countsSettled } from './helpers.mjs';

// The per-minute limits are raised so that only the daily network budgets (defaults: 20 per
// clip, 5 of them without the signed cookie) are under test.
// The admin-sensitive limit (5 a minute) is raised for the invalidation test's refusals.
const ARGS = ['--dev-login', '--vote-rate-per-minute', '1000', '--vote-ip-rate-per-minute', '100000',
  '--rate-admin-sensitive-per-minute', '100'];

async function device(server, name, headers = {}) {
  const c = new Client(server.url, { userAgent: `budget-${name}` });
  Object.assign(c.defaultHeaders, headers);
  await c.refreshCsrf();
  return c;
}

describe('network budgets with the defaults', () => {
  let server, admin, clips;
  before(async () => {
    server = await startServer({ args: ARGS });
    admin = await adminClient(server);
    ({ clipIds: clips } = await seasonWithClips(server, admin, 3));
  });
  after(async () => { await server.stop(); });

  test('30 User-Agents from one IP, each with its own signed device, add 20 votes to one clip', async () => {
    const answers = [];
    for (let i = 0; i < 30; ++i) {
      const voter = await device(server, `ua-${i}`);
      assert.match(voter.cookies.get('aimoviez_device'), /^[A-Za-z0-9_-]{24}\.[0-9a-f]{32}$/);
      answers.push(await voter.post('/api/vote', { clipId: clips[0] }));
    }
    assert.equal(answers.filter((r) => r.status === 200).length, 20);
    const refused = answers.slice(20);
    for (const r of refused) {
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'AUTH_REQUIRED');
      assert.equal(r.body.details.reason, 'NETWORK_CLIP_BUDGET');
      assert.equal(r.body.details.limit, 20);
      assert.match(r.body.error, /sign in/i);
    }
    assert.equal(storedVotes(server.dataDir, clips[0]), 20);
    // Signing in is the way on: a signed-in voter from the same address is counted.
    const member = new Client(server.url);
    await member.login('member@example.com', 'budget_member');
    const signedIn = await member.post('/api/vote', { clipId: clips[0] });
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.body.voteCount, 21);
    // Other clips still take this network's anonymous votes.
    assert.equal((await (await device(server, 'other-clip')).post('/api/vote', { clipId: clips[1] })).status, 200);
  });

  test('a device cookie the server did not sign counts as a fingerprint, on a budget of 5', async () => {
    const answers = [];
    for (let i = 0; i < 8; ++i) {
      const voter = await device(server, `forged-${i}`);
      const id = voter.cookies.get('aimoviez_device').split('.')[0];
      voter.cookies.set('aimoviez_device', `${id}.${'0'.repeat(32)}`);  // the CSRF token still binds to the id
      answers.push(await voter.post('/api/vote', { clipId: clips[2] }));
    }
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 401, 401, 401]);
    assert.equal(answers[5].body.details.reason, 'UNVERIFIED_DEVICE_BUDGET');
    // A browser that keeps the signed cookie still has the rest of the clip's budget.
    assert.equal((await (await device(server, 'kept-cookie')).post('/api/vote', { clipId: clips[2] })).status, 200);
    // And asking for a CSRF token again replaces the forged cookie with a signed one.
    const forger = await device(server, 'forged-again');
    forger.cookies.set('aimoviez_device', `${forger.cookies.get('aimoviez_device').split('.')[0]}.nope`);
    await forger.refreshCsrf();
    assert.match(forger.cookies.get('aimoviez_device'), /\.[0-9a-f]{32}$/);
  });

  test('suspicious votes surface in the admin review, grouped by clip and network', async () => {
    const review = await admin.get('/api/admin/flagged-votes');
    assert.equal(review.status, 200);
    const byReason = (clip, reason) => review.body.groups.filter((g) => g.clipId === clip && g.reasons.includes(reason))
      .reduce((n, g) => n + g.votes, 0);
    assert.equal(byReason(clips[2], 'unverified_device'), 5);
    // Past half the clip's budget (10 of 20) a network's votes are flagged as busy.
    assert.equal(byReason(clips[0], 'busy_network'), 10);
    const group = review.body.groups.find((g) => g.clipId === clips[0]);
    assert.match(group.network, /^[0-9a-f]{16}$/);  // a keyed tag, never the address
    assert.ok(!JSON.stringify(review.body).includes('127.0.0.1'));
    assert.equal((await new Client(server.url).get('/api/admin/flagged-votes')).status, 401);
  });

  test('an admin invalidates a flagged group through the engine: the count drops by exactly its votes, audited', async () => {
    const review = (await admin.get('/api/admin/flagged-votes')).body;
    const group = review.groups.find((g) => g.clipId === clips[2] && g.reasons.includes('unverified_device'));
    assert.ok(group, JSON.stringify(review.groups));
    await countsSettled(server);
    const before = (await admin.get(`/api/clip/${clips[2]}`)).body.clip.vote_count;
    const body = { clipId: group.clipId, network: group.network, reasons: group.reasons };

    // Bad input is refused with the field named; only an admin may ask.
    for (const [bad, field] of [[{ ...body, network: 'zz' }, 'network'], [{ ...body, reasons: [] }, 'reasons'],
      [{ ...body, reasons: 'rapid' }, 'reasons'], [{ ...body, clipId: -1 }, 'clipId']]) {
      const r = await admin.post('/api/admin/flagged-votes/invalidate', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.details.field, field);
    }
    const member = new Client(server.url);
    await member.login('flag-member@example.com', 'flag_member');
    assert.equal((await member.post('/api/admin/flagged-votes/invalidate', body)).status, 403);

    const r = await admin.post('/api/admin/flagged-votes/invalidate', body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.invalidated, group.votes);
    assert.equal(r.body.failed, 0);
    assert.equal(r.body.voteCount, before - group.votes);
    assert.equal(r.body.more, false);
    await countsSettled(server);  // in cluster mode the read may reach the other node
    assert.equal((await admin.get(`/api/clip/${clips[2]}`)).body.clip.vote_count, before - group.votes);
    assert.equal(storedVotes(server.dataDir, clips[2]), before - group.votes, 'the stored rows agree');
    const after = (await admin.get('/api/admin/flagged-votes')).body;
    assert.ok(!after.groups.some((g) => g.clipId === clips[2] && g.network === group.network
      && g.reasons.join() === group.reasons.join()), 'the group is gone from the review');
    const again = await admin.post('/api/admin/flagged-votes/invalidate', body);
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'NO_FLAGGED_VOTES');
    const audit = (await admin.get('/api/admin/audit-logs?limit=5')).body.entries;
    const entry = audit.find((e) => e.action === 'invalidate_votes');
    assert.ok(entry, JSON.stringify(audit));
    assert.equal(entry.resource_id, String(clips[2]));
  });

  test('the budget is rebuilt from the stored votes after a restart', async () => {
    await server.stop({ keepData: true });
    server = await startServer({ dataDir: server.dataDir, args: ARGS });
    const late = await device(server, 'after-restart');
    const r = await late.post('/api/vote', { clipId: clips[0] });
    assert.equal(r.status, 401);
    assert.equal(r.body.details.reason, 'NETWORK_CLIP_BUDGET');
  });
});

describe('behind a trusted proxy', () => {
  let server, clips;
  before(async () => {
    server = await startServer({ args: [...ARGS, '--trusted-proxies', '127.0.0.1', '--anon-votes-per-clip-per-network', '3'] });
    const admin = await adminClient(server);
    ({ clipIds: clips } = await seasonWithClips(server, admin, 1));
  });
  after(async () => { await server.stop(); });

  test('the client address comes from X-Forwarded-For and an IPv6 /64 is one network', async () => {
    const vote = async (name, address) => (await (await device(server, name, { 'x-forwarded-for': address })).post('/api/vote', { clipId: clips[0] })).status;
    // Four hosts of one /64 share its budget of 3.
    assert.deepEqual([
      await vote('h1', '2001:db8:1:1::1'), await vote('h2', '2001:db8:1:1::2'),
      await vote('h3', '2001:db8:1:1:ffff::3'), await vote('h4', '2001:db8:1:1::4'),
    ], [200, 200, 200, 401]);
    // The next /64 and another IPv4 address are other networks.
    assert.equal(await vote('n1', '2001:db8:1:2::1'), 200);
    assert.equal(await vote('v4', '198.51.100.7'), 200);
    // What a client puts at the left of the header is not believed: the proxy's last hop is.
    assert.equal(await vote('spoof', '203.0.113.1, 2001:db8:1:1::9'), 401);
  });
});

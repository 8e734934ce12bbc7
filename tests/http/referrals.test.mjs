// Referrals through the real server (spec section 12): the flag, a code per user, the share link
// /join/{CODE} carrying the code through sign-in in a cookie, one credit per new account, no
// self-referral by account or by device, the claim window, and the tiers' XP and badges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, signedInClient, sql, eventually, setFeatureFlag } from './helpers.mjs';

const ARGS = ['--dev-login'];


async function logout(client) {
  const r = await client.post('/api/auth/logout');
  assert.equal(r.status, 200);
  client.csrf = r.body.csrfToken;
}

async function referral(client) {
  const r = await client.get('/api/referral');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// A new browser (its own device cookie) that signs up through the share link.
async function joinThroughLink(server, code, email, username) {
  const visitor = new Client(server.url);
  await visitor.refreshCsrf();  // the device cookie, as the app gets it on its first call
  const landed = await visitor.raw('GET', `/join/${code.toLowerCase()}`);
  assert.equal(landed.status, 302);
  assert.equal(landed.headers.get('location'), `/login?invite=${code}`);
  assert.equal(visitor.cookies.get('aimoviez_invite'), code, 'the code rides in a cookie');
  const { user } = await visitor.login(email, username);
  assert.equal(visitor.cookies.has('aimoviez_invite'), false, 'the cookie is spent at sign-in');
  visitor.user = user;
  return visitor;
}

test('referrals: flag, share link through sign-in, one credit per account, no self-referral, tiers', async () => {
  const server = await startServer({ args: ARGS });
  try {
    const admin = await adminClient(server);
    const inviter = await signedInClient(server, 'host@example.com', 'host');

    // Off by default: no codes, and the link only lands on the home page.
    const off = await inviter.get('/api/referral');
    assert.equal(off.status, 403);
    assert.equal(off.body.code, 'FEATURE_DISABLED');
    const landedOff = await new Client(server.url).raw('GET', '/join/ABCDEFGH');
    assert.equal(landedOff.status, 302);
    assert.equal(landedOff.headers.get('location'), '/');

    await setFeatureFlag(server, admin, 'referral_system', true);
    const mine = await referral(inviter);
    assert.match(mine.code, /^[A-HJKMNP-Z2-9]{8}$/);
    assert.ok(mine.link.endsWith(`/join/${mine.code}`), mine.link);
    assert.equal(mine.referrals, 0);
    assert.equal(mine.tier, null);
    assert.deepEqual(mine.nextTier, { name: 'Connector', referrals: 1, xp: 50 });
    assert.equal(mine.toNextTier, 1);
    assert.equal((await referral(inviter)).code, mine.code, 'the code is stable');

    // Who invited me, for the sign-in page; unknown and malformed codes are one clear 404.
    const invite = await new Client(server.url).get(`/api/referral/invite/${mine.code}`);
    assert.equal(invite.status, 200);
    assert.equal(invite.body.inviter.username, 'host');
    for (const bad of ['ZZZZZZZZ', 'abc', 'A%20B']) {
      const r = await new Client(server.url).get(`/api/referral/invite/${bad}`);
      assert.equal(r.status, 404, bad);
      assert.equal(r.body.code, 'UNKNOWN_REFERRAL_CODE');
    }

    // A new account made at the end of the link's round trip is credited: 50 XP, one notice.
    const first = await joinThroughLink(server, mine.code, 'friend1@example.com', 'friend_one');
    const credited = await eventually(async () => { const r = await referral(inviter); return r.referrals === 1 && r; }, 'the first credit');
    assert.deepEqual(credited.tier, { name: 'Connector', referrals: 1, xp: 50 });
    assert.equal(credited.nextTier.name, 'Networker');
    assert.equal(credited.toNextTier, 4);
    const xp = await eventually(async () => { const p = (await inviter.get('/api/profile/progress')).body; return p.xp === 50 && p; }, 'the Connector XP');
    assert.equal(xp.xp, 50);
    const inbox = (await inviter.get('/api/notifications')).body.notifications;
    const notice = inbox.filter((n) => n.title === 'Your invite worked');
    assert.equal(notice.length, 1);
    assert.match(notice[0].body, /@friend_one joined/);
    assert.match(notice[0].body, /Connector tier: \+50 XP/);

    // Signing in again through the link with the same account credits nothing more.
    await logout(first);
    const again = await first.raw('GET', `/join/${mine.code}`);
    assert.equal(again.status, 302);
    await first.login('friend1@example.com');
    assert.equal((await first.post('/api/referral', { code: mine.code })).body.code, 'ALREADY_REFERRED');

    // A new account may also type the code (any case) once; a second claim is refused.
    const typed = await signedInClient(server, 'friend2@example.com', 'friend_two');
    const claim = await typed.post('/api/referral', { code: ` ${mine.code.toLowerCase()} ` });
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
    assert.equal(claim.body.credited, true);
    const twice = await typed.post('/api/referral', { code: mine.code });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'ALREADY_REFERRED');
    const refusals = [[{ code: 'ZZZZZZZZ' }, 404, 'UNKNOWN_REFERRAL_CODE'], [{}, 400, 'VALIDATION_ERROR'], [{ code: 7 }, 400, 'VALIDATION_ERROR']];
    for (const [i, [body, status, code]] of refusals.entries()) {
      const fresh = await signedInClient(server, `bad${i}@example.com`, `bad_claim_${i}`);
      const r = await fresh.post('/api/referral', body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.body.code, code);
    }

    // No self-referral: not with one's own code, not from the inviter's own device, not late.
    const self = await inviter.post('/api/referral', { code: mine.code });
    assert.equal(self.status, 403);
    assert.equal(self.body.code, 'SELF_REFERRAL');
    await logout(inviter);
    assert.equal((await inviter.raw('GET', `/join/${mine.code}`)).status, 302);
    const sock = await inviter.login('sockpuppet@example.com', 'sock_puppet');
    assert.equal(sock.user.username, 'sock_puppet');
    const refused = await inviter.post('/api/referral', { code: mine.code });
    assert.equal(refused.status, 409, 'the refusal on sign-up was final');
    assert.equal(refused.body.code, 'ALREADY_REFERRED');
    assert.equal(sql(server.dataDir, `SELECT status || ':' || reason FROM referrals WHERE referred_id = ${sock.user.id}`), 'refused:same_device');
    await logout(inviter);
    await inviter.login('host@example.com');

    const old = await signedInClient(server, 'veteran@example.com', 'veteran');
    sql(server.dataDir, `UPDATE users SET created_at = created_at - 8 * 86400000 WHERE id = ${old.user.id}`);
    const late = await old.post('/api/referral', { code: mine.code });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'REFERRAL_WINDOW_CLOSED');

    // Three more people: five credited reach Networker (100 XP and its badge, 25 XP).
    for (const n of [3, 4, 5]) await joinThroughLink(server, mine.code, `friend${n}@example.com`, `friend_${n}`);
    const networker = await eventually(async () => { const r = await referral(inviter); return r.referrals === 5 && r; }, 'five credits');
    assert.equal(networker.tier.name, 'Networker');
    assert.deepEqual(networker.nextTier, { name: 'Influencer', referrals: 10, xp: 200 });
    assert.equal(networker.toNextTier, 5);
    const p = await eventually(async () => { const q = (await inviter.get('/api/profile/progress')).body; return q.xp === 175 && q; }, 'the Networker XP and badge');
    assert.equal(p.badges.find((b) => b.id === 'referral_networker').unlocked, true);
    assert.equal(p.badges.find((b) => b.id === 'referral_influencer').progress, 5);
    assert.equal(Number(sql(server.dataDir, `SELECT COUNT(*) FROM referrals WHERE referrer_id = ${inviter.user.id} AND status = 'credited'`)), 5);

    // Turned off again: nothing more is credited and the link leads home.
    await setFeatureFlag(server, admin, 'referral_system', false);
    const closed = await signedInClient(server, 'late@example.com', 'late_comer');
    assert.equal((await closed.post('/api/referral', { code: mine.code })).body.code, 'FEATURE_DISABLED');
  } finally {
    await server.stop();
  }
});

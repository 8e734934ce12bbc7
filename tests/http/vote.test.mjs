// The vote path through HTTP: exactness under concurrency, every rule and its error code.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, Client, adminClient, seasonWithClips, storedVotes, sql, insertPendingClip, insertVotesToday, setFeatureFlag, countsSettled, NO_NETWORK_BUDGETS } from './helpers.mjs';

const RELAXED = ['--dev-login', '--vote-rate-per-minute', '100000', '--vote-ip-rate-per-minute', '1000000', ...NO_NETWORK_BUDGETS];

async function anonymous(server, name) {
  const c = new Client(server.url, { userAgent: `voter-${name}` });
  await c.refreshCsrf();
  return c;
}

describe('exactness under concurrency', () => {
  let server, admin, clips;
  before(async () => {
    server = await startServer({ args: RELAXED });
    admin = await adminClient(server);
    ({ clipIds: clips } = await seasonWithClips(server, admin, 60));
  });
  after(async () => { await server.stop(); });

  test('64 distinct voters on one clip at the same instant: exactly 64', async () => {
    const voters = await Promise.all(Array.from({ length: 64 }, (_, i) => anonymous(server, `same-instant-${i}`)));
    const results = await Promise.all(voters.map((v) => v.post('/api/vote', { clipId: clips[0] })));
    assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body)));
    const counts = results.map((r) => r.body.voteCount).sort((a, b) => a - b);
    assert.deepEqual(counts, Array.from({ length: 64 }, (_, i) => i + 1), 'each answer saw a distinct count');
    assert.equal(storedVotes(server.dataDir, clips[0]), 64);
    await countsSettled(server);
    const clip = await new Client(server.url).get(`/api/clip/${clips[0]}`);
    assert.equal(clip.body.clip.vote_count, 64);
  });

  test('one voter sends 64 identical votes in parallel: exactly 1 stored', async () => {
    const v = await anonymous(server, 'identical');
    const results = await Promise.all(Array.from({ length: 64 }, () => v.post('/api/vote', { clipId: clips[1] })));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    const refused = results.filter((r) => r.status !== 200);
    assert.equal(refused.length, 63);
    assert.ok(refused.every((r) => r.status === 409 && r.body.code === 'ALREADY_VOTED'));
    assert.equal(storedVotes(server.dataDir, clips[1]), 1);
  });

  test('a voter with 199 votes today sends 50 parallel votes: exactly 200', async () => {
    const user = new Client(server.url);
    const { user: u } = await user.login('cap@example.com', 'cap_tester');
    // 199 votes today on earlier clips, written to storage, then the engine rebuilds from it.
    const voter = `user_${u.id}`;
    insertVotesToday(server.dataDir, { voter, userId: u.id, clipId: clips[2], count: 199 });
    await server.stop({ keepData: true });
    server = await startServer({ dataDir: server.dataDir, args: RELAXED });
    user.base = server.url;
    user.origin = server.url;
    const before = await user.get('/api/vote');
    assert.equal(before.body.totalVotesToday, 199);
    const targets = clips.slice(5, 55);
    const results = await Promise.all(targets.map((clipId) => user.post('/api/vote', { clipId })));
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1);
    assert.equal(ok[0].body.totalVotesToday, 200);
    assert.equal(ok[0].body.milestone, 200);
    const capped = results.filter((r) => r.status === 429);
    assert.equal(capped.length, 49);
    assert.ok(capped.every((r) => r.body.code === 'DAILY_LIMIT' && r.body.details.resetAt));
    const today = Number(sql(server.dataDir, `SELECT COUNT(*) FROM votes WHERE voter_key = '${voter}'`));
    assert.equal(today, 200);
  });

  test('vote/revoke races on one clip leave count == stored rows', async () => {
    const clipId = clips[3];
    const voters = await Promise.all(Array.from({ length: 24 }, (_, i) => anonymous(server, `racer-${i}`)));
    await Promise.all(voters.map(async (v, i) => {
      for (let k = 0; k < 6; ++k) {
        if ((i + k) % 2 === 0) await v.post('/api/vote', { clipId });
        else await v.del('/api/vote', { clipId });
      }
    }));
    await countsSettled(server);
    const shown = (await new Client(server.url).get(`/api/clip/${clipId}`)).body.clip.vote_count;
    assert.equal(shown, storedVotes(server.dataDir, clipId));
  });
});

describe('rules', () => {
  let server, admin, clips;
  before(async () => {
    server = await startServer({ args: ['--dev-login', '--vote-ip-rate-per-minute', '1000000'] });
    admin = await adminClient(server);
  });
  after(async () => { await server.stop(); });

  test('no open slot: NO_ACTIVE_SLOT', async () => {
    const v = await anonymous(server, 'early');
    const r = await v.post('/api/vote', { clipId: 1 });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'NO_ACTIVE_SLOT');
    const feed = await v.get('/api/vote');
    assert.equal(feed.status, 200);
    assert.deepEqual(feed.body.clips, []);
    assert.equal(feed.body.currentSlot, null);
    ({ clipIds: clips } = await seasonWithClips(server, admin, 12));
  });

  test('GET /api/vote returns the feed with the spec fields', async () => {
    const v = await anonymous(server, 'feed');
    const r = await v.get('/api/vote');
    assert.equal(r.status, 200);
    for (const k of ['clips', 'totalVotesToday', 'remainingVotes', 'votedClipIds', 'currentSlot', 'totalSlots', 'totalClipsInSlot', 'hasMoreClips']) {
      assert.ok(k in r.body, k);
    }
    assert.equal(r.body.clips.length, 8);
    assert.equal(r.body.totalClipsInSlot, 12);
    assert.equal(r.body.hasMoreClips, true);
    assert.equal(r.body.currentSlot, 1);
    assert.equal(r.body.totalSlots, 3);
    assert.deepEqual(r.body.remainingVotes, { standard: 200, super: 1, mega: 1 });
    const clip = r.body.clips[0];
    for (const k of ['id', 'username', 'genre', 'video_url', 'thumbnail_url', 'vote_count', 'weighted_score', 'comment_count']) {
      assert.ok(k in clip, k);
    }
    const shown = r.body.clips.map((c) => c.id);
    const rest = await v.get(`/api/vote?limit=20&excludeIds=${shown.join(',')}`);
    assert.equal(rest.body.clips.length, 4);
    assert.ok(rest.body.clips.every((c) => !shown.includes(c.id)));
    assert.equal(rest.body.hasMoreClips, false);
    assert.equal((await v.get('/api/vote?limit=21')).status, 400);
    assert.equal((await v.get('/api/vote?excludeIds=1,abc')).status, 400);
  });

  test('the feed puts unvoted clips first and voted ones last', async () => {
    const v = await anonymous(server, 'ordering');
    for (const id of clips.slice(0, 10)) assert.equal((await v.post('/api/vote', { clipId: id })).status, 200);
    const r = await v.get('/api/vote?limit=12');
    const order = r.body.clips.map((c) => c.id);
    assert.deepEqual(order.slice(0, 2).sort(), clips.slice(10, 12).sort());
    assert.deepEqual(r.body.votedClipIds.sort(), clips.slice(0, 10).sort());
  });

  test('votes on clips outside the open slot: CLIP_NOT_VOTABLE', async () => {
    const v = await anonymous(server, 'outsider');
    const pending = insertPendingClip(server.dataDir, 'Not approved');
    for (const clipId of [pending, 999999]) {
      const r = await v.post('/api/vote', { clipId });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'CLIP_NOT_VOTABLE');
    }
    const bad = await v.post('/api/vote', { clipId: 'abc' });
    assert.equal(bad.status, 400);
    assert.equal((await v.post('/api/vote', {})).status, 400);
    assert.equal((await v.post('/api/vote', { clipId: clips[0], voteType: 'ultra' })).status, 400);
  });

  test('first vote of the day is a milestone; revoke returns the updated figures', async () => {
    const v = await anonymous(server, 'milestone');
    const first = await v.post('/api/vote', { clipId: clips[4] });
    assert.equal(first.body.milestone, 1);
    assert.equal(first.body.totalVotesToday, 1);
    assert.deepEqual(first.body.remainingVotes, { standard: 199, super: 1, mega: 1 });
    const second = await v.post('/api/vote', { clipId: clips[5] });
    assert.equal(second.body.milestone, undefined);
    const revoked = await v.del('/api/vote', { clipId: clips[5] });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.totalVotesToday, 1);
    assert.equal(revoked.body.voteCount, second.body.voteCount - 1);
    const again = await v.del('/api/vote', { clipId: clips[5] });
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'VOTE_NOT_FOUND');
  });

  test('31 votes in a minute: RATE_LIMITED with Retry-After and X-RateLimit headers', async () => {
    const strict = await startServer({ args: ['--dev-login'] });
    try {
      const a = await adminClient(strict);
      const { clipIds } = await seasonWithClips(strict, a, 35);
      const v = await anonymous(strict, 'hasty');
      let last;
      for (let i = 0; i < 30; ++i) {
        last = await v.post('/api/vote', { clipId: clipIds[i] });
        assert.equal(last.status, 200, `vote ${i + 1}`);
      }
      assert.equal(last.headers.get('x-ratelimit-limit'), '30');
      assert.equal(last.headers.get('x-ratelimit-remaining'), '0');
      const limited = await v.post('/api/vote', { clipId: clipIds[30] });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.ok(Number(limited.headers.get('x-ratelimit-reset')) > Date.now() / 1000);
      assert.equal(storedVotes(strict.dataDir, clipIds[30]), 0);
    } finally {
      await strict.stop();
    }
  });

  test('voting on everything in rapid succession flags the vote rows and never blocks', async () => {
    // The default pattern: the 8th vote in a row, each within 1.5 s of the one before, and every
    // vote after it while the streak lasts, are flagged on the stored row.
    const v = await anonymous(server, 'everything');
    const firstRow = Number(sql(server.dataDir, 'SELECT COALESCE(MAX(id), 0) FROM votes'));
    for (const [i, clipId] of clips.slice(0, 10).entries()) {
      const r = await v.post('/api/vote', { clipId });
      assert.equal(r.status, 200, `vote ${i + 1} is accepted`);
    }
    const flags = sql(server.dataDir, `SELECT CASE WHEN flagged THEN 1 ELSE 0 END FROM votes WHERE id > ${firstRow} ORDER BY id`);
    assert.deepEqual(flags.split('\n').map(Number), [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  test('require_auth_voting: AUTH_REQUIRED for anonymous voters', async () => {
    await setFeatureFlag(server, admin, 'require_auth_voting', true);
    try {
      const v = await anonymous(server, 'anon-auth');
      const r = await v.post('/api/vote', { clipId: clips[6] });
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'AUTH_REQUIRED');
      const u = new Client(server.url);
      await u.login('authed@example.com', 'authed_voter');
      assert.equal((await u.post('/api/vote', { clipId: clips[6] })).status, 200);
    } finally {
      await setFeatureFlag(server, admin, 'require_auth_voting', false);
    }
  });

  test('require_captcha_voting: CAPTCHA_REQUIRED until a solved challenge is sent', async () => {
    await setFeatureFlag(server, admin, 'require_captcha_voting', true);
    try {
      const v = await anonymous(server, 'captcha');
      const r = await v.post('/api/vote', { clipId: clips[7] });
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'CAPTCHA_REQUIRED');
      assert.equal((await v.get('/api/vote')).body.captchaRequired, true);
      const { challenge, difficulty } = (await v.get('/api/captcha/challenge')).body;
      const wrong = await v.post('/api/vote', { clipId: clips[7], captchaToken: `${challenge}:0` });
      // nonce 0 is almost never a solution at 14 bits; if it happens to be, the vote is valid
      if (wrong.status !== 200) assert.equal(wrong.body.code, 'CAPTCHA_REQUIRED');
      const zeroBits = (buf) => { let n = 0; for (const b of buf) { if (b === 0) { n += 8; continue; } n += Math.clz32(b) - 24; break; } return n; };
      const solve = (c) => { let nonce = 0; while (zeroBits(createHash('sha256').update(`${c}:${nonce}`).digest()) < difficulty) ++nonce; return `${c}:${nonce}`; };
      // A fresh challenge (the one above might have been spent by a lucky nonce 0).
      const token = solve((await v.get('/api/captcha/challenge')).body.challenge);
      const solved = await v.post('/api/vote', { clipId: clips[8], captchaToken: token });
      assert.equal(solved.status, 200);
      const again = await v.post('/api/vote', { clipId: clips[6], captchaToken: token });
      assert.equal(again.body.code, 'CAPTCHA_REQUIRED', 'a solved challenge is good for one vote');
      const other = await anonymous(server, 'captcha-thief');
      const stolenChallenge = (await v.get('/api/captcha/challenge')).body.challenge;
      const stolen = await other.post('/api/vote', { clipId: clips[8], captchaToken: solve(stolenChallenge) });
      assert.equal(stolen.body.code, 'CAPTCHA_REQUIRED', 'a challenge is bound to its voter');
      // A browser's first visit: the challenge comes before any device cookie (the app asks for
      // the CSRF token only when it votes); it is bound to the device cookie it brings.
      const newcomer = new Client(server.url, { userAgent: 'voter-captcha-newcomer' });
      const first = solve((await newcomer.get('/api/captcha/challenge')).body.challenge);
      const welcomed = await newcomer.post('/api/vote', { clipId: clips[8], captchaToken: first });
      assert.equal(welcomed.status, 200, JSON.stringify(welcomed.body));
    } finally {
      await setFeatureFlag(server, admin, 'require_captcha_voting', false);
    }
  });

  test('power votes (flag): super weighs 3, one per slot; multi-vote flag allows repeats', async () => {
    const v = await anonymous(server, 'power');
    const off = await v.post('/api/vote', { clipId: clips[9], voteType: 'super' });
    assert.equal(off.status, 403);
    assert.equal(off.body.code, 'POWER_VOTES_DISABLED');
    const feedOff = (await v.get('/api/vote')).body;
    assert.equal(feedOff.powerVotesEnabled, false);
    assert.equal(feedOff.multiVoteEnabled, false);
    await setFeatureFlag(server, admin, 'power_votes_enabled', true);
    await setFeatureFlag(server, admin, 'multi_vote_enabled', true);
    try {
      const feedOn = (await v.get('/api/vote')).body;
      assert.equal(feedOn.powerVotesEnabled, true);
      assert.equal(feedOn.multiVoteEnabled, true);
      assert.deepEqual([feedOn.remainingVotes.super, feedOn.remainingVotes.mega], [1, 1]);
      const before = (await v.get(`/api/clip/${clips[9]}`)).body.clip.weighted_score;
      const sup = await v.post('/api/vote', { clipId: clips[9], voteType: 'super' });
      assert.equal(sup.status, 200);
      assert.equal(sup.body.newScore, before + 3);
      assert.deepEqual([sup.body.remainingVotes.super, sup.body.remainingVotes.mega], [0, 1]);
      const again = await v.post('/api/vote', { clipId: clips[10], voteType: 'super' });
      assert.equal(again.body.code, 'POWER_VOTE_USED');
      const mega = await v.post('/api/vote', { clipId: clips[10], voteType: 'mega' });
      assert.equal(mega.body.newScore - (mega.body.voteCount - 1), 10, 'mega weighs 10');
      assert.deepEqual([mega.body.remainingVotes.super, mega.body.remainingVotes.mega], [0, 0]);
      const spent = (await v.get('/api/vote')).body.remainingVotes;
      assert.deepEqual([spent.super, spent.mega], [0, 0], 'the feed reports both spent for this slot');
      const repeat = await v.post('/api/vote', { clipId: clips[9] });
      assert.equal(repeat.status, 200, 'multi-vote allows a second vote on the same clip');
    } finally {
      await setFeatureFlag(server, admin, 'power_votes_enabled', false);
      await setFeatureFlag(server, admin, 'multi_vote_enabled', false);
    }
  });

  test('advancing the slot goes through the engine: counts match the stored rows', async () => {
    const v = await anonymous(server, 'advance');
    await v.post('/api/vote', { clipId: clips[11] });
    await countsSettled(server);
    const slot = (await admin.get('/api/admin/slots')).body.slots.find((s) => s.status === 'voting');
    const standings = Object.fromEntries(slot.clips.map((c) => [c.id, c.weighted_score]));
    for (const c of slot.clips) assert.equal(c.vote_count, storedVotes(server.dataDir, c.id), `clip ${c.id}`);
    const best = Math.max(...Object.values(standings));
    const adv = await admin.post(`/api/admin/slots/${slot.id}/advance`);
    assert.equal(standings[adv.body.winnerClipId], best);
    const feed = await v.get('/api/vote');
    assert.equal(feed.body.currentSlot, 2);
    assert.ok(feed.body.clips.every((c) => c.vote_count === 0));
    assert.deepEqual(feed.body.votedClipIds, []);
    const locked = await v.post('/api/vote', { clipId: adv.body.winnerClipId });
    assert.equal(locked.body.code, 'CLIP_NOT_VOTABLE');
  });
});

describe('the UTC day boundary', () => {
  test('the daily cap resets at midnight UTC (clock injected through configuration)', async () => {
    const server = await startServer({ args: ['--dev-login', '--daily-vote-limit', '3', '--vote-ip-rate-per-minute', '100000'] });
    try {
      const admin = await adminClient(server);
      // A two-day window keeps the round open across the midnight we step over.
      const { clipIds } = await seasonWithClips(server, admin, 6, { window: 2 * 86400 });
      const voter = new Client(server.url);
      await voter.login('daily@example.com', 'daily_voter');
      for (let i = 0; i < 3; ++i) assert.equal((await voter.post('/api/vote', { clipId: clipIds[i] })).status, 200);
      const capped = await voter.post('/api/vote', { clipId: clipIds[3] });
      assert.equal(capped.status, 429);
      assert.equal(capped.body.code, 'DAILY_LIMIT');
      const resetAt = Date.parse(capped.body.details.resetAt);
      assert.equal(resetAt % 86400000, 0, 'resets at midnight UTC');
      await server.stop({ keepData: true });
      // Restart a minute past that midnight: the engine rebuilds today's counts (zero).
      const offset = Math.ceil((resetAt - Date.now()) / 1000) + 60;
      const next = await startServer({ dataDir: server.dataDir, args: ['--dev-login', '--daily-vote-limit', '3', '--clock-offset-seconds', String(offset)] });
      try {
        voter.base = next.url; voter.origin = next.url;
        // A day later the old session has expired, and its CSRF token with it.
        voter.csrf = null;
        await voter.login('daily@example.com');
        const feed = await voter.get('/api/vote');
        assert.equal(feed.body.totalVotesToday, 0);
        const fresh = await voter.post('/api/vote', { clipId: clipIds[3] });
        assert.equal(fresh.status, 200);
        assert.equal(fresh.body.totalVotesToday, 1);
        assert.equal(fresh.body.milestone, 1);
        // Yesterday's votes still count in the round.
        assert.equal(fresh.body.voteCount, 1);
        assert.equal((await voter.post('/api/vote', { clipId: clipIds[0] })).body.code, 'ALREADY_VOTED');
      } finally {
        await next.stop();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('the voting window', () => {
  test('votes after voting_ends_at are refused until the slot advances', async () => {
    const server = await startServer({ args: ['--dev-login'] });
    try {
      const admin = await adminClient(server);
      const { clipIds } = await seasonWithClips(server, admin, 2, { window: 60 });
      await server.stop({ keepData: true });
      const later = await startServer({ dataDir: server.dataDir, args: ['--clock-offset-seconds', '120'] });
      try {
        const v = await anonymous(later, 'late');
        const r = await v.post('/api/vote', { clipId: clipIds[0] });
        assert.equal(r.status, 409);
        assert.equal(r.body.code, 'VOTING_CLOSED');
        assert.equal((await v.get('/api/vote')).body.votingOpen, false);
      } finally {
        await later.stop();
      }
    } finally {
      await server.stop();
    }
  });
});

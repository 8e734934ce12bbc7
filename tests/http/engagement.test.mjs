// Progression and notifications through the real server: XP, badges and notifications from
// their real triggers (an admin's approval, rejection and winner, signed-in votes), exactly once
// across kill -9 and restart, the documented revoke rule, the live push on "me", and the inbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips, insertPendingClip, openLive, sql, eventually } from './helpers.mjs';

const ARGS = ['--dev-login'];


async function progress(client) {
  const r = await client.get('/api/profile/progress');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function inbox(client) {
  const r = await client.get('/api/notifications?limit=50');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

test('approval, rejection and a win notify the creator once, with XP and badges', async () => {
  const server = await startServer({ args: ARGS });
  try {
    const admin = await adminClient(server);
    await seasonWithClips(server, admin, 2, { slots: 4 });
    const creator = new Client(server.url);
    const { user } = await creator.login('maker@example.com', 'maker');
    const live = await openLive(server, { client: creator });
    assert.equal((await live.subscribe('me')).type, 'subscribed');

    const mine = insertPendingClip(server.dataDir, 'Harbour at Dawn', user.id);
    assert.equal((await admin.post(`/api/admin/clips/${mine}/approve`)).status, 200);
    const pushed = await live.next((m) => m.type === 'Notification' && m.notificationType === 'clip_approved', 10_000);
    assert.match(pushed.body, /Harbour at Dawn/);

    const approved = await eventually(async () => {
      const box = await inbox(creator);
      return box.notifications.some((n) => n.type === 'achievement') && box;
    }, 'the badge notification');
    assert.equal(approved.notifications.filter((n) => n.type === 'clip_approved').length, 1);
    assert.equal(approved.unreadCount, 2);
    let p = await progress(creator);
    assert.equal(p.xp, 75, 'approval 50 + badge 25');
    assert.equal(p.level, 1);
    assert.equal(p.nextLevelXp, 100);
    assert.equal(p.badges.find((b) => b.id === 'first_approved').unlocked, true);
    assert.equal(p.badges.find((b) => b.id === 'first_win').unlocked, false);

    const other = insertPendingClip(server.dataDir, 'Rejected <b>take</b>', user.id);
    assert.equal((await admin.post(`/api/admin/clips/${other}/reject`, { reason: 'blurry' })).status, 200);
    await live.next((m) => m.type === 'Notification' && m.notificationType === 'clip_rejected', 10_000);

    const won = await admin.post('/api/admin/assign-winner', { clipId: mine });
    assert.equal(won.status, 200, JSON.stringify(won.body));
    await live.next((m) => m.type === 'Notification' && m.notificationType === 'clip_won', 10_000);
    p = await eventually(async () => { const q = await progress(creator); return q.xp >= 600 && q; }, 'the win XP');
    assert.equal(p.xp, 75 + 500 + 25, 'win 500 + "Locked In" badge 25');
    assert.equal(p.level, 4, '600 XP is level 4');
    // The win also opened slot 2 for votes, which everyone hears about (round_started).
    const box = await eventually(async () => {
      const b = await inbox(creator);
      return b.notifications.some((n) => n.type === 'round_started') && b;
    }, 'the slot 2 round notification');
    assert.deepEqual(box.notifications.map((n) => n.type).sort(),
      ['achievement', 'achievement', 'clip_approved', 'clip_rejected', 'clip_won', 'round_started'].sort());
    // User text arrives as stored data, never as markup the server built.
    assert.ok(box.notifications.some((n) => n.body.includes('Rejected <b>take</b>')));
    live.close();

    // The voters' leaderboard shows each voter's level.
    const open = (await creator.get('/api/vote?limit=8')).body.clips.find((c) => c.id !== mine);
    assert.equal((await creator.post('/api/vote', { clipId: open.id })).status, 200);
    const row = (await creator.get('/api/leaderboard/voters')).body.entries.find((e) => e.user.username === 'maker');
    assert.equal(row.user.level, 4);
  } finally {
    await server.stop();
  }
});

test('signed-in votes earn XP once per clip; revoking keeps it; kill -9 and restart award nothing twice', async () => {
  let server = await startServer({ args: ARGS });
  const dataDir = server.dataDir;
  try {
    const admin = await adminClient(server);
    const { clipIds } = await seasonWithClips(server, admin, 6);
    const voter = new Client(server.url);
    await voter.login('fan@example.com', 'fan');
    for (const clipId of clipIds.slice(0, 3)) {
      assert.equal((await voter.post('/api/vote', { clipId })).status, 200);
    }
    let p = await eventually(async () => { const q = await progress(voter); return q.votesCast === 3 && q; }, 'three votes applied');
    assert.equal(p.xp, 30);
    assert.equal(p.streakDays, 1);

    // Revoke and vote for the same clip again: the XP stays, and nothing more is earned.
    assert.equal((await voter.del('/api/vote', { clipId: clipIds[0] })).status, 200);
    assert.equal((await voter.post('/api/vote', { clipId: clipIds[0] })).status, 200);
    assert.equal((await voter.post('/api/vote', { clipId: clipIds[3] })).status, 200);
    p = await eventually(async () => { const q = await progress(voter); return q.votesCast === 4 && q; }, 'the fourth clip');
    assert.equal(p.xp, 40);

    // Kill -9 right after more votes, then restart: every vote earns once, none twice.
    assert.equal((await voter.post('/api/vote', { clipId: clipIds[4] })).status, 200);
    await server.crash();
    server = await startServer({ dataDir, args: ARGS });
    voter.base = server.url;
    voter.origin = server.url;
    assert.equal((await voter.post('/api/vote', { clipId: clipIds[5] })).status, 200);
    p = await eventually(async () => { const q = await progress(voter); return q.votesCast === 6 && q; }, 'all six clips');
    assert.equal(p.xp, 60);
    const ledger = Number(sql(dataDir, "SELECT COUNT(*) FROM xp_ledger WHERE kind = 'vote'"));
    assert.equal(ledger, 6);
    assert.equal(p.recentXp.filter((x) => x.kind === 'vote').length, 6);
    // Anonymous votes earn nothing and create no progress rows.
    const anon = new Client(server.url, { userAgent: 'anon-xp' });
    await anon.get('/api/csrf');
    assert.equal((await anon.post('/api/vote', { clipId: clipIds[1] })).status, 200);
    assert.equal((await anon.get('/api/profile/progress')).status, 401);
  } finally {
    await server.stop();
  }
});

test('the inbox pages, marks read, and refuses bad input', async () => {
  const server = await startServer({ args: ARGS });
  try {
    const admin = await adminClient(server);
    await seasonWithClips(server, admin, 1);
    const creator = new Client(server.url);
    const { user } = await creator.login('inbox@example.com', 'inbox_owner');
    for (let i = 0; i < 3; ++i) {
      const id = insertPendingClip(server.dataDir, `Clip ${i}`, user.id);
      assert.equal((await admin.post(`/api/admin/clips/${id}/reject`, { reason: 'x' })).status, 200);
    }
    await eventually(async () => (await inbox(creator)).notifications.length === 3, 'three rejections');

    const first = await creator.get('/api/notifications?limit=2');
    assert.equal(first.body.notifications.length, 2);
    assert.equal(first.body.unreadCount, 3);
    assert.ok(first.body.nextCursor);
    const rest = await creator.get(`/api/notifications?limit=2&cursor=${first.body.nextCursor}`);
    assert.equal(rest.body.notifications.length, 1);
    assert.equal(rest.body.nextCursor, null);

    const one = await creator.post('/api/notifications', { action: 'read', ids: [first.body.notifications[0].id] });
    assert.equal(one.status, 200);
    assert.equal(one.body.unreadCount, 2);
    // Someone else's ids change nothing of theirs.
    const stranger = new Client(server.url);
    await stranger.login('stranger@example.com', 'stranger');
    const foreign = await stranger.post('/api/notifications', { action: 'read', ids: [rest.body.notifications[0].id] });
    assert.equal(foreign.body.unreadCount, 0);
    assert.equal((await inbox(creator)).unreadCount, 2);
    const all = await creator.post('/api/notifications', { action: 'read', all: true });
    assert.equal(all.body.unreadCount, 0);

    for (const [body, code] of [[{ action: 'delete', all: true }, 'VALIDATION_ERROR'], [{ action: 'read' }, 'VALIDATION_ERROR'],
      [{ action: 'read', ids: [] }, 'VALIDATION_ERROR'], [{ action: 'read', ids: ['x'] }, 'VALIDATION_ERROR'],
      [{ action: 'read', ids: Array.from({ length: 201 }, (_, i) => i + 1) }, 'VALIDATION_ERROR']]) {
      const r = await creator.post('/api/notifications', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, code);
    }
    assert.equal((await creator.get('/api/notifications?cursor=abc')).status, 400);
    const anon = new Client(server.url);
    assert.equal((await anon.get('/api/notifications')).status, 401);
    const noCsrf = await creator.raw('POST', '/api/notifications', { body: { action: 'read', all: true } });
    assert.equal(noCsrf.status, 403);
  } finally {
    await server.stop();
  }
});

test('casting the last of the day\'s votes notifies the daily goal once', async () => {
  const server = await startServer({ args: [...ARGS, '--daily-vote-limit', '3'] });
  try {
    const admin = await adminClient(server);
    const { clipIds } = await seasonWithClips(server, admin, 4);
    const voter = new Client(server.url);
    await voter.login('goal@example.com', 'goal_getter');
    for (const clipId of clipIds.slice(0, 3)) assert.equal((await voter.post('/api/vote', { clipId })).status, 200);
    const refused = await voter.post('/api/vote', { clipId: clipIds[3] });
    assert.equal(refused.status, 429);
    const box = await eventually(async () => {
      const b = await inbox(voter);
      return b.notifications.some((n) => n.type === 'daily_goal') && b;
    }, 'the daily goal notification');
    const goal = box.notifications.filter((n) => n.type === 'daily_goal');
    assert.equal(goal.length, 1);
    assert.match(goal[0].body, /all 3 of today's votes/);
  } finally {
    await server.stop();
  }
});

// Notifications to everyone through the real server: `round_started` when a slot opens for votes
// and an admin's `announcement`, fanned out in batches by the job to every account (1 200 here,
// more than two batches), never to someone who turned the type off, once per person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, signedInClient, insertPendingClip, openLive, sql, eventually } from './helpers.mjs';

const ARGS = ['--dev-login'];


async function ofType(client, type) {
  const r = await client.get('/api/notifications?limit=50');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.notifications.filter((n) => n.type === type);
}

function count(dataDir, where) {
  return Number(sql(dataDir, `SELECT COUNT(*) FROM notifications WHERE ${where}`));
}

test('a slot opening for votes tells every account once, unless they turned it off', async () => {
  const server = await startServer({ args: ARGS });
  try {
    const admin = await adminClient(server);
    const fan = await signedInClient(server, 'fan@example.com', 'fan');
    const quiet = await signedInClient(server, 'quiet@example.com', 'quiet');
    const mute = await quiet.call('PUT', '/api/notifications/preferences', { preferences: { round_started: false } });
    assert.equal(mute.status, 200, JSON.stringify(mute.body));
    const live = await openLive(server, { client: fan });
    assert.equal((await live.subscribe('me')).type, 'subscribed');

    const season = await admin.post('/api/admin/seasons', { label: 'Broadcast Season', total_slots: 3 });
    assert.equal(season.status, 201);
    const activated = await admin.post(`/api/admin/seasons/${season.body.season.id}/activate`);
    assert.equal(activated.status, 200);
    const pushed = await live.next((m) => m.type === 'Notification' && m.notificationType === 'round_started', 10_000);
    assert.equal(pushed.title, 'Slot 1 is open for votes');
    assert.equal(pushed.link, '/dashboard');
    const mine = await ofType(fan, 'round_started');
    assert.equal(mine.length, 1);
    assert.match(mine[0].body, /Broadcast Season: the clips for scene 1 of 3/);
    await eventually(async () => (await ofType(admin, 'round_started')).length === 1, 'the admin told too');
    assert.equal((await ofType(quiet, 'round_started')).length, 0, 'muted');

    // The winner locked in opens slot 2 (its other clip carries over): a second round, told again.
    const ids = [1, 2].map((i) => insertPendingClip(server.dataDir, `Take ${i}`));
    assert.equal((await admin.post('/api/admin/bulk', { action: 'approve', clipIds: ids })).status, 200);
    const won = await admin.post('/api/admin/assign-winner', { clipId: ids[0] });
    assert.equal(won.status, 200, JSON.stringify(won.body));
    await live.next((m) => m.type === 'Notification' && m.title === 'Slot 2 is open for votes', 10_000);
    assert.equal((await ofType(fan, 'round_started')).length, 2);
    assert.equal((await ofType(quiet, 'round_started')).length, 0);
    live.close();
  } finally {
    await server.stop();
  }
});

test('an announcement reaches 1 200 accounts in batches, once each; only admins may send one', async () => {
  const server = await startServer({ args: ARGS });
  try {
    const admin = await adminClient(server);
    const reader = await signedInClient(server, 'reader@example.com', 'reader');
    const quiet = await signedInClient(server, 'hush@example.com', 'hush');
    await quiet.call('PUT', '/api/notifications/preferences', { preferences: { announcement: false } });
    const now = Date.now();
    sql(server.dataDir, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
      INSERT INTO users (email, username, created_at) SELECT 'bulk' || i || '@example.com', 'bulk_' || i, ${now} FROM n;`);
    const banned = await signedInClient(server, 'gone@example.com', 'gone');
    sql(server.dataDir, `UPDATE users SET is_banned = TRUE WHERE id = ${banned.user.id}`);
    const total = Number(sql(server.dataDir, 'SELECT COUNT(*) FROM users WHERE is_banned = FALSE'));
    assert.equal(total, 1203);

    const refused = await reader.post('/api/admin/announcements', { title: 'Hi', body: 'x' });
    assert.equal(refused.status, 403);
    for (const [body, field] of [
      [{ title: '', body: 'x' }, 'title'],
      [{ title: 'x'.repeat(81), body: 'x' }, 'title'],
      [{ title: 'Hi', body: '' }, 'body'],
      [{ title: 'Hi', body: 'y'.repeat(501) }, 'body'],
      [{ title: 'Hi', body: 'x', link: 'https://elsewhere.example/' }, 'link'],
      [{ title: 'Hi', body: 'x', link: '//elsewhere.example/' }, 'link'],
    ]) {
      const r = await admin.post('/api/admin/announcements', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, 'VALIDATION_ERROR');
      assert.equal(r.body.details.field, field, JSON.stringify(r.body));
    }

    const sent = await admin.post('/api/admin/announcements', { title: 'Season 2 <i>starts</i> Friday', body: 'Bring your best clips.\nVoting opens at noon.', link: '/story' });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.announcement.title, 'Season 2 starts Friday', 'markup is stripped');
    const id = sent.body.announcement.id;
    const done = await eventually(async () => {
      const list = (await admin.get('/api/admin/announcements')).body.announcements;
      const mine = list.find((a) => a.id === id);
      return mine.finished && mine;
    }, 'the fan-out to finish');
    assert.equal(done.delivered, total - 1, 'everyone but the one who muted announcements');
    assert.equal(count(server.dataDir, "type = 'announcement'"), total - 1, 'one each, no duplicates');
    assert.equal(count(server.dataDir, `type = 'announcement' AND user_id = ${banned.user.id}`), 0);
    const got = await ofType(reader, 'announcement');
    assert.equal(got.length, 1);
    assert.equal(got[0].body, 'Bring your best clips.\nVoting opens at noon.');
    assert.equal(got[0].link, '/story');
    assert.equal((await ofType(quiet, 'announcement')).length, 0);
    assert.match(sql(server.dataDir, "SELECT action FROM audit_logs WHERE action = 'announce'"), /announce/);
  } finally {
    await server.stop();
  }
});

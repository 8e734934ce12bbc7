// Content reports through the real server: filing (validation, one open report per person and
// target, the 3-a-minute contact budget), the admin queue grouped by target, and the three
// decisions — each audit-logged, each telling the reporters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips, insertPendingClip, signedInClient } from './helpers.mjs';

let server, admin, ana, ben, cyd, clipOfBen, commentOfBen;

before(async () => {
  server = await startServer({ args: ['--dev-login'] });
  admin = await adminClient(server);
  await seasonWithClips(server, admin, 1);
  ana = await signedInClient(server, 'ana@example.com', 'ana');
  ben = await signedInClient(server, 'ben@example.com', 'ben');
  cyd = await signedInClient(server, 'cyd@example.com', 'cyd');
  clipOfBen = insertPendingClip(server.dataDir, 'Ben shouting', ben.user.id);
  assert.equal((await admin.post(`/api/admin/clips/${clipOfBen}/approve`)).status, 200);
  commentOfBen = (await ben.post('/api/comments', { clipId: clipOfBen, text: 'buy followers at example.com' })).body.comment.id;
});

after(async () => { await server?.stop(); });

test('filing a report: one open per person and target, every bad input refused', async () => {
  let r = await ana.post('/api/report', { targetType: 'clip', targetId: clipOfBen, reason: 'spam' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.report.status, 'open');
  r = await ana.post('/api/report', { targetType: 'clip', targetId: clipOfBen, reason: 'harassment' });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'ALREADY_REPORTED');
  r = await cyd.post('/api/report', { targetType: 'clip', targetId: clipOfBen, reason: 'harassment', details: 'Shouting at <b>people</b>' });
  assert.equal(r.status, 201);
  assert.equal(r.body.report.details, 'Shouting at people', 'markup is stripped');

  const refusals = [
    [{ targetType: 'song', targetId: clipOfBen, reason: 'spam' }, 400, 'VALIDATION_ERROR'],
    [{ targetType: 'clip', targetId: clipOfBen, reason: 'boring' }, 400, 'VALIDATION_ERROR'],
    [{ targetType: 'clip', targetId: clipOfBen, reason: 'other' }, 400, 'VALIDATION_ERROR'],
    [{ targetType: 'clip', targetId: clipOfBen, reason: 'other', details: 'x'.repeat(501) }, 400, 'VALIDATION_ERROR'],
    [{ targetType: 'clip', targetId: 999999, reason: 'spam' }, 404, 'NOT_FOUND'],
    [{ targetType: 'user', targetId: ana.user.id, reason: 'spam' }, 400, 'CANNOT_REPORT_SELF'],
    [{ targetType: 'clip', reason: 'spam' }, 400, 'VALIDATION_ERROR'],
  ];
  for (const [body, status, code] of refusals) {
    r = await ana.post('/api/report', body);
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.body.code, code, JSON.stringify(body));
  }
  assert.equal((await new Client(server.url).post('/api/report', { targetType: 'clip', targetId: clipOfBen, reason: 'spam' })).status, 401);
});

test('the queue groups by target; dismiss, remove and ban close the reports and tell the reporters', async () => {
  await ana.post('/api/report', { targetType: 'comment', targetId: commentOfBen, reason: 'spam' });
  await cyd.post('/api/report', { targetType: 'user', targetId: ben.user.id, reason: 'harassment' });
  assert.equal((await ana.get('/api/admin/reports')).status, 403);

  let queue = (await admin.get('/api/admin/reports')).body.groups;
  const clipGroup = queue.find((g) => g.targetType === 'clip' && g.targetId === clipOfBen);
  assert.equal(clipGroup.count, 2);
  assert.deepEqual(clipGroup.reasons, { spam: 1, harassment: 1 });
  assert.equal(clipGroup.target, 'Ben shouting');
  assert.equal(clipGroup.targetOwnerId, ben.user.id);
  assert.equal(queue[0].targetType, 'clip', 'the most reported target first');

  // Dismiss the comment's reports: the comment stays, Ana hears the outcome.
  let r = await admin.post('/api/admin/reports/resolve', { targetType: 'comment', targetId: commentOfBen, action: 'dismiss' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.closed, 1);
  const anaNotes = (await ana.get('/api/notifications')).body.notifications.filter((n) => n.type === 'report_resolved');
  assert.equal(anaNotes.length, 1);
  assert.match(anaNotes[0].body, /within the rules/);
  assert.equal((await admin.get('/api/admin/reports?status=dismissed')).body.groups.length, 1);

  // Remove the clip: rejected, out of the vote; both reporters told.
  r = await admin.post('/api/admin/reports/resolve', { targetType: 'clip', targetId: clipOfBen, action: 'remove' });
  assert.equal(r.body.closed, 2);
  const clip = await ana.get(`/api/clip/${clipOfBen}`);
  assert.ok(clip.status === 404 || clip.body.clip.status === 'rejected');
  for (const c of [ana, cyd]) {
    assert.ok((await c.get('/api/notifications')).body.notifications.some((n) => n.type === 'report_resolved' && /acted/.test(n.body)));
  }

  // A person cannot be "removed"; banning them ends their session.
  r = await admin.post('/api/admin/reports/resolve', { targetType: 'user', targetId: ben.user.id, action: 'remove' });
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'USE_BAN');
  r = await admin.post('/api/admin/reports/resolve', { targetType: 'user', targetId: ben.user.id, action: 'ban' });
  assert.equal(r.status, 200);
  assert.equal((await ben.get('/api/auth/session')).body.user ?? null, null);

  queue = (await admin.get('/api/admin/reports')).body.groups;
  assert.deepEqual(queue, []);
  r = await admin.post('/api/admin/reports/resolve', { targetType: 'user', targetId: ben.user.id, action: 'ban' });
  assert.equal(r.status, 404, 'no open reports left');
  r = await admin.post('/api/admin/reports/resolve', { targetType: 'clip', targetId: clipOfBen, action: 'explode' });
  assert.equal(r.status, 400);
  const audit = (await admin.get('/api/admin/audit-logs?limit=20')).body.entries.filter((e) => e.action === 'resolve_report');
  assert.equal(audit.length, 3);
});

test('reports count against the contact budget: three a minute', async () => {
  const limited = await startServer({ args: ['--dev-login', '--rate-contact-per-minute', '3'] });
  try {
    const a = await adminClient(limited);
    await seasonWithClips(limited, a, 4);
    const reporter = new Client(limited.url);
    await reporter.login('reporter@example.com', 'reporter');
    const clips = (await a.get('/api/admin/clips?status=active')).body.clips.map((c) => c.id);
    const statuses = [];
    for (const id of clips.slice(0, 4)) {
      statuses.push((await reporter.post('/api/report', { targetType: 'clip', targetId: id, reason: 'spam' })).status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 429]);
  } finally {
    await limited.stop();
  }
});

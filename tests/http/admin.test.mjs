import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, cli, insertPendingClip } from './helpers.mjs';

let server, admin;
before(async () => {
  server = await startServer({ args: ['--dev-login', '--max-body-bytes', '4096'] });
  admin = await adminClient(server);
});
after(async () => { await server.stop(); });

const adminRoutes = [
  ['GET', '/api/admin/seasons'],
  ['POST', '/api/admin/seasons'],
  ['PATCH', '/api/admin/seasons/1'],
  ['DELETE', '/api/admin/seasons/1'],
  ['POST', '/api/admin/seasons/1/activate'],
  ['GET', '/api/admin/slots'],
  ['POST', '/api/admin/slots/1/advance'],
  ['POST', '/api/admin/slots/1/assign-winner'],
  ['POST', '/api/admin/slots/1/unlock'],
  ['POST', '/api/admin/slots/1/reset-votes'],
  ['POST', '/api/admin/advance-slot'],
  ['GET', '/api/admin/clips'],
  ['POST', '/api/admin/approve'],
  ['POST', '/api/admin/reject'],
  ['POST', '/api/admin/bulk'],
  ['PATCH', '/api/admin/clips/1'],
  ['GET', '/api/admin/users'],
  ['PATCH', '/api/admin/users/1'],
  ['GET', '/api/admin/feature-flags'],
  ['POST', '/api/admin/feature-flags'],
  ['GET', '/api/admin/audit-logs'],
];

test('admin routes refuse anonymous callers with 401 and non-admins with 403', async () => {
  const anon = new Client(server.url);
  const user = new Client(server.url);
  await user.login('plain@example.com', 'plain_user');
  for (const [method, path] of adminRoutes) {
    const a = await anon.call(method, path, method === 'GET' ? undefined : {});
    assert.equal(a.status, 401, `${method} ${path} anonymous`);
    assert.equal(a.body.code, 'AUTH_REQUIRED');
    const u = await user.call(method, path, method === 'GET' ? undefined : {});
    assert.equal(u.status, 403, `${method} ${path} non-admin`);
    assert.equal(u.body.code, 'ADMIN_REQUIRED');
  }
});

test('admin mutations without CSRF are refused', async () => {
  const r = await admin.call('POST', '/api/admin/seasons', { label: 'x' }, { 'x-csrf-token': 'nope' });
  assert.equal(r.status, 403);
});

test('malformed JSON, wrong types, wrong content type and oversized bodies are 4xx with the shape', async () => {
  const malformed = await admin.call('POST', '/api/admin/seasons', '{"label": ', {});
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.code, 'INVALID_JSON');
  const notObject = await admin.call('POST', '/api/admin/seasons', '[1,2]', {});
  assert.equal(notObject.status, 400);
  const wrongType = await admin.post('/api/admin/seasons', { label: 'S', total_slots: 'many' });
  assert.equal(wrongType.status, 400);
  assert.equal(wrongType.body.code, 'VALIDATION_ERROR');
  assert.equal(wrongType.body.details.field, 'total_slots');
  const outOfRange = await admin.post('/api/admin/seasons', { label: 'S', total_slots: 100000 });
  assert.equal(outOfRange.status, 400);
  const badGenre = await admin.post('/api/admin/seasons', { label: 'S', genre: 'Western' });
  assert.equal(badGenre.status, 400);
  const text = await admin.call('POST', '/api/admin/seasons', 'label=S', { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  assert.equal(text.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  const huge = await admin.post('/api/admin/seasons', { label: 'S', description: 'x'.repeat(10000) });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.code, 'PAYLOAD_TOO_LARGE');
  const badId = await admin.get('/api/admin/seasons/abc');
  assert.equal(badId.status, 400);
});

test('season CRUD with audit entries', async () => {
  const created = await admin.post('/api/admin/seasons', { label: 'Crud Season', genre: 'Comedy', total_slots: 5, voting_window_seconds: 3600 });
  assert.equal(created.status, 201);
  const id = created.body.season.id;
  assert.equal(created.body.season.slots.length, 5);
  assert.equal(created.body.season.status, 'draft');
  const edited = await admin.patch(`/api/admin/seasons/${id}`, { label: 'Renamed <i>Season</i>', voting_window_seconds: 7200 });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.season.label, 'Renamed Season');
  assert.equal(edited.body.season.voting_window_seconds, 7200);
  const immutable = await admin.patch(`/api/admin/seasons/${id}`, { total_slots: 9 });
  assert.equal(immutable.status, 400);
  const unconfirmed = await admin.del(`/api/admin/seasons/${id}`, { confirm: 'nope' });
  assert.equal(unconfirmed.status, 400);
  assert.equal(unconfirmed.body.code, 'CONFIRMATION_REQUIRED');
  const deleted = await admin.del(`/api/admin/seasons/${id}`, { confirm: 'Renamed Season' });
  assert.equal(deleted.status, 200);
  assert.equal((await admin.get(`/api/admin/seasons/${id}`)).status, 404);
  const audit = await admin.get('/api/admin/audit-logs?limit=3');
  assert.deepEqual(audit.body.entries.map((e) => e.action), ['delete_season', 'edit_season', 'create_season']);
  assert.equal(audit.body.entries[0].admin_email, 'admin@example.com');
  assert.equal(audit.body.entries[0].resource_type, 'season');
  const next = await admin.get(`/api/admin/audit-logs?limit=3&cursor=${audit.body.nextCursor}`);
  assert.equal(next.status, 200);
  assert.ok(next.body.entries.every((e) => e.id < audit.body.entries[2].id));
});

test('users: search, rename, ban (refused everywhere) and admin toggle', async () => {
  const target = new Client(server.url);
  await target.login('target@example.com', 'target_user');
  const found = await admin.get('/api/admin/users?q=target');
  assert.equal(found.status, 200);
  const user = found.body.users.find((u) => u.email === 'target@example.com');
  assert.ok(user);
  const wildcard = await admin.get('/api/admin/users?q=%25');
  assert.equal(wildcard.body.users.length, 0);  // LIKE wildcards are literal

  const renamed = await admin.patch(`/api/admin/users/${user.id}`, { username: 'renamed_user' });
  assert.equal(renamed.body.user.username, 'renamed_user');
  const banned = await admin.patch(`/api/admin/users/${user.id}`, { is_banned: true });
  assert.equal(banned.body.user.is_banned, true);
  // The banned user's session is gone and signing in again is refused.
  assert.equal((await target.get('/api/auth/session')).body.authenticated, false);
  const again = new Client(server.url);
  const relogin = await again.post('/api/auth/dev-login', { email: 'target@example.com' });
  assert.equal(relogin.status, 403);
  assert.equal(relogin.body.code, 'ACCOUNT_BANNED');
  await admin.patch(`/api/admin/users/${user.id}`, { is_banned: false });
  await again.login('target@example.com');

  const promoted = await admin.patch(`/api/admin/users/${user.id}`, { is_admin: true });
  assert.equal(promoted.body.user.is_admin, true);
  assert.equal((await again.get('/api/admin/feature-flags')).status, 200);
  const self = (await admin.get('/api/auth/session')).body.user;
  const selfBan = await admin.patch(`/api/admin/users/${self.id}`, { is_banned: true });
  assert.equal(selfBan.status, 409);
});

test('feature flags: the six of the spec (plus power votes), toggled and public', async () => {
  const list = await admin.get('/api/admin/feature-flags');
  const keys = list.body.flags.map((f) => f.key).sort();
  assert.deepEqual(keys, ['multi_vote_enabled', 'power_votes_enabled', 'referral_system', 'require_auth_voting',
    'require_captcha_voting', 'spotlight_tour', 'vote_button_progress']);
  const toggled = await admin.post('/api/admin/feature-flags', { key: 'require_auth_voting', enabled: true });
  assert.equal(toggled.status, 200);
  assert.equal(toggled.body.flag.enabled, true);
  const pub = await new Client(server.url).get('/api/features');
  assert.equal(pub.body.features.require_auth_voting, true);
  const unknown = await admin.post('/api/admin/feature-flags', { key: 'nope', enabled: true });
  assert.equal(unknown.status, 404);
  await admin.post('/api/admin/feature-flags', { key: 'require_auth_voting', enabled: false });
});

test('clip moderation: list pending, edit, bulk approve and reject', async () => {
  const season = await admin.post('/api/admin/seasons', { label: 'Moderation', total_slots: 3 });
  await admin.post(`/api/admin/seasons/${season.body.season.id}/activate`);
  const ids = [1, 2, 3].map((i) => insertPendingClip(server.dataDir, `Pending ${i}`));
  const pending = await admin.get('/api/admin/clips?status=pending');
  assert.ok(ids.every((id) => pending.body.clips.some((c) => c.id === id)));
  const edited = await admin.patch(`/api/admin/clips/${ids[0]}`, { title: '<b>Better</b> title', genre: 'Horror' });
  assert.equal(edited.body.clip.title, 'Better title');
  assert.equal(edited.body.clip.genre, 'Horror');
  // The edit takes the same genres an upload does, "Other" included, and nothing else.
  assert.equal((await admin.patch(`/api/admin/clips/${ids[1]}`, { genre: 'Other' })).body.clip.genre, 'Other');
  const western = await admin.patch(`/api/admin/clips/${ids[1]}`, { genre: 'Western' });
  assert.equal(western.status, 400);
  assert.equal(western.body.details.field, 'genre');
  const bulk = await admin.post('/api/admin/bulk', { action: 'approve', clipIds: [ids[0], ids[1], 999999] });
  assert.equal(bulk.body.succeeded, 2);
  assert.equal(bulk.body.results[2].code, 'NOT_FOUND');
  const rejected = await admin.post('/api/admin/reject', { clipId: ids[2], reason: 'off-topic' });
  assert.equal(rejected.body.clip.status, 'rejected');
  const twice = await admin.post(`/api/admin/clips/${ids[2]}/approve`);
  assert.equal(twice.status, 409);
  // Rejected and pending clips are not public.
  assert.equal((await new Client(server.url).get(`/api/clip/${ids[2]}`)).status, 404);
  assert.equal((await new Client(server.url).get(`/api/clip/${ids[0]}`)).status, 200);
  const badBulk = await admin.post('/api/admin/bulk', { action: 'delete', clipIds: [1] });
  assert.equal(badBulk.status, 400);
});

test('admin grant and revoke through the CLI', async () => {
  const out = cli(server.dataDir, 'admin', 'grant', 'cli-made@example.com');
  assert.match(out, /granted admin: cli-made@example.com/);
  const c = new Client(server.url);
  await c.login('cli-made@example.com', 'cli_made');
  assert.equal((await c.get('/api/admin/seasons')).status, 200);
  cli(server.dataDir, 'admin', 'revoke', 'cli-made@example.com');
  assert.equal((await c.get('/api/admin/seasons')).status, 403);
});

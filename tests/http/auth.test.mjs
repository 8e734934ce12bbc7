import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './helpers.mjs';

let server;
before(async () => { server = await startServer({ args: ['--dev-login'] }); });
after(async () => { await server.stop(); });

test('dev login is absent unless the server runs with --dev-login', async () => {
  const plain = await startServer();
  try {
    const c = new Client(plain.url);
    const r = await c.post('/api/auth/dev-login', { email: 'a@example.com' });
    assert.equal(r.status, 404);
    assert.equal((await c.get('/api/auth/session')).body.devLoginEnabled, false);
  } finally {
    await plain.stop();
  }
});

test('mutations without a CSRF token are refused', async () => {
  const c = new Client(server.url);
  const r = await c.call('POST', '/api/auth/dev-login', { email: 'a@example.com' }, { 'x-csrf-token': '' });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'CSRF_INVALID');
  const forged = await c.call('POST', '/api/auth/dev-login', { email: 'a@example.com' }, { 'x-csrf-token': '9999999999999.abc.def' });
  assert.equal(forged.status, 403);
});

test('mutations from another origin are refused even with a token', async () => {
  const c = new Client(server.url, { origin: 'https://evil.example' });
  await c.refreshCsrf();
  const r = await c.post('/api/auth/dev-login', { email: 'a@example.com' });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'CSRF_ORIGIN');
  const noOrigin = new Client(server.url, { origin: null });
  await noOrigin.refreshCsrf();
  assert.equal((await noOrigin.post('/api/auth/dev-login', { email: 'a@example.com' })).status, 403);
  const fetchSite = await noOrigin.call('POST', '/api/auth/dev-login', { email: 'b@example.com' }, { 'sec-fetch-site': 'same-origin' });
  assert.equal(fetchSite.status, 200);
});

test('a token bound to one visitor does not work for another', async () => {
  const a = new Client(server.url);
  await a.login('owner@example.com', 'token_owner');
  const b = new Client(server.url);
  b.csrf = a.csrf;  // stolen token, different session
  const r = await b.post('/api/genre-vote', { genre: 'Comedy' });
  assert.equal(r.status, 403);
});

test('login sets an HttpOnly SameSite cookie and the session reports the user', async () => {
  const c = new Client(server.url);
  await c.refreshCsrf();
  const res = await c.raw('POST', '/api/auth/dev-login', {
    body: { email: 'Viewer@Example.com', username: 'viewer_1' },
    headers: { 'x-csrf-token': c.csrf },
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().find((s) => s.startsWith('aimoviez_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/);  // plain http on loopback
  const body = await res.json();
  c.csrf = body.csrfToken;
  const session = await c.get('/api/auth/session');
  assert.equal(session.body.authenticated, true);
  assert.equal(session.body.user.email, 'viewer@example.com');
  assert.equal(session.body.user.username, 'viewer_1');

  const out = await c.post('/api/auth/logout');
  assert.equal(out.status, 200);
  assert.equal((await c.get('/api/auth/session')).body.authenticated, false);
});

test('usernames are validated, sanitised and unique', async () => {
  const c = new Client(server.url);
  await c.login('names@example.com');
  assert.equal((await c.get('/api/auth/session')).body.needsUsername, true);
  const bad = await c.patch('/api/user/profile', { username: 'no' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'INVALID_USERNAME');
  assert.equal(bad.body.details.field, 'username');
  const good = await c.patch('/api/user/profile', { username: 'Fresh_Name' });
  assert.equal(good.status, 200);
  assert.equal(good.body.user.username, 'Fresh_Name');

  const other = new Client(server.url);
  await other.login('other@example.com');
  const taken = await other.patch('/api/user/profile', { username: 'fresh_name' });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.code, 'USERNAME_TAKEN');
  const check = await other.get('/api/user/check-username?username=fresh_name');
  assert.deepEqual(check.body, { available: false });
  const free = await other.get('/api/user/check-username?username=brand_new');
  assert.deepEqual(free.body, { available: true });
  const invalid = await other.get('/api/user/check-username?username=%3Cb%3E');
  assert.equal(invalid.body.available, false);
  assert.equal(invalid.body.code, 'INVALID_USERNAME');
});

test('profile routes need a session', async () => {
  const c = new Client(server.url);
  const r = await c.patch('/api/user/profile', { username: 'someone' });
  assert.equal(r.status, 401);
  assert.equal(r.body.code, 'AUTH_REQUIRED');
});

test('bad login input gets a 400 with a code', async () => {
  const c = new Client(server.url);
  const r = await c.post('/api/auth/dev-login', { email: 'not-an-email' });
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'INVALID_EMAIL');
  const wrongType = await c.post('/api/auth/dev-login', { email: 42 });
  assert.equal(wrongType.status, 400);
  assert.equal(wrongType.body.code, 'VALIDATION_ERROR');
});

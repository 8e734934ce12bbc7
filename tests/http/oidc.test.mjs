// Sign-in through a real OpenID provider (oidc-provider on loopback): the authorization code
// flow with PKCE, state and nonce end to end, and every way a callback is refused without a
// session. Also the session list, sign-out of one or all, and the sign-in rate limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tempDataDir, Client, sql, flagsSettled } from './helpers.mjs';
import { startProvider, loginAtProvider } from './oidc_provider.mjs';

let idp;
let server;

function writeConfig(dataDir, provider) {
  const path = join(dataDir, 'oidc.toml');
  writeFileSync(path, `[oidc.local]\nissuer = "${provider.issuer}"\nclient_id = "${provider.clientId}"\ndisplay_name = "Test SSO"\n`, { mode: 0o600 });
  return path;
}

async function startWithProvider(extraArgs = [], provider = idp) {
  const dataDir = tempDataDir();
  return startServer({
    dataDir,
    args: ['--config', writeConfig(dataDir, provider), ...extraArgs],
    env: { AIMOVIEZ_OIDC_LOCAL_CLIENT_SECRET: provider.clientSecret },
  });
}

before(async () => {
  idp = await startProvider();
  server = await startWithProvider(['--auth-rate-per-minute', '1000']);
  idp.register([`${server.url}/api/auth/callback/local`]);
});

after(async () => {
  await server?.stop();
  await idp?.close();
});

// Starts a sign-in in `client`, logs in at the provider as `login`; returns the callback path.
async function throughProvider(client, login, returnTo = '/', provider = idp) {
  const res = await client.raw('GET', `/api/auth/signin/local?returnTo=${encodeURIComponent(returnTo)}`);
  assert.equal(res.status, 302, await res.text());
  const location = res.headers.get('location');
  assert.ok(location.startsWith(`${provider.issuer}/`), location);
  const params = new URL(location).searchParams;
  assert.equal(params.get('code_challenge_method'), 'S256');
  assert.ok(params.get('state') && params.get('nonce') && params.get('code_challenge'));
  const callback = new URL(await loginAtProvider(location, login));
  return callback.pathname + callback.search;
}

async function finish(client, callbackPath) {
  const res = await client.raw('GET', callbackPath);
  assert.equal(res.status, 302);
  return res.headers.get('location');
}

function hasSession(client) {
  return client.cookies.has('aimoviez_session');
}

test('the login page learns the configured providers', async () => {
  const res = await new Client(server.url).get('/api/auth/providers');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.providers, [{ id: 'local', name: 'Test SSO' }]);
  assert.equal(res.body.devLoginEnabled, false);
});

test('a first sign-in creates the account and goes to onboarding; the next returns where it started', async () => {
  const client = new Client(server.url);
  const location = await finish(client, await throughProvider(client, 'alice', '/story?x=1'));
  assert.equal(location, '/onboarding?returnTo=%2Fstory%3Fx%3D1');
  assert.ok(hasSession(client));
  const session = await client.get('/api/auth/session');
  assert.equal(session.body.authenticated, true);
  assert.equal(session.body.needsUsername, true);
  assert.equal(session.body.user.email, 'alice@example.com');
  assert.equal(session.body.suggestedUsername, 'test_alice');  // from the provider's name claim
  // The provider's picture became our own 256×256 JPEG (the browser never loads the provider's URL).
  const avatar = session.body.user.avatar_url;
  assert.match(avatar, /^\/media\/thumbs\/[0-9a-f]{64}\.jpg$/);
  const image = await fetch(server.url + avatar);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/jpeg');
  const bytes = Buffer.from(await image.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.equal((await client.patch('/api/user/profile', { username: 'alice_oidc' })).status, 200);

  const again = new Client(server.url);
  assert.equal(await finish(again, await throughProvider(again, 'alice', '/story')), '/story');
  const second = await again.get('/api/auth/session');
  assert.equal(second.body.user.id, session.body.user.id);
  assert.equal(second.body.user.username, 'alice_oidc');
});

test('an invite link survives the round trip through the provider and credits the inviter', async () => {
  sql(server.dataDir, "UPDATE feature_flags SET enabled = TRUE WHERE key = 'referral_system'");
  const inviter = new Client(server.url);
  await finish(inviter, await throughProvider(inviter, 'inviter'));
  const code = await (async () => {
    for (let i = 0; ; ++i) {  // the flag cache refreshes within a second
      const r = await inviter.get('/api/referral');
      if (r.status === 200) return r.body.code;
      assert.ok(i < 30, JSON.stringify(r.body));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await flagsSettled(server);  // and on every node

  const invitee = new Client(server.url);
  await invitee.refreshCsrf();
  const landed = await invitee.raw('GET', `/join/${code}`);
  assert.equal(landed.headers.get('location'), `/login?invite=${code}`);
  assert.equal(await finish(invitee, await throughProvider(invitee, 'invitee')), '/onboarding');
  assert.equal(invitee.cookies.has('aimoviez_invite'), false, 'spent by the sign-in');
  for (let i = 0; ; ++i) {  // credited by the progression job within a second or two
    const r = await inviter.get('/api/referral');
    if (r.body.referrals === 1) break;
    assert.ok(i < 100, JSON.stringify(r.body));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const me = (await invitee.get('/api/auth/session')).body.user;
  assert.equal(sql(server.dataDir, `SELECT status FROM referrals WHERE referred_id = ${me.id}`), 'credited');
  sql(server.dataDir, "UPDATE feature_flags SET enabled = FALSE WHERE key = 'referral_system'");
});

test('a sign-in replaces the session the browser had', async () => {
  const client = new Client(server.url);
  await finish(client, await throughProvider(client, 'rotating'));
  const first = client.cookies.get('aimoviez_session');
  await finish(client, await throughProvider(client, 'rotating'));
  const second = client.cookies.get('aimoviez_session');
  assert.notEqual(first, second);
  const stale = new Client(server.url);
  stale.cookies.set('aimoviez_session', first);
  assert.equal((await stale.get('/api/auth/session')).body.authenticated, false);
});

test('a tampered state is refused without a session', async () => {
  const client = new Client(server.url);
  const callback = await throughProvider(client, 'mallory');
  const tampered = callback.replace(/state=([^&]+)/, (m, s) => `state=${s.slice(0, -2)}xx`);
  assert.equal(await finish(client, tampered), '/login?error=OIDC_STATE_MISMATCH');
  assert.ok(!hasSession(client));
});

test('a callback in a browser that did not start the sign-in is refused', async () => {
  const starter = new Client(server.url);
  const callback = await throughProvider(starter, 'victim');
  const other = new Client(server.url);
  assert.equal(await finish(other, callback), '/login?error=OIDC_STATE_MISMATCH');
  assert.ok(!hasSession(other));
});

test('a replayed authorization code is refused', async () => {
  const client = new Client(server.url);
  const callback = await throughProvider(client, 'bob');
  const pending = client.cookies.get('aimoviez_oidc');
  assert.equal(await finish(client, callback), '/onboarding');
  // An attacker holding the callback URL and the pending cookie replays both.
  const replay = new Client(server.url);
  replay.cookies.set('aimoviez_oidc', pending);
  assert.equal(await finish(replay, callback), '/login?error=OIDC_CODE_REJECTED');
  assert.ok(!hasSession(replay));
});

test('a provider that declines answers with its error, not a session', async () => {
  const client = new Client(server.url);
  const res = await client.raw('GET', '/api/auth/callback/local?error=access_denied&state=x');
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/login?error=OIDC_PROVIDER_DENIED');
  assert.ok(!hasSession(client));
});

for (const [name, code, tamper] of [
  ['a wrong nonce', 'OIDC_NONCE_MISMATCH', (t) => idp.resign(t, { nonce: 'someone-elses-nonce' })],
  ['an expired ID token', 'OIDC_TOKEN_EXPIRED',
    (t) => idp.resign(t, { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 })],
  ['a wrong audience', 'OIDC_AUDIENCE_MISMATCH', (t) => idp.resign(t, { aud: 'another-client' })],
  ['another issuer', 'OIDC_ISSUER_MISMATCH', (t) => idp.resign(t, { iss: 'https://evil.example' })],
  ['a token signed by an unknown key', 'OIDC_UNKNOWN_KEY',
    async (t) => idp.resign(t, {}, { key: await idp.strangerKey(), kid: 'stranger' })],
  ["a stranger's key under the provider's key id", 'OIDC_SIGNATURE_INVALID',
    async (t) => idp.resign(t, {}, { key: await idp.strangerKey() })],
  ['an unsigned token', 'OIDC_INVALID_TOKEN', (t) => {
    const [, payload] = t.split('.');
    return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
  }],
]) {
  test(`${name} is refused with ${code} and no session`, async () => {
    const client = new Client(server.url);
    const callback = await throughProvider(client, 'eve');
    idp.setTamper(tamper);
    try {
      assert.equal(await finish(client, callback), `/login?error=${code}`);
    } finally {
      idp.setTamper(null);
    }
    assert.ok(!hasSession(client));
    assert.equal((await client.get('/api/auth/session')).body.authenticated, false);
  });
}

test('returnTo must stay on this site', async () => {
  const client = new Client(server.url);
  for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
    const res = await client.get(`/api/auth/signin/local?returnTo=${encodeURIComponent(target)}`);
    assert.equal(res.status, 400, target);
    assert.equal(res.body.code, 'INVALID_RETURN_TO');
  }
  assert.ok(!client.cookies.has('aimoviez_oidc'));
  assert.equal((await client.get('/api/auth/signin/nowhere')).status, 404);
});

test('sessions are listed with their device and can be ended one by one or all at once', async () => {
  const phone = new Client(server.url, { userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile Safari/537.36' });
  const laptop = new Client(server.url, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });
  await finish(phone, await throughProvider(phone, 'carol'));
  await finish(laptop, await throughProvider(laptop, 'carol'));
  const list = await laptop.get('/api/auth/sessions');
  assert.equal(list.status, 200);
  assert.equal(list.body.sessions.length, 2);
  const current = list.body.sessions.find((s) => s.current);
  const other = list.body.sessions.find((s) => !s.current);
  assert.equal(current.device, 'Firefox on Linux');
  assert.equal(other.device, 'Chrome on Android');
  assert.equal(list.body.identities[0].issuer, idp.issuer);

  assert.equal((await laptop.call('DELETE', `/api/auth/sessions/${other.id}`)).status, 200);
  assert.equal((await phone.get('/api/auth/session')).body.authenticated, false);
  assert.equal((await laptop.call('DELETE', `/api/auth/sessions/${other.id}`)).status, 404);

  await finish(phone, await throughProvider(phone, 'carol'));
  const out = await laptop.post('/api/auth/logout-all');
  assert.equal(out.status, 200);
  assert.equal(out.body.ended, 2);
  assert.equal((await phone.get('/api/auth/session')).body.authenticated, false);
  assert.equal((await laptop.get('/api/auth/session')).body.authenticated, false);
  // Someone else's session id is not found, and the list needs a session.
  assert.equal((await laptop.get('/api/auth/sessions')).status, 401);
});

test('the sixth sign-in attempt in a minute from one address gets 429 with Retry-After', async () => {
  const limited = await startWithProvider();
  try {
    const client = new Client(limited.url);
    for (let i = 1; i <= 5; i++) {
      const res = await client.raw('GET', '/api/auth/signin/local');
      assert.equal(res.status, 302, `attempt ${i}`);
      assert.equal(res.headers.get('x-ratelimit-limit'), '5');
      assert.equal(res.headers.get('x-ratelimit-remaining'), String(5 - i));
    }
    const refused = await client.raw('GET', '/api/auth/signin/local');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal((await refused.json()).code, 'RATE_LIMITED');
  } finally {
    await limited.stop();
  }
});

test('a provider that offers only client_secret_post gets the secret in the form', async () => {
  const postOnly = await startProvider({ authMethod: 'client_secret_post' });
  const srv = await startWithProvider(['--auth-rate-per-minute', '1000'], postOnly);
  postOnly.register([`${srv.url}/api/auth/callback/local`]);
  try {
    const client = new Client(srv.url);
    assert.equal(await finish(client, await throughProvider(client, 'frank', '/', postOnly)), '/onboarding');
    assert.equal((await client.get('/api/auth/session')).body.user.email, 'frank@example.com');
  } finally {
    await srv.stop();
    await postOnly.close();
  }
});

test('discovery over https with a certificate the system does not trust is refused', async () => {
  const work = mkdtempSync(join(tmpdir(), 'oidc-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')],
  { stdio: 'ignore' });
  let discoveryServed = false;
  const https = createHttpsServer({ key: readFileSync(join(work, 'key.pem')), cert: readFileSync(join(work, 'cert.pem')) }, (req, res) => {
    discoveryServed = true;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  https.listen(0, '127.0.0.1');
  await once(https, 'listening');
  const impostor = { issuer: `https://127.0.0.1:${https.address().port}`, clientId: 'x', clientSecret: 'y' };
  const srv = await startWithProvider([], impostor);
  try {
    const res = await new Client(srv.url).get('/api/auth/signin/local');
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 'OIDC_PROVIDER_UNAVAILABLE');
    assert.equal(discoveryServed, false, 'no request is sent over an unverified connection');
  } finally {
    await srv.stop();
    https.close();
    rmSync(work, { recursive: true, force: true });
  }
});

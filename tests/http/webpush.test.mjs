// Web Push end to end: a push service on loopback (as a browser vendor runs one) checks the
// VAPID JWT's ES256 signature against the served public key and decrypts the aes128gcm payload
// with the npm package http_ece and the subscription's private key — an implementation
// independent of the server's. An admin approving the creator's clip makes the push arrive; a
// 503 is retried; a 410 removes the subscription.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createECDH, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import ece from 'http_ece';
import { importJWK, jwtVerify } from 'jose';
import { startServer, Client, adminClient, seasonWithClips, insertPendingClip, sql } from './helpers.mjs';

let server, admin, creator, push;

// A minimal push service: remembers every request; answers with the next queued status (201
// when none is queued).
async function startPushService() {
  const received = [];
  const statuses = [];
  const waiters = [];
  const http = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 201;
      const message = { path: req.url, headers: req.headers, body: Buffer.concat(chunks), status };
      received.push(message);
      waiters.splice(0).forEach((w) => w());
      res.writeHead(status).end();
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const origin = `http://127.0.0.1:${http.address().port}`;
  return {
    origin,
    received,
    answerNext: (...s) => statuses.push(...s),
    async next(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`push service got ${received.length} of ${count} requests`);
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 200); });
      }
      return received[count - 1];
    },
    close: () => new Promise((resolve) => http.close(resolve)),
  };
}

function newBrowserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

// What a browser does with a push: check who sent it, then open it.
async function openPush(message, keys, vapidKey) {
  const [scheme, params] = [message.headers.authorization.slice(0, 6), message.headers.authorization.slice(6)];
  assert.equal(scheme, 'vapid ');
  const fields = Object.fromEntries(params.split(',').map((p) => p.trim().split('=')));
  assert.equal(fields.k, vapidKey, 'the k parameter is the served VAPID key');
  const point = Buffer.from(vapidKey, 'base64url');
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, 'ES256');
  const { payload: claims } = await jwtVerify(fields.t, key, { audience: push.origin, algorithms: ['ES256'] });
  assert.match(claims.sub, /^(mailto|https):/);
  assert.ok(claims.exp > Date.now() / 1000 && claims.exp <= Date.now() / 1000 + 24 * 3600, 'exp within a day (RFC 8292)');
  assert.equal(message.headers['content-encoding'], 'aes128gcm');
  assert.ok(Number(message.headers.ttl) > 0);
  const plain = ece.decrypt(message.body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.auth });
  return JSON.parse(plain.toString('utf8'));
}

before(async () => {
  push = await startPushService();
  server = await startServer({ args: ['--dev-login', '--push-allow-loopback-endpoints', 'true', '--push-retry-base-seconds', '1'] });
  admin = await adminClient(server);
  await seasonWithClips(server, admin, 1);
  creator = new Client(server.url);
  const { user } = await creator.login('pushed@example.com', 'pushed');
  creator.user = user;
});

after(async () => {
  await server?.stop();
  await push?.close();
});

test('an approval arrives as an encrypted, VAPID-signed push; a 503 is retried', async () => {
  const vapid = await creator.get('/api/notifications/vapid-key');
  assert.equal(vapid.status, 200);
  assert.equal(Buffer.from(vapid.body.publicKey, 'base64url').length, 65);
  const keys = newBrowserKeys();
  const sub = await creator.post('/api/notifications/subscribe', { endpoint: `${push.origin}/push/one`, keys: { p256dh: keys.p256dh, auth: keys.auth } });
  assert.equal(sub.status, 201, JSON.stringify(sub.body));

  push.answerNext(503);
  const clip = insertPendingClip(server.dataDir, 'Pushed Harbour', creator.user.id);
  assert.equal((await admin.post(`/api/admin/clips/${clip}/approve`)).status, 200);
  // The approval and its badge are two notifications; the first attempt is refused and retried.
  await push.next(3);
  const messages = [];
  for (const m of push.received.slice(0, 3)) messages.push({ status: m.status, m, n: await openPush(m, keys, vapid.body.publicKey) });
  assert.equal(messages[0].status, 503);
  assert.ok(messages.slice(1).some((x) => x.status === 201 && x.n.id === messages[0].n.id), 'the refused push is sent again');
  const delivered = messages.filter((x) => x.status === 201);
  assert.ok(delivered.every((x) => x.m.path === '/push/one'));
  const byType = Object.fromEntries(delivered.map((x) => [x.n.type, x.n]));
  assert.deepEqual(Object.keys(byType).sort(), ['achievement', 'clip_approved']);
  assert.equal(byType.clip_approved.title, 'Your clip is in the vote');
  assert.match(byType.clip_approved.body, /Pushed Harbour/);
  assert.equal(byType.clip_approved.link, '/profile?tab=clips');
  assert.ok(delivered.every((x) => x.m.headers.urgency === 'normal'));
  assert.equal(byType.achievement.type, 'achievement');
});

test('a 410 from the push service removes the subscription', async () => {
  const keys = newBrowserKeys();
  const endpoint = `${push.origin}/push/gone`;
  assert.equal((await creator.post('/api/notifications/subscribe', { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } })).status, 201);
  const before = push.received.length;
  push.answerNext(410, 410);
  const clip = insertPendingClip(server.dataDir, 'Gone clip', creator.user.id);
  assert.equal((await admin.post(`/api/admin/clips/${clip}/reject`, { reason: 'x' })).status, 200);
  const answered = [];
  for (let n = before + 1; answered.every((m) => m.path !== '/push/gone'); ++n) answered.push(await push.next(n));
  const deadline = Date.now() + 10_000;
  while (Number(sql(server.dataDir, `SELECT COUNT(*) FROM push_subscriptions WHERE endpoint = '${endpoint}'`)) !== 0) {
    assert.ok(Date.now() < deadline, 'the subscription was not removed after 410');
    await new Promise((r) => setTimeout(r, 100));
  }
});

test('subscriptions are checked: endpoint, keys, owner', async () => {
  const keys = newBrowserKeys();
  const cases = [
    [{ endpoint: 'https://10.0.0.7/push', keys }, 'INVALID_PUSH_ENDPOINT'],
    [{ endpoint: 'http://push.example.net/x', keys }, 'INVALID_PUSH_ENDPOINT'],
    [{ endpoint: 'https://169.254.169.254/latest', keys }, 'INVALID_PUSH_ENDPOINT'],
    [{ endpoint: `${push.origin}/push/x`, keys: { p256dh: 'AAAA', auth: keys.auth } }, 'INVALID_PUSH_KEYS'],
    [{ endpoint: `${push.origin}/push/x`, keys: { p256dh: keys.p256dh, auth: 'AAAA' } }, 'INVALID_PUSH_KEYS'],
    [{ endpoint: `${push.origin}/push/x` }, 'VALIDATION_ERROR'],
  ];
  for (const [body, code] of cases) {
    const r = await creator.post('/api/notifications/subscribe', { ...body, keys: body.keys && { p256dh: body.keys.p256dh, auth: body.keys.auth } });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, code, JSON.stringify(body));
  }
  assert.equal((await new Client(server.url).post('/api/notifications/subscribe', { endpoint: `${push.origin}/push/x`, keys: { p256dh: keys.p256dh, auth: keys.auth } })).status, 401);
  const endpoint = `${push.origin}/push/mine`;
  assert.equal((await creator.post('/api/notifications/subscribe', { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } })).status, 201);
  const stranger = new Client(server.url);
  await stranger.login('stranger@example.com', 'stranger');
  assert.equal((await stranger.post('/api/notifications/unsubscribe', { endpoint })).status, 404, 'only the owner unsubscribes');
  assert.equal((await creator.post('/api/notifications/unsubscribe', { endpoint })).status, 200);
  assert.equal((await creator.post('/api/notifications/unsubscribe', { endpoint })).status, 404);
});

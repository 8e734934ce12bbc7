import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, metricValue, scrapeMetrics } from './helpers.mjs';

let server, client;
before(async () => { server = await startServer(); client = new Client(server.url); });
after(async () => { await server.stop(); });

test('health endpoints answer', async () => {
  for (const path of ['/api/health', '/healthz', '/readyz']) {
    const r = await client.get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.body.status, 'ok');
  }
});

test('every response carries the security headers and a request id', async () => {
  const r = await client.get('/api/health');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  const echoed = await client.raw('GET', '/api/health', { headers: { 'x-request-id': 'trace-123' } });
  assert.equal(echoed.headers.get('x-request-id'), 'trace-123');
});

test('metrics are exposed in Prometheus text format', async () => {
  await client.get('/api/story');
  const res = await fetch(server.directUrl + '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/plain/);
  const text = (await scrapeMetrics(server)).join('\n');
  assert.match(text, /aimoviez_http_requests_total\{.*route="\/api\/story".*\} \d+/);
  assert.match(text, /aimoviez_http_request_duration_seconds_bucket/);
});

test('request counters count each (method, route, status) on its own series', async () => {
  const count = (method, route, status) => metricValue(server, 'aimoviez_http_requests_total',
    [`method="${method}"`, `route="${route}"`, `status="${status}"`]);
  const stories = await count('GET', '/api/story', 200);
  const clips404 = await count('GET', '/api/clip/{id}', 404);
  const unmatched = await count('GET', 'unmatched', 404);
  // Spread over several keep-alive connections, so both HTTP threads answer some.
  await Promise.all(Array.from({ length: 6 }, () => client.get('/api/story')));
  await Promise.all(Array.from({ length: 4 }, () => client.get('/api/clip/999999')));
  await Promise.all(Array.from({ length: 3 }, () => client.get('/api/nope')));
  assert.equal(await count('GET', '/api/story', 200), stories + 6);
  assert.equal(await count('GET', '/api/clip/{id}', 404), clips404 + 4);
  assert.equal(await count('GET', 'unmatched', 404), unmatched + 3);
});

test('unknown routes and wrong methods get the error shape', async () => {
  const missing = await client.get('/api/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'NOT_FOUND');
  assert.equal(typeof missing.body.error, 'string');
  const wrong = await client.raw('PUT', '/api/story', { body: {} });
  assert.equal(wrong.status, 405);
  assert.equal((await wrong.json()).code, 'METHOD_NOT_ALLOWED');
  // The same for a route with a parameter, and one segment too many is unknown.
  const wrongParam = await client.raw('PUT', '/api/clip/1', { body: {} });
  assert.equal(wrongParam.status, 405);
  assert.equal((await client.get('/api/clip/1/extra')).status, 404);
  // HEAD is answered by the GET route, without a body.
  const head = await fetch(server.url + '/api/story', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal((await head.text()).length, 0);
});

test('the OpenAPI document is served at /docs', async () => {
  const page = await fetch(server.url + '/docs');
  assert.equal(page.status, 200);
  const doc = await fetch(server.url + '/docs/openapi.yaml');
  assert.equal(doc.status, 200);
  const text = await doc.text();
  assert.match(text, /^openapi: 3/m);
  for (const path of ['/api/story', '/api/admin/seasons', '/api/auth/dev-login', '/api/genre-vote', '/api/vote', '/api/leaderboard/clips', '/api/profile/stats']) {
    assert.ok(text.includes(`${path}:`), `openapi documents ${path}`);
  }
});

test('malformed HTTP is refused with 400 and the error shape', async () => {
  const net = await import('node:net');
  const { hostname, port } = new URL(server.directUrl);
  const reply = await new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, () => sock.write('GARBAGE\r\n\r\n'));
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('close', () => resolve(data));
  });
  assert.match(reply, /^HTTP\/1\.1 400/);
  assert.match(reply, /"code":"BAD_REQUEST"/);
});

test('a request with more than 100 header fields is refused with 431', async () => {
  const net = await import('node:net');
  const { hostname, port } = new URL(server.directUrl);
  const send = (fields) => new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, () => {
      const extra = Array.from({ length: fields }, (_, i) => `x-f${i}: ${i}\r\n`).join('');
      sock.write(`GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`);
    });
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('error', () => {});
    sock.on('close', () => resolve(data));
  });
  assert.match(await send(98), /^HTTP\/1\.1 200/, '100 fields in all (with Host and Connection) are served');
  const refused = await send(99);
  assert.match(refused, /^HTTP\/1\.1 431/);
  assert.match(refused, /"code":"HEADERS_TOO_LARGE"/);
});

test('connections that send nothing, or stop mid-request, are cut after the read timeout', async () => {
  const net = await import('node:net');
  // 2 s, not 1: the keep-alive client below sends every 600 ms, and a timer of a loaded test
  // process firing late must not look like a silent client.
  const other = await startServer({ args: ['--read-timeout-seconds', '2', '--threads', '2'] });
  const { hostname, port } = new URL(other.directUrl);
  try {
    // Resolves with how long the server kept the connection open and what it sent.
    const openFor = (firstBytes) => new Promise((resolve) => {
      const started = Date.now();
      let data = '';
      const sock = net.connect(Number(port), hostname, () => { if (firstBytes) sock.write(firstBytes); });
      sock.on('data', (d) => { data += d; });
      sock.on('error', () => {});
      const limit = setTimeout(() => { sock.destroy(); resolve({ ms: Infinity, data }); }, 10000);
      sock.on('close', () => { clearTimeout(limit); resolve({ ms: Date.now() - started, data }); });
    });
    const [silent, halfHeader, halfBody] = await Promise.all([
      openFor(''),
      openFor('GET /api/health HTTP/1.1\r\nHost: x\r\n'),
      openFor('POST /api/vote HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"clip'),
    ]);
    for (const [name, r] of Object.entries({ silent, halfHeader, halfBody })) {
      assert.ok(r.ms >= 1900 && r.ms < 10000, `${name}: open for ${r.ms} ms with a 2 s read timeout`);
      assert.equal(r.data, '', `${name}: nothing is answered to an unfinished request`);
    }

    // A keep-alive connection that keeps sending whole requests is never cut: each request
    // starts a new read period.
    const answers = await new Promise((resolve, reject) => {
      const sock = net.connect(Number(port), hostname);
      let data = '';
      let sent = 0;
      sock.on('data', (d) => { data += d; });
      sock.on('error', reject);
      sock.on('close', () => reject(new Error(`cut after ${sent} requests`)));
      const send = () => {
        sock.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
        if (++sent === 6) {
          setTimeout(() => { sock.removeAllListeners('close'); sock.destroy(); resolve(data); }, 300);
        } else {
          setTimeout(send, 600);
        }
      };
      sock.on('connect', send);
    });
    assert.equal(answers.match(/HTTP\/1\.1 200/g)?.length, 6);
  } finally {
    await other.stop();
  }
});

test('SIGTERM drains and exits cleanly', async () => {
  const other = await startServer();
  const code = await other.stop();
  assert.equal(code, 0);
});

test('SIGTERM with requests still arriving when the drain period ends exits cleanly', async () => {
  // Each HTTP thread has its own connections; these are cut when the drain period ends, and the
  // server must then stop without touching a thread's state that is already gone.
  const net = await import('node:net');
  const other = await startServer({ args: ['--drain-seconds', '1', '--threads', '2'] });
  const { hostname, port } = new URL(other.directUrl);
  // Each connection sends a whole request and, in the same write, the start of a second whose
  // header never ends. Once the first answer is in, the server is known to hold the half-sent
  // request (a connection it had not read from yet would count as idle and close at once).
  const sockets = await Promise.all(Array.from({ length: 6 }, () => new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, () => {
      sock.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/health HTTP/1.1\r\nHost: x\r\n');
    });
    let data = '';
    sock.on('data', (d) => { data += d; if (data.includes('\r\n\r\n')) resolve(sock); });
    sock.on('error', () => {});
  })));
  const started = Date.now();
  const code = await other.stop();
  assert.equal(code, 0, other.stderr());
  assert.ok(Date.now() - started >= 900, 'the half-sent requests were given the drain period');
  for (const sock of sockets) sock.destroy();
});

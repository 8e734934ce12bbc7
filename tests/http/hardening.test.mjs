// Hardening (issue 19), each a symptom that was measured or found in the code: the metrics page
// grown by invented methods, unprocessed uploads served through an unnormalised path, a request
// path breaking the JSON access log, and files readable by other users.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { startServer, Client, tempDataDir, BIN, EMBEDDED_ONLY } from './helpers.mjs';

let server;
before(async () => { server = await startServer({ args: ['--dev-login'] }); });
after(async () => { await server.stop(); });

// A request with a path exactly as given (fetch would normalise "/./" away).
function rawGet(path) {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
  });
}

// Straight to a serving process: a balancer would refuse such a request itself.
function rawRequest(text) {
  const { port } = new URL(server.directUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (d) => { data += d; });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });
}

test('invented HTTP methods add no metric series', async () => {
  const invent = (i) => rawRequest(`INVENTED${i} /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  // The first one creates the series all of them share (and the first look at /metrics its own).
  await invent('first');
  await fetch(server.directUrl + '/metrics');
  const before = (await (await fetch(server.directUrl + '/metrics')).text()).length;
  for (let i = 0; i < 200; ++i) {
    await rawRequest(`INVENTED${i} /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  }
  const text = await (await fetch(server.directUrl + '/metrics')).text();
  assert.equal(/INVENTED/.test(text), false);
  assert.ok(text.length < before + 200, `the metrics page grew from ${before} to ${text.length} bytes`);
  assert.match(text, /method="OTHER"/);
});

test('an upload original is refused however its path is spelled', async () => {
  const creator = new Client(server.url);
  await creator.login('spelling@example.com', 'path_speller');
  const q = new URLSearchParams({ filename: 'a.mp4', contentType: 'video/mp4', size: '4' });
  const s = await creator.call('GET', `/api/upload/signed-url?${q}`, undefined, { 'x-csrf-token': creator.csrf, origin: creator.origin });
  assert.equal(s.status, 200);
  const put = await fetch(server.url + s.body.uploadUrl, { method: 'PUT', body: 'abcd', headers: { 'content-type': 'video/mp4' } });
  assert.equal(put.status, 200);
  for (const path of [`/media/${s.body.key}`, `/media//${s.body.key}`, `/media/./${s.body.key}`,
    `/media/.//./${s.body.key}`, `/media/%2e/${s.body.key}`, `/media/clips/../${s.body.key}`]) {
    assert.equal(await rawGet(path), 404, path);
  }
});

test('a quote and a newline in the path still make one valid JSON log line', async () => {
  await rawRequest('GET /api/x%22%0a%7b%22forged%22:1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  await new Promise((r) => setTimeout(r, 100));
  const lines = server.stderr().split('\n').filter((l) => l.includes('"msg":"request"'));
  assert.ok(lines.length > 0);
  const entries = lines.map((l) => JSON.parse(l.slice(l.indexOf('{'))));
  const logged = entries.find((e) => e.path?.startsWith('/api/x"'));
  assert.ok(logged, 'the request was logged');
  assert.equal(logged.path, '/api/x"\n{"forged":1');
  assert.equal(entries.some((e) => e.forged !== undefined), false);
});

test('the data directory, database and secret are readable by the owner only', async () => {
  const dataDir = join(tempDataDir(), 'fresh');
  const other = await startServer({ dataDir });
  try {
    const mode = (p) => (statSync(p).mode & 0o777).toString(8);
    assert.equal(mode(dataDir), '700');
    assert.equal(mode(join(dataDir, 'media')), '700');
    if (!other.databaseUrl) assert.equal(mode(join(dataDir, 'aimoviez.db')), '600');  // else in PostgreSQL
    assert.equal(mode(join(dataDir, 'server.secret')), '600');
  } finally {
    await other.stop();
  }
});

// A descriptor limit of 64 and 120 clients: the server caps its open connections below what its
// descriptors allow (the rest wait in the listen backlog), so it never runs out in the middle of
// serving; it logs the pause once and serves again once the clients go. (Before the cap, accept
// failed with EMFILE; the sanitizer build could not even report that: UBSan's own check of a
// vptr needs a pipe, and died with a false "invalid vptr" in Boost.System.)
test('out of file descriptors, the server pauses accepting instead of failing, and recovers', { skip: EMBEDDED_ONLY }, async () => {
  const { spawn } = await import('node:child_process');
  const dataDir = tempDataDir();
  const proc = spawn('prlimit', ['--nofile=64', '--', BIN, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0',
    '--job-interval-seconds', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 4e6) stderr = stderr.slice(-2e6); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/\S+)/); if (m) resolve(m[1]); });
    proc.on('exit', (c) => reject(new Error(`server exited ${c}: ${stderr}`)));
  });
  const { port } = new URL(url);
  const held = [];
  try {
    for (let i = 0; i < 120; i++) {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      held.push(socket);
    }
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((stderr.match(/connection limit reached/g) ?? []).length, 1, stderr.slice(-2000));
    assert.doesNotMatch(stderr, /accept failing|runtime error|Too many open files/);
    assert.equal(proc.exitCode, null, 'still running');
    for (const socket of held) socket.destroy();
    held.length = 0;
    let healthy = false;
    for (let i = 0; i < 50 && !healthy; i++) {
      try {
        healthy = (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) })).status === 200;
      } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    assert.ok(healthy, 'serves again once the clients are gone');
    assert.doesNotMatch(stderr, /runtime error/);
  } finally {
    for (const socket of held) socket.destroy();
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// Behind a balancer a node's peer is the balancer, whose pooled connections share one address:
// there the balancer caps each client (docs/DEPLOYMENT.md), so this runs in the embedded pass.
test('one address holds at most max_connections_per_ip connections, WebSockets included', { skip: EMBEDDED_ONLY }, async () => {
  const capped = await startServer({ args: ['--max-connections-per-ip', '4'] });
  const port = Number(new URL(capped.directUrl).port);
  const connect = () => new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
  // Answers on a connection, or null when the server closed it unanswered.
  const ask = (socket) => new Promise((resolve) => {
    let data = '';
    socket.on('data', (d) => { data += d; if (data.includes('\r\n\r\n')) resolve(data.split('\r\n')[0]); });
    socket.on('close', () => resolve(data ? data.split('\r\n')[0] : null));
    socket.on('error', () => {});
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  try {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(capped.directUrl.replace(/^http/, 'ws') + '/ws', { origin: capped.directUrl });
    await once(ws, 'open');
    const held = [await connect(), await connect(), await connect()];
    for (const socket of held) assert.equal(await ask(socket), 'HTTP/1.1 200 OK');
    // The fifth (with the WebSocket) is closed at once, unanswered.
    assert.equal(await ask(await connect()), null);
    const metrics = await (await fetch(`${capped.directUrl}/metrics`).catch(() => null))?.text();
    assert.equal(metrics, undefined, 'even /metrics is refused while the address is full');
    // A place comes back when a connection closes (here the WebSocket).
    ws.close();
    await once(ws, 'close');
    let answered = null;
    for (let i = 0; i < 50 && answered === null; ++i) {
      answered = await ask(await connect());
      if (answered === null) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(answered, 'HTTP/1.1 200 OK');
    for (const socket of held) socket.destroy();
    let refused = 0;
    for (let i = 0; i < 50 && refused === 0; ++i) {
      const text = await (await fetch(`${capped.directUrl}/metrics`)).text();
      refused = Number(text.match(/^aimoviez_http_connections_refused_total (\d+)/m)?.[1] ?? 0);
    }
    assert.ok(refused >= 2, `refused connections counted: ${refused}`);
  } finally {
    await capped.stop();
  }
});

// An upload refused before its body is read (forged or expired signature, declared size over the
// signed one) or in the middle of it (over the limit while streaming) must still reach the client
// as the answer, not as a connection reset: the server answers, then keeps reading and discarding
// what the client still sends (a bounded "lingering close") before it closes. These drive Node's
// own fetch, as the web app and scripts do, many times each: one reset in thirty is a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client } from './helpers.mjs';

let server, creator, signedBeforeRestart;
const MB = 1024 * 1024;
const ROUNDS = 30;

async function sign(client, size) {
  const q = new URLSearchParams({ filename: 'clip.mp4', contentType: 'video/mp4', size: String(size) });
  const r = await client.call('GET', `/api/upload/signed-url?${q}`, undefined, { 'x-csrf-token': client.csrf, origin: client.origin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.uploadUrl;
}

// PUTs `body` with fetch and returns what the client could read: the status and JSON code, or
// the network error that replaced them.
async function putWithFetch(url, body, init = {}) {
  try {
    const r = await fetch(server.url + url, { method: 'PUT', body, headers: { 'content-type': 'video/mp4' }, ...init });
    const json = await r.json();
    return `${r.status} ${json.code}`;
  } catch (e) {
    return `network error: ${e.cause?.code ?? e.message}`;
  }
}

async function repeatedly(url, body, expected) {
  const outcomes = [];
  for (let i = 0; i < ROUNDS; ++i) outcomes.push(await putWithFetch(url, body));
  assert.deepEqual(outcomes, Array(ROUNDS).fill(expected));
}

before(async () => {
  server = await startServer({ args: ['--dev-login'] });
  creator = new Client(server.url);
  await creator.login('refused@example.com', 'refused_creator');
  signedBeforeRestart = await sign(creator, 1000);
  // An hour later (the clock moved ahead) the URL has expired.
  await server.stop({ keepData: true });
  server = await startServer({ dataDir: server.dataDir, args: ['--dev-login', '--clock-offset-seconds', '3600'] });
  creator = new Client(server.url);
  await creator.login('refused@example.com');
});
after(async () => { await server.stop(); });

for (const size of [1 * MB, 8 * MB]) {
  const body = Buffer.alloc(size, 7);
  test(`a forged signature: the 403 is read ${ROUNDS} of ${ROUNDS} times with a ${size / MB} MB body`, async () => {
    const forged = signedBeforeRestart.replace(/sig=([0-9a-f])/, (m, ch) => `sig=${ch === 'a' ? 'b' : 'a'}`);
    await repeatedly(forged, body, '403 UPLOAD_SIGNATURE_INVALID');
  });

  test(`an expired URL: the 403 is read ${ROUNDS} of ${ROUNDS} times with a ${size / MB} MB body`, async () => {
    await repeatedly(signedBeforeRestart, body, '403 UPLOAD_EXPIRED');
  });

  test(`a declared length over the signed size: the 413 is read ${ROUNDS} of ${ROUNDS} times with a ${size / MB} MB body`, async () => {
    const url = await sign(creator, 1000);
    await repeatedly(url, body, '413 TOO_LARGE');
  });
}

test('a streamed body that passes the signed size mid-way: the 413 is read every time', async () => {
  const url = await sign(creator, 1 * MB);
  const outcomes = [];
  for (let i = 0; i < ROUNDS; ++i) {
    // A stream has no declared length: fetch sends it chunked and the limit trips while reading.
    const chunk = new Uint8Array(256 * 1024).fill(3);
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent >= 8 * MB) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    outcomes.push(await putWithFetch(url, stream, { duplex: 'half' }));
  }
  assert.deepEqual(outcomes, Array(ROUNDS).fill('413 TOO_LARGE'));
});

test('a client that sends slowly still reads the refusal', async () => {
  const forged = signedBeforeRestart.replace(/sig=([0-9a-f])/, (m, ch) => `sig=${ch === 'a' ? 'b' : 'a'}`);
  const outcomes = [];
  for (let i = 0; i < 5; ++i) {
    // 1 MB in 16 pieces, one every 50 ms: the answer comes long before the body is sent.
    const piece = new Uint8Array(64 * 1024).fill(1);
    let pieces = 0;
    const stream = new ReadableStream({
      async pull(controller) {
        if (pieces++ >= 16) return controller.close();
        await new Promise((r) => setTimeout(r, 50));
        controller.enqueue(piece);
      },
    });
    outcomes.push(await putWithFetch(forged, stream, { duplex: 'half' }));
  }
  assert.deepEqual(outcomes, Array(5).fill('403 UPLOAD_SIGNATURE_INVALID'));
});

test('lingering is bounded: a client that keeps sending after the refusal is cut off', async () => {
  // A refused upload whose sender never stops: the server stops reading once it has discarded
  // its budget or its time is up, whichever comes first, and closes the connection.
  const forged = signedBeforeRestart.replace(/sig=([0-9a-f])/, (m, ch) => `sig=${ch === 'a' ? 'b' : 'a'}`);
  const { port } = new URL(server.directUrl);  // the serving process's own discard budget
  const result = await new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let response = '';
    let sent = 0;
    const chunk = Buffer.alloc(256 * 1024, 9);
    const started = Date.now();
    const giveUp = setTimeout(() => { socket.destroy(); resolve({ closed: false, response, sent }); }, 60_000);
    socket.on('data', (d) => { response += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(giveUp); resolve({ closed: true, response, sent, ms: Date.now() - started }); });
    socket.write(`PUT ${forged} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: video/mp4\r\nContent-Length: ${10 * 1024 * MB}\r\n\r\n`);
    const pump = () => {
      while (!socket.destroyed && sent < 10 * 1024 * MB) {
        sent += chunk.length;
        if (!socket.write(chunk)) return socket.once('drain', pump);
      }
    };
    pump();
  });
  assert.equal(result.closed, true, 'the server never closed a connection that kept sending');
  assert.match(result.response, /^HTTP\/1\.1 403/);
  assert.match(result.response, /UPLOAD_SIGNATURE_INVALID/);
  // At most the discard budget (64 MiB) plus what the socket buffers held was taken.
  assert.ok(result.sent < 256 * MB, `the server read ${Math.round(result.sent / MB)} MB before closing`);
});

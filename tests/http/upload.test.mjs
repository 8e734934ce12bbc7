// Uploads through HTTP against the real binary and real ffmpeg/ffprobe: signing, the streamed
// PUT with its limits, server-side validation by content, processing, and serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, adminClient, seasonWithClips, sql, eventually } from './helpers.mjs';

let server, admin, files;
const work = mkdtempSync(join(tmpdir(), 'aimoviez-upload-'));

function makeClip(name, seconds, size = '320x568') {
  const out = join(work, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}:d=${seconds}:r=24`,
    '-f', 'lavfi', '-i', `sine=frequency=440:d=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast',
    '-c:a', 'aac', '-shortest', '-movflags', '+faststart', out]);
  return readFileSync(out);
}

before(async () => {
  files = {
    ok: makeClip('ok.mp4', 8.4),
    long: makeClip('long.mp4', 9.0),
    png: (execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', join(work, 'x.png')]), readFileSync(join(work, 'x.png'))),
    elf: readFileSync('/bin/true'),
    html: Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
  };
  files.polyglot = Buffer.concat([makeClip('short.mp4', 3), Buffer.from('<html><script>alert(1)</script></html>')]);
  server = await startServer({ args: ['--dev-login'] });
  admin = await adminClient(server);
  await seasonWithClips(server, admin, 1, { slots: 3 });
});
after(async () => { await server.stop(); rmSync(work, { recursive: true, force: true }); });

let userCount = 0;
async function newCreator() {
  const c = new Client(server.url);
  const n = ++userCount;
  await c.login(`creator${n}@example.com`, `creator_${n}`);
  return c;
}

async function sign(client, { contentType = 'video/mp4', size, filename = 'clip.mp4' }) {
  const q = new URLSearchParams({ filename, contentType, size: String(size) });
  return client.call('GET', `/api/upload/signed-url?${q}`, undefined, { 'x-csrf-token': client.csrf, origin: client.origin });
}

async function put(url, body, contentType = 'video/mp4') {
  const r = await fetch(server.url + url, { method: 'PUT', body, headers: { 'content-type': contentType } });
  return { status: r.status, body: await r.json() };
}

// Signs, uploads and registers; returns the register response.
async function submit(client, body, { contentType = 'video/mp4', genre = 'Comedy', title = 'My scene' } = {}) {
  const s = await sign(client, { contentType, size: body.length });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  const p = await put(s.body.uploadUrl, body, contentType);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  return client.post('/api/upload/register', { key: s.body.key, genre, title, description: 'made for the test' });
}

async function waitProcessed(client, clipId) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await client.get(`/api/upload/clips/${clipId}`);
    if (r.body.clip.processing_status === 'ready' || r.body.clip.processing_status === 'failed') return r.body.clip;
    assert.ok(Date.now() < deadline, 'processing did not finish');
    await new Promise((res) => setTimeout(res, 200));
  }
}

function incomingFiles() {
  return readdirSync(join(server.dataDir, 'media', '.incoming'));
}

test('signing needs a session and a CSRF token, and enforces type, size and rate', async () => {
  const anon = new Client(server.url);
  await anon.refreshCsrf();
  assert.equal((await sign(anon, { size: 1000 })).status, 401);
  const c = await newCreator();
  const noToken = await c.call('GET', '/api/upload/signed-url?filename=a.mp4&contentType=video/mp4&size=1000');
  assert.equal(noToken.status, 403);
  const badType = await sign(c, { contentType: 'text/html', size: 1000 });
  assert.equal(badType.status, 415);
  assert.equal(badType.body.code, 'UNSUPPORTED_FORMAT');
  const big = await sign(c, { size: 60 * 1024 * 1024 });
  assert.equal(big.status, 413);
  assert.equal(big.body.code, 'TOO_LARGE');
  // 5 signed URLs a minute per user: the refusals above were decided before the rate check.
  const statuses = [];
  for (let i = 0; i < 6; ++i) statuses.push((await sign(c, { size: 1000 })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
});

test('an 8.4 s clip is accepted, processed to H.264/AAC with a poster, and served immutable', async () => {
  const c = await newCreator();
  const r = await submit(c, files.ok);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.clip.status, 'pending');
  assert.equal(r.body.clip.processing_status, 'queued');
  assert.ok(Math.abs(r.body.clip.duration_ms - 8400) < 200, `duration ${r.body.clip.duration_ms}`);
  const clip = await waitProcessed(c, r.body.clip.id);
  assert.equal(clip.processing_status, 'ready', clip.processing_error);
  assert.match(clip.video_url, /^\/media\/clips\/[0-9a-f]{64}\.mp4$/);
  assert.match(clip.thumbnail_url, /^\/media\/thumbs\/[0-9a-f]{64}\.jpg$/);
  const media = await fetch(server.url + clip.video_url);
  assert.equal(media.status, 200);
  assert.equal(media.headers.get('content-type'), 'video/mp4');
  assert.match(media.headers.get('cache-control'), /immutable/);
  assert.equal(media.headers.get('x-content-type-options'), 'nosniff');
  const local = join(work, 'served.mp4');
  writeFileSync(local, Buffer.from(await media.arrayBuffer()));
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', local], { encoding: 'utf8' }));
  assert.deepEqual(probe.streams.map((s) => s.codec_name).sort(), ['aac', 'h264']);
  const range = await fetch(server.url + clip.video_url, { headers: { range: 'bytes=0-99' } });
  assert.equal(range.status, 206);
  assert.equal((await range.arrayBuffer()).byteLength, 100);
  const download = await fetch(server.url + clip.video_url + '?download=1');
  assert.match(download.headers.get('content-disposition'), /^attachment/);
  assert.equal((await fetch(server.url + clip.thumbnail_url)).headers.get('content-type'), 'image/jpeg');
  // The original is gone once the processed clip is recorded, and was never public.
  assert.equal(readdirSync(join(server.dataDir, 'media', 'uploads')).length, 0);
  // An admin can now approve it into the open slot.
  assert.equal((await admin.post(`/api/admin/clips/${clip.id}/approve`)).status, 200);
});

test('a 9.0 s clip is refused as TOO_LONG', async () => {
  const c = await newCreator();
  const r = await submit(c, files.long);
  assert.equal(r.status, 422);
  assert.equal(r.body.code, 'TOO_LONG');
});

test('renamed PNG, ELF and HTML files are refused by content', async () => {
  const c = await newCreator();
  for (const [name, body] of [['png', files.png], ['elf', files.elf], ['html', files.html]]) {
    const r = await submit(c, body);
    assert.equal(r.status, 415, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, 'UNSUPPORTED_FORMAT');
  }
});

test('a polyglot (MP4 with HTML appended) is re-encoded; the HTML is never served', async () => {
  const c = await newCreator();
  const r = await submit(c, files.polyglot);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const clip = await waitProcessed(c, r.body.clip.id);
  assert.equal(clip.processing_status, 'ready');
  const media = await fetch(server.url + clip.video_url);
  const bytes = Buffer.from(await media.arrayBuffer());
  assert.equal(bytes.includes('<html'), false);
  assert.equal(media.headers.get('content-type'), 'video/mp4');
  assert.match(media.headers.get('content-security-policy'), /sandbox/);
});

// Sends a PUT over a raw socket; resolves with the status line and whether the server closed.
function rawPut(path, headers, bodyChunks = []) {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let response = '';
    socket.on('data', (d) => { response += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ status: Number(response.split(' ')[1] ?? 0), response }));
    socket.write(`PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    for (const chunk of bodyChunks) socket.write(chunk);
    setTimeout(() => socket.destroy(), 10_000);
  });
}

test('a 60 MB upload is refused with 413 before its body is read; no temp file stays', async () => {
  const c = await newCreator();
  const s = await sign(c, { size: 40 * 1024 * 1024 });
  const declared = await rawPut(s.body.uploadUrl, { 'Content-Type': 'video/mp4', 'Content-Length': String(60 * 1024 * 1024) });
  assert.equal(declared.status, 413);
  assert.match(declared.response, /TOO_LARGE/);
  // Without a declared length the limit is enforced while streaming.
  const s2 = await sign(c, { size: 1024 * 1024 });
  const chunk = Buffer.alloc(64 * 1024, 1);
  const chunks = [];
  for (let i = 0; i < 40; ++i) chunks.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
  const streamed = await rawPut(s2.body.uploadUrl, { 'Content-Type': 'video/mp4', 'Transfer-Encoding': 'chunked' }, chunks);
  assert.equal(streamed.status, 413);
  assert.deepEqual(incomingFiles(), []);
});

test('a stalled upload is cut after upload_timeout_seconds; no temp file stays', async () => {
  const other = await startServer({ args: ['--dev-login', '--upload-timeout-seconds', '5'] });
  try {
    const c = new Client(other.url);
    await c.login('staller@example.com', 'staller');
    const s = await sign(c, { size: 100_000 });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const { port } = new URL(other.directUrl);  // the serving process's own timeout
    const started = Date.now();
    const openFor = await new Promise((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      const limit = setTimeout(() => { socket.destroy(); resolve(Infinity); }, 20_000);
      socket.on('close', () => { clearTimeout(limit); resolve(Date.now() - started); });
      socket.write(`PUT ${s.body.uploadUrl} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: video/mp4\r\nContent-Length: 100000\r\n\r\n`);
      socket.write(Buffer.alloc(1000, 1));  // then nothing more
    });
    assert.ok(openFor >= 4500 && openFor < 20_000, `cut after ${openFor} ms with a 5 s upload timeout`);
    // The server deletes the part file as it gives up on the upload, beside closing the socket.
    await eventually(() => readdirSync(join(other.dataDir, 'media', '.incoming')).length === 0,
      'the part file of the cut upload to go', 5000);
  } finally {
    await other.stop();
  }
});

test('forged and expired signatures are refused with 403', async () => {
  const c = await newCreator();
  const s = await sign(c, { size: files.ok.length });
  const forged = s.body.uploadUrl.replace(/sig=([0-9a-f])/, (m, ch) => `sig=${ch === 'a' ? 'b' : 'a'}`);
  const r = await put(forged, files.ok);
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'UPLOAD_SIGNATURE_INVALID');
  const otherKey = s.body.uploadUrl.replace(/uploads\/[0-9a-f]+/, 'uploads/' + 'ab'.repeat(16));
  assert.equal((await put(otherKey, files.ok)).status, 403);
  // The same URL after its expiry: the server restarted with its clock an hour ahead.
  await server.stop({ keepData: true });
  server = await startServer({ dataDir: server.dataDir, args: ['--dev-login', '--clock-offset-seconds', '3600'] });
  const late = await put(s.body.uploadUrl, files.ok);
  assert.equal(late.status, 403);
  assert.equal(late.body.code, 'UPLOAD_EXPIRED');
  await server.stop({ keepData: true });
  server = await startServer({ dataDir: server.dataDir, args: ['--dev-login'] });
  admin = new Client(server.url);
  await admin.login('admin@example.com');
});

test('keys with traversal, encoded dots, absolute paths or NUL are refused and write nothing', async () => {
  const before = readdirSync(join(server.dataDir, 'media')).sort();
  for (const path of ['/api/upload/put/../../etc/x.mp4', '/api/upload/put/uploads/%2e%2e%2f%2e%2e%2fx.mp4',
    '/api/upload/put//etc/passwd', '/api/upload/put/uploads/abc%00.mp4', '/api/upload/put/%2fetc%2fx.mp4',
    '/api/upload/put/uploads/..%2f..%2fserver.secret']) {
    // Connection: close, so the answer ends the exchange even through a balancer that keeps
    // the client's connection open.
    const r = await rawPut(`${path}?expires=9999999999999&sig=00`, { 'Content-Type': 'video/mp4', 'Content-Length': '4', Connection: 'close' }, ['abcd']);
    assert.ok([400, 403, 404].includes(r.status), `${path} → ${r.status}`);
  }
  assert.deepEqual(readdirSync(join(server.dataDir, 'media')).sort(), before);
  assert.deepEqual(incomingFiles(), []);
  assert.equal(existsSync('/etc/x.mp4'), false);
});

test('several creators upload at the same time', async () => {
  const creators = await Promise.all([newCreator(), newCreator(), newCreator()]);
  const results = await Promise.all(creators.map((c) => submit(c, files.ok, { title: `Parallel ${c.cookies.size}` })));
  for (const r of results) assert.equal(r.status, 201, JSON.stringify(r.body));
  const clips = await Promise.all(results.map((r, i) => waitProcessed(creators[i], r.body.clip.id)));
  for (const clip of clips) assert.equal(clip.processing_status, 'ready');
  // Each clip's media is named by the SHA-256 of its bytes (so it can be cached forever). The
  // encoder is not bit-for-bit repeatable under load (x264's frame threads), so equal uploads may
  // or may not share a file; what must hold is that every name matches its content.
  for (const clip of clips) {
    const res = await fetch(server.url + clip.video_url);
    assert.equal(res.status, 200);
    const digest = createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
    assert.equal(clip.video_url, `/media/clips/${digest}.mp4`);
  }
});

test('one upload registered several times at once becomes one clip', async () => {
  const owner = await newCreator();
  const s = await sign(owner, { size: files.ok.length });
  await put(s.body.uploadUrl, files.ok);
  const attempts = await Promise.all(Array.from({ length: 5 }, (_, i) =>
    owner.post('/api/upload/register', { key: s.body.key, genre: 'Comedy', title: `Twice ${i}` })));
  assert.deepEqual(attempts.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
  assert.ok(attempts.filter((r) => r.status === 409).every((r) => r.body.code === 'UPLOAD_ALREADY_REGISTERED'));
  assert.equal(sql(server.dataDir, `SELECT COUNT(*) FROM tournament_clips WHERE source_key = '${s.body.key}'`), '1');
});

test('register checks ownership, genre and title', async () => {
  const owner = await newCreator();
  const thief = await newCreator();
  const s = await sign(owner, { size: files.ok.length });
  await put(s.body.uploadUrl, files.ok);
  assert.equal((await thief.post('/api/upload/register', { key: s.body.key, genre: 'Comedy', title: 'Mine' })).status, 404);
  assert.equal((await owner.post('/api/upload/register', { key: s.body.key, genre: 'Jazz', title: 'x' })).body.code, 'INVALID_GENRE');
  assert.equal((await owner.post('/api/upload/register', { key: s.body.key, genre: 'Other', title: '' })).body.code, 'INVALID_TITLE');
  assert.equal((await owner.post('/api/upload/register', { key: s.body.key, genre: 'Other', title: 'Fine' })).status, 201);
  assert.equal((await owner.post('/api/upload/register', { key: s.body.key, genre: 'Other', title: 'Again' })).body.code, 'UPLOAD_ALREADY_REGISTERED');
  assert.equal((await put(s.body.uploadUrl, files.ok)).body.code, 'UPLOAD_ALREADY_RECEIVED');
});

test('the cleanup job removes abandoned uploads and never a file a clip points at', async () => {
  // The uploads are made with the jobs off; the job (every second, no grace period) starts with a
  // restart, so it never meets an upload between its signing and its body, or an object before
  // the clip row that points at it.
  let srv = await startServer({ args: ['--dev-login', '--upload-grace-minutes', '0'] });
  try {
    const c = new Client(srv.url);
    await c.login('janitor-test@example.com', 'tidy_creator');
    const signAt = async () => {
      const q = new URLSearchParams({ filename: 'a.mp4', contentType: 'video/mp4', size: String(files.ok.length) });
      return c.call('GET', `/api/upload/signed-url?${q}`, undefined, { 'x-csrf-token': c.csrf, origin: c.origin });
    };
    // Abandoned: uploaded, never registered.
    const abandoned = await signAt();
    const kept = await signAt();
    for (const s of [abandoned, kept]) {
      const put = await fetch(srv.url + s.body.uploadUrl, { method: 'PUT', body: files.ok, headers: { 'content-type': 'video/mp4' } });
      assert.equal(put.status, 200);
    }
    const uploads = join(srv.dataDir, 'media', 'uploads');
    // A clip that points at the second object (as the source of a failed processing would).
    sql(srv.dataDir, `INSERT INTO tournament_clips (user_id, title, genre, status, created_at, updated_at, processing_status, source_key)
      VALUES (NULL, 'kept source', 'Other', 'pending', 0, 0, 'failed', '${kept.body.key}')`);
    assert.equal(readdirSync(uploads).length, 2);
    await srv.stop({ keepData: true });
    srv = await startServer({ dataDir: srv.dataDir, args: ['--dev-login', '--job-interval-seconds', '1', '--upload-grace-minutes', '0'] });
    const deadline = Date.now() + 15_000;
    while (existsSync(join(srv.dataDir, 'media', abandoned.body.key))) {
      assert.ok(Date.now() < deadline, 'the abandoned upload was never removed');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(existsSync(join(srv.dataDir, 'media', kept.body.key)), 'the referenced object is kept');
    assert.equal(sql(srv.dataDir, `SELECT COUNT(*) FROM uploads WHERE object_key = '${abandoned.body.key}'`), '0');
    assert.deepEqual(readdirSync(uploads), [kept.body.key.split('/')[1]]);
  } finally {
    await srv.stop();
  }
});

test('upload links stop working once their creator signs out (or is banned)', async () => {
  const creator = await newCreator();
  const s = await sign(creator, { size: files.ok.length });
  assert.equal(s.status, 200);
  assert.equal((await creator.post('/api/auth/logout')).status, 200);
  const late = await put(s.body.uploadUrl, files.ok);
  assert.equal(late.status, 403);
  assert.equal(late.body.code, 'UPLOAD_REVOKED');

  const other = await newCreator();
  const otherId = (await other.get('/api/auth/session')).body.user.id;
  const t = await sign(other, { size: files.ok.length });
  assert.equal((await admin.patch(`/api/admin/users/${otherId}`, { is_banned: true })).status, 200);
  assert.equal((await put(t.body.uploadUrl, files.ok)).body.code, 'UPLOAD_REVOKED');
});

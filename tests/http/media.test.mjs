import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { startServer, tempDataDir } from './helpers.mjs';

let server, webDir;
const bytes = randomBytes(5000);
const big = randomBytes(24 << 20);
const bundle = 'export const scenes = [' + Array.from({ length: 2000 }, (_, i) => `{id:${i},title:"Scene ${i}"}`).join(',') + '];';
before(async () => {
  const dataDir = tempDataDir();
  mkdirSync(join(dataDir, 'media', 'clips'), { recursive: true });
  writeFileSync(join(dataDir, 'media', 'clips', 'sample.mp4'), bytes);
  writeFileSync(join(dataDir, 'media', 'clips', 'big.mp4'), big);
  writeFileSync(join(dataDir, 'media', 'clips', 'page.html'), '<script>alert(1)</script>');
  writeFileSync(join(dataDir, 'secret.txt'), 'top secret');
  webDir = mkdtempSync(join(tmpdir(), 'aimoviez-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>app shell</title>');
  writeFileSync(join(webDir, 'assets', 'app-3f2a1b.js'), 'console.log(1)');
  // A bundle with the precompressed siblings the web build writes.
  writeFileSync(join(webDir, 'assets', 'bundle-9c8d7e.js'), bundle);
  writeFileSync(join(webDir, 'assets', 'bundle-9c8d7e.js.br'), brotliCompressSync(bundle));
  writeFileSync(join(webDir, 'assets', 'bundle-9c8d7e.js.gz'), gzipSync(bundle));
  server = await startServer({ dataDir, args: ['--web-dir', webDir] });
});
after(async () => { await server.stop(); rmSync(webDir, { recursive: true, force: true }); });

const get = (path, headers = {}) => fetch(server.url + path, { headers });

test('media: full file with validators and no-sniff type', async () => {
  const r = await get('/media/clips/sample.mp4');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'video/mp4');
  assert.equal(r.headers.get('accept-ranges'), 'bytes');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-disposition'), /^inline/);
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), bytes);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  assert.equal((await get('/media/clips/sample.mp4', { 'if-none-match': etag })).status, 304);
  const dl = await get('/media/clips/sample.mp4?download=1');
  assert.match(dl.headers.get('content-disposition'), /^attachment/);
});

test('media: Range requests return 206 with exactly the requested bytes', async () => {
  const cases = [['bytes=0-99', 0, 99], ['bytes=4000-', 4000, 4999], ['bytes=-10', 4990, 4999], ['bytes=123-456', 123, 456]];
  for (const [range, first, last] of cases) {
    const r = await get('/media/clips/sample.mp4', { range });
    assert.equal(r.status, 206, range);
    assert.equal(r.headers.get('content-range'), `bytes ${first}-${last}/5000`);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), bytes.subarray(first, last + 1), range);
  }
  const bad = await get('/media/clips/sample.mp4', { range: 'bytes=9000-' });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers.get('content-range'), 'bytes */5000');
});

test('media: a large range is streamed whole, and unread ranges hold no file-sized buffers', async () => {
  const r = await get('/media/clips/big.mp4', { range: 'bytes=1000-' });
  assert.equal(r.status, 206);
  assert.equal(r.headers.get('content-range'), `bytes 1000-${big.length - 1}/${big.length}`);
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(big.subarray(1000)));
  // Sixteen clients ask for 24 MiB ranges and read nothing: a server that buffered each range
  // would hold 16 x 24 MiB; streaming holds a small buffer per answer.
  const rss = () => Number(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;
  const before = rss();
  const port = Number(new URL(server.directUrl).port);  // the process whose memory is measured
  const sockets = await Promise.all(Array.from({ length: 16 }, () => new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`GET /media/clips/big.mp4 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\n\r\n`);
      s.pause();
      resolve(s);
    });
    s.on('error', reject);
  })));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const grown = rss() - before;
  for (const s of sockets) s.destroy();
  console.log(`unread ranges: RSS grew ${(grown / 1048576).toFixed(1)} MiB`);
  assert.ok(grown < 96 * 1024 * 1024, `RSS grew ${(grown / 1048576).toFixed(1)} MiB`);
});

test('media: traversal, encoded traversal and non-media types are refused', async () => {
  for (const path of ['/media/../secret.txt', '/media/%2e%2e/secret.txt', '/media/clips/%2e%2e/%2e%2e/secret.txt',
    '/media/clips/page.html', '/media/clips/sample.mp4%00.html', '/media/nothing.mp4']) {
    // What a serving process does with such a path (a balancer may refuse some itself first).
    const r = await fetch(server.directUrl + path);
    assert.equal(r.status, 404, path);
    const text = await r.text();
    assert.doesNotMatch(text, /top secret|alert/);
  }
});

test('web app: hashed assets are immutable, client routes fall back to index.html', async () => {
  const asset = await get('/assets/app-3f2a1b.js');
  assert.equal(asset.status, 200);
  assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(asset.headers.get('content-type'), /javascript/);
  for (const path of ['/', '/dashboard', '/story/2']) {
    const page = await get(path);
    assert.equal(page.status, 200, path);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(await page.text(), /app shell/);
  }
  assert.equal((await get('/missing.js')).status, 404);
  assert.equal((await get('/api/unknown')).status, 404);
});

test('web app: a precompressed asset is sent in the best coding the client accepts', async () => {
  const path = '/assets/bundle-9c8d7e.js';
  const br = await get(path, { 'accept-encoding': 'gzip, br' });
  assert.equal(br.headers.get('content-encoding'), 'br');
  assert.equal(br.headers.get('vary'), 'Accept-Encoding');
  assert.equal(br.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.ok(Number(br.headers.get('content-length')) < bundle.length / 4, br.headers.get('content-length'));
  assert.equal(await br.text(), bundle);
  const gz = await get(path, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.equal(await gz.text(), bundle);
  const plain = await get(path, { 'accept-encoding': 'identity' });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal(Number(plain.headers.get('content-length')), bundle.length);
  // Each coding has its own validator: a cache never answers one with the other.
  assert.notEqual(br.headers.get('etag'), plain.headers.get('etag'));
  assert.equal((await get(path, { 'accept-encoding': 'br', 'if-none-match': br.headers.get('etag') })).status, 304);
});

test('answers built in memory, of 1 KiB or more, are gzipped for clients that accept it', async () => {
  // A server without the demo has one large answer already: the metrics page (text).
  const metrics = await get('/metrics', { 'accept-encoding': 'gzip, br' });
  const text = await metrics.text();
  assert.ok(text.length > 1024, `metrics page is ${text.length} bytes`);
  assert.equal(metrics.headers.get('content-encoding'), 'gzip');
  assert.ok(Number(metrics.headers.get('content-length')) < text.length / 2);
  assert.match(text, /aimoviez_/);
  const identity = await get('/metrics', { 'accept-encoding': 'identity' });
  assert.equal(identity.headers.get('content-encoding'), null);
  assert.equal(identity.headers.get('vary'), 'Accept-Encoding');
});

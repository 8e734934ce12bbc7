// The S3 provider against a real S3-compatible server (s3rver from npm) on loopback: the
// browser-side PUT goes to a presigned bucket URL bound to the declared size, the server
// fetches, validates and processes the object, publishes the results to the bucket, and
// removes the original.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { startServer, Client } from './helpers.mjs';

let s3, s3url, server, creator, clipBytes;
const work = mkdtempSync(join(tmpdir(), 'aimoviez-s3-'));

before(async () => {
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(work, 'bucket'), configureBuckets: [{ name: 'aimoviez' }] });
  const { port } = await s3.run();
  s3url = `http://127.0.0.1:${port}`;
  server = await startServer({
    args: ['--dev-login', '--storage', 's3', '--s3-endpoint', s3url, '--s3-bucket', 'aimoviez',
      '--s3-access-key', 'S3RVER', '--s3-secret-key', 'S3RVER', '--s3-region', 'us-east-1', '--s3-path-style', 'true'],
  });
  creator = new Client(server.url);
  await creator.login('s3-creator@example.com', 's3_creator');
  const file = join(work, 'clip.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x568:d=4:r=24',
    '-f', 'lavfi', '-i', 'sine=d=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file]);
  clipBytes = readFileSync(file);
});
after(async () => {
  await server?.stop();
  await s3?.close();
  rmSync(work, { recursive: true, force: true });
});

async function sign(size) {
  const r = await creator.post('/api/upload/signed-url', { filename: 'c.mp4', contentType: 'video/mp4', size });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// s3rver accepts V4 signatures without checking them (its V4 verification is unimplemented), so
// the signature itself is tested against AWS's published example in tests/unit/sigv4_test.cpp;
// here the URL's shape and the server's side of the protocol are checked.
test('the presigned bucket URL is bound to the declared size; nothing arrived → not registrable', async () => {
  const signed = await sign(clipBytes.length);
  assert.ok(signed.uploadUrl.startsWith(`${s3url}/aimoviez/uploads/`), signed.uploadUrl);
  assert.match(signed.uploadUrl, /X-Amz-SignedHeaders=content-length%3Bhost/);
  assert.match(signed.uploadUrl, /X-Amz-Credential=S3RVER%2F\d{8}%2Fus-east-1%2Fs3%2Faws4_request/);
  assert.match(signed.uploadUrl, /X-Amz-Expires=900/);
  const early = await creator.post('/api/upload/register', { key: signed.key, genre: 'Action', title: 'Too early' });
  assert.equal(early.status, 409);
  assert.equal(early.body.code, 'UPLOAD_NOT_RECEIVED');
});

test('upload → register → process round-trips through the bucket', async () => {
  const signed = await sign(clipBytes.length);
  const put = await fetch(signed.uploadUrl, { method: 'PUT', body: clipBytes, headers: { 'content-type': 'video/mp4' } });
  assert.equal(put.status, 200);
  const reg = await creator.post('/api/upload/register', { key: signed.key, genre: 'Action', title: 'From the bucket' });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  let clip;
  const deadline = Date.now() + 60_000;
  do {
    await new Promise((r) => setTimeout(r, 200));
    clip = (await creator.get(`/api/upload/clips/${reg.body.clip.id}`)).body.clip;
    assert.ok(Date.now() < deadline, 'processing did not finish');
  } while (clip.processing_status === 'queued' || clip.processing_status === 'processing');
  assert.equal(clip.processing_status, 'ready', clip.processing_error);
  assert.match(clip.video_url, new RegExp(`^${s3url}/aimoviez/clips/[0-9a-f]{64}\\.mp4$`));
  assert.match(clip.thumbnail_url, new RegExp(`^${s3url}/aimoviez/thumbs/[0-9a-f]{64}\\.jpg$`));
  const media = await fetch(clip.video_url);
  assert.equal(media.status, 200);
  assert.equal(media.headers.get('content-type'), 'video/mp4');
  const served = Buffer.from(await media.arrayBuffer());
  assert.equal(served.subarray(4, 8).toString('latin1'), 'ftyp');
  // The original left the bucket once the clip pointed at its processed media.
  assert.equal((await fetch(`${s3url}/aimoviez/${signed.key}`)).status, 404);
  // Pages may load media from the bucket's origin, and nothing else new.
  const page = await fetch(server.url + '/');
  assert.match(page.headers.get('content-security-policy'), new RegExp(`media-src 'self' blob: ${s3url.replace(/\./g, '\\.')}`));
});

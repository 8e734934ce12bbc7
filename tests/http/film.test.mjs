// The finished season's film: built automatically by the media worker from the demo seed's
// finished season, with a chapter per slot; rebuilt on an admin's request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, startServer, Client, adminClient, tempDataDir } from './helpers.mjs';
import { seedDemo } from './demo_seed.mjs';

let server, admin, finished;
before(async () => {
  const dataDir = tempDataDir();
  seedDemo(BIN, dataDir);
  // A relative data directory, as `make run` gives: the film's scene list once broke on it.
  server = await startServer({ dataDir, cwd: dirname(dataDir), args: ['--dev-login'] });
  admin = await adminClient(server);
  const story = await new Client(server.url).get('/api/story?includeArchived=true');
  finished = story.body.seasons.find((s) => s.status === 'finished');
});
after(async () => { await server.stop(); });

async function waitFilm(status = 'ready') {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await new Client(server.url).get(`/api/seasons/${finished.id}/film`);
    if (r.status === 200 && (r.body.film.status === status || r.body.film.status === 'failed')) return r.body.film;
    assert.ok(Date.now() < deadline, `film not ${status} in time: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

test('a finished season gets its film with one chapter per slot, credited', async () => {
  const film = await waitFilm();
  assert.equal(film.status, 'ready', film.error);
  const slots = finished.slots.filter((s) => s.status === 'locked');
  assert.equal(film.chapters.length, slots.length);
  assert.deepEqual(film.chapters.map((c) => c.slot), slots.map((s) => s.slot_position));
  assert.match(film.videoUrl, /^\/media\/films\/[0-9a-f]{64}\.mp4$/);
  const res = await fetch(server.url + film.videoUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'video/mp4');
  const local = join(server.dataDir, 'film-check.mp4');
  writeFileSync(local, Buffer.from(await res.arrayBuffer()));
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_chapters', '-show_format', local], { encoding: 'utf8' }));
  assert.equal(probe.chapters.length, slots.length);
  assert.match(probe.chapters[0].tags.title, /^Slot 1: .+ by @\S+$/);
  const total = Number(probe.format.duration) * 1000;
  assert.ok(Math.abs(total - film.durationMs) < 500, `${total} vs ${film.durationMs}`);
  const download = await fetch(server.url + film.downloadUrl);
  assert.match(download.headers.get('content-disposition'), /^attachment/);
});

test('admins can rebuild a film; others cannot; a season without scenes has none', async () => {
  await waitFilm();
  const user = new Client(server.url);
  await user.login('viewer@example.com', 'viewer');
  assert.equal((await user.post(`/api/admin/seasons/${finished.id}/film`)).status, 403);
  const r = await admin.post(`/api/admin/seasons/${finished.id}/film`);
  assert.equal(r.status, 202);
  assert.equal(r.body.film.status, 'queued');
  assert.equal((await waitFilm()).status, 'ready');
  const empty = await admin.post('/api/admin/seasons', { label: 'Empty one', total_slots: 2 });
  const none = await admin.post(`/api/admin/seasons/${empty.body.season.id}/film`);
  assert.equal(none.status, 409);
  assert.equal(none.body.code, 'NO_SCENES');
  assert.equal((await user.get(`/api/seasons/${empty.body.season.id}/film`)).status, 404);
  const audit = await admin.get('/api/admin/audit-logs?action=request_film');
  assert.ok(audit.body.entries.some((e) => e.action === 'request_film'));
});

test('a film build interrupted by a shutdown resumes at the next start instead of failing', async () => {
  const dataDir = tempDataDir();
  seedDemo(BIN, dataDir);
  let srv = await startServer({ dataDir, args: ['--dev-login'] });
  const story = await new Client(srv.url).get('/api/story?includeArchived=true');
  const season = story.body.seasons.find((s) => s.status === 'finished');
  // Stop while the worker is at it (or right after, on a fast machine).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await new Client(srv.url).get(`/api/seasons/${season.id}/film`);
    if (r.status === 200 && r.body.film.status !== 'queued') break;
    assert.ok(Date.now() < deadline, 'the film build never started');
    await new Promise((res) => setTimeout(res, 50));
  }
  await srv.stop({ keepData: true });
  srv = await startServer({ dataDir, args: ['--dev-login'] });
  try {
    const until = Date.now() + 120_000;
    let film;
    do {
      await new Promise((res) => setTimeout(res, 300));
      film = (await new Client(srv.url).get(`/api/seasons/${season.id}/film`)).body.film;
      assert.notEqual(film.status, 'failed', film.error);
      assert.ok(Date.now() < until, 'the film was not rebuilt after the restart');
    } while (film.status !== 'ready');
  } finally {
    await srv.stop();
  }
});

// `aimoviez backup` while the server serves votes, then `aimoviez restore` into a fresh data
// directory: the restored platform tells the same story, keeps every vote acknowledged before
// the backup began (counts equal to stored rows), still knows its anonymous voters (the secret
// came along), and its files are for the server's user only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from './demo_seed.mjs';
import { BIN, startServer, tempDataDir, Client, storedVotes, NO_NETWORK_BUDGETS } from './helpers.mjs';

const ARGS = ['--vote-rate-per-minute', '100000', '--vote-ip-rate-per-minute', '1000000', ...NO_NETWORK_BUDGETS];

function run(...args) {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return once(child, 'exit').then(([code]) => ({ code, out }));
}

const mode = (path) => statSync(path).mode & 0o777;

test('backup while votes arrive, restore into a fresh directory, same platform', async () => {
  const dataDir = tempDataDir();
  seedDemo(BIN, dataDir);
  const server = await startServer({ dataDir, args: ARGS });
  const backupDir = join(tempDataDir(), 'backup');
  const restoredDir = join(tempDataDir(), 'restored');
  let restored;
  try {
    const pub = new Client(server.url);
    const feed = await pub.get('/api/vote?limit=20');
    const clipIds = feed.body.clips.map((c) => c.id);
    assert.ok(clipIds.length >= 2);
    // A voter known before the backup, then a stream of new voters during it.
    const early = new Client(server.url, { userAgent: 'early-voter' });
    assert.equal((await early.post('/api/vote', { clipId: clipIds[0] })).status, 200);
    const storyBefore = (await pub.get('/api/story')).body;
    // This round's stored votes per clip (a clip carried over from an earlier slot keeps those too).
    const countsAtStart = Object.fromEntries(clipIds.map((id) => [id, storedVotes(dataDir, id)]));

    let voting = true;
    let acknowledged = 0;
    const load = (async () => {
      for (let i = 0; voting; ++i) {
        const v = new Client(server.url, { userAgent: `during-backup-${i}` });
        if ((await v.post('/api/vote', { clipId: clipIds[i % clipIds.length] })).status === 200) ++acknowledged;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const backup = await run('backup', backupDir, '--data-dir', dataDir);
    voting = false;
    await load;
    assert.equal(backup.code, 0, backup.out);
    assert.match(backup.out, /backed up: database, secret, \d+ media files/);
    assert.ok(acknowledged > 0, 'votes were served while the backup ran');
    assert.equal(mode(backupDir), 0o700);
    assert.equal(mode(join(backupDir, 'aimoviez.db')), 0o600);
    assert.equal(mode(join(backupDir, 'server.secret')), 0o600);

    // A backup is not written over anything, nor restored over a live data directory.
    const again = await run('backup', backupDir, '--data-dir', dataDir);
    assert.notEqual(again.code, 0);
    assert.match(again.out, /not an empty directory/);
    const over = await run('restore', backupDir, '--data-dir', dataDir);
    assert.notEqual(over.code, 0);

    const restore = await run('restore', backupDir, '--data-dir', restoredDir);
    assert.equal(restore.code, 0, restore.out);
    assert.equal(mode(join(restoredDir, 'aimoviez.db')), 0o600);
    assert.equal(mode(join(restoredDir, 'server.secret')), 0o600);
    restored = await startServer({ dataDir: restoredDir, args: ARGS });
    const back = new Client(restored.url);

    assert.deepEqual((await back.get('/api/story')).body, storyBefore);
    for (const board of ['/api/leaderboard/voters', '/api/leaderboard/creators']) {
      assert.equal((await back.get(board)).status, 200);
    }
    for (const id of clipIds) {
      const rows = storedVotes(restoredDir, id);
      const shown = (await back.get(`/api/clip/${id}`)).body.clip.vote_count;
      assert.equal(shown, rows, `clip ${id}: count equals stored rows`);
      assert.ok(rows >= countsAtStart[id], `clip ${id}: nothing acknowledged before the backup is lost`);
    }
    // The early voter's device cookie is still this platform's (same secret): their vote stands.
    early.base = restored.url; early.origin = restored.url;
    const twice = await early.post('/api/vote', { clipId: clipIds[0] });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'ALREADY_VOTED');
    // Media came along: the clips' videos play from the restored directory.
    const video = feed.body.clips[0].video_url;
    assert.equal((await fetch(restored.url + video, { method: 'HEAD' })).status, 200);
  } finally {
    await restored?.stop();
    await server.stop();
    rmSync(join(backupDir, '..'), { recursive: true, force: true });
  }
});

test('restore refuses what is not a backup', async () => {
  const notBackup = tempDataDir();
  writeFileSync(join(notBackup, 'aimoviez.db'), 'not a database');
  const target = join(tempDataDir(), 'target');
  const r = await run('restore', notBackup, '--data-dir', target);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /not an aimoviez backup/);
  mkdirSync(target, { recursive: true });
  rmSync(notBackup, { recursive: true, force: true });
  rmSync(join(target, '..'), { recursive: true, force: true });
});

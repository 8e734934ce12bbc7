// Faults the platform must ride out (issue 19): the disk filling up during vote batches, SQLite
// I/O errors, ffmpeg killed in the middle of a job. In each, a vote is either acknowledged and
// stored or refused with 503 and not stored, the server keeps serving what it can, and it
// recovers by itself once the fault is gone. (Clock jumps are unit tests: the domain reads time
// only through its injected clock.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, Client, adminClient, seasonWithClips, sql, tempDataDir, EMBEDDED_ONLY, NO_NETWORK_BUDGETS } from './helpers.mjs';
import { seedDemo } from './demo_seed.mjs';

const ARGS = ['--dev-login', '--vote-rate-per-minute', '100000', '--vote-ip-rate-per-minute', '10000000', ...NO_NETWORK_BUDGETS];

// A small tmpfs to fill (root only: CI runs as root; elsewhere the test says why it skips).
function smallDisk(megabytes) {
  const dir = mkdtempSync(join(tmpdir(), 'aimoviez-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `cannot mount a tmpfs here (${String(e.stderr ?? e.message).trim()})` };
  }
  return {
    dir,
    release() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Writes zeros until the file system refuses: the disk is full. Returns the filler's path.
function fillDisk(dir) {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if (e.code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return path;
}

// `count` signed-in voters, made before the fault (sign-in writes too).
async function voters(server, prefix, count) {
  const out = [];
  for (let i = 0; i < count; ++i) {
    const c = new Client(server.url);
    const { user } = await c.login(`${prefix}${i}@example.com`, `${prefix}_${i}`);
    out.push({ client: c, key: `user_${user.id}` });
  }
  return out;
}

// Each voter votes on each clip in turn, until `stop()` says enough; returns what was
// acknowledged and what was refused, and fails on any other answer.
async function castUntil(list, clipIds, stop) {
  const acknowledged = [];
  const refused = [];
  for (const clipId of clipIds) {
    for (const v of list) {
      if (stop(acknowledged, refused)) return { acknowledged, refused };
      const r = await v.client.post('/api/vote', { clipId });
      if (r.status === 200) acknowledged.push(`${v.key}:${clipId}`);
      else if (r.status === 503) {
        assert.equal(r.body.code, 'STORAGE_UNAVAILABLE', JSON.stringify(r.body));
        refused.push(`${v.key}:${clipId}`);
      } else assert.fail(`vote answered ${r.status}: ${JSON.stringify(r.body)}`);
    }
  }
  return { acknowledged, refused };
}

function storedVotes(dataDir) {
  return new Set(sql(dataDir, "SELECT voter_key || ':' || clip_id FROM votes").split('\n').filter(Boolean));
}

async function assertCountsEqualRows(server, clipIds) {
  const pub = new Client(server.url);
  for (const clipId of clipIds) {
    const shown = (await pub.get(`/api/clip/${clipId}`)).body.clip.vote_count;
    const rows = Number(sql(server.dataDir, `SELECT COUNT(*) FROM votes WHERE clip_id = ${clipId}`));
    assert.equal(shown, rows, `clip ${clipId}: shown ${shown}, stored ${rows}`);
  }
}

// Runs one storage fault: votes until some are refused, checks the server still reads, lifts the
// fault, votes again, restarts, and compares every answer with the stored rows.
async function rideOutStorageFault(t, server, { inject, lift }) {
  const admin = await adminClient(server);
  const { clipIds } = await seasonWithClips(server, admin, 40);
  const list = await voters(server, 'fault', 30);
  const before = await castUntil(list, clipIds.slice(0, 2), () => false);
  assert.equal(before.refused.length, 0);

  await inject();
  const during = await castUntil(list, clipIds.slice(2, 30), (_, refused) => refused.length >= 20);
  assert.ok(during.refused.length >= 20, `the fault refused ${during.refused.length} votes`);
  // Reads that need no write still work.
  assert.equal((await new Client(server.url).get('/api/health')).status, 200);
  assert.equal((await new Client(server.url).get('/api/story')).status, 200);
  const stored = storedVotes(server.dataDir);
  assert.deepEqual(during.refused.filter((k) => stored.has(k)), [], 'a refused vote was stored');

  await lift();
  const after = await castUntil(list, clipIds.slice(30), (ack) => ack.length >= 20);
  assert.equal(after.refused.length, 0, 'votes are stored again once the fault is gone');

  const dataDir = server.dataDir;
  await server.stop({ keepData: true });
  const restarted = await startServer({ dataDir, args: ARGS });
  try {
    const rows = storedVotes(dataDir);
    const acknowledged = [...before.acknowledged, ...during.acknowledged, ...after.acknowledged];
    assert.deepEqual(acknowledged.filter((k) => !rows.has(k)), [], 'an acknowledged vote was lost');
    assert.deepEqual(during.refused.filter((k) => rows.has(k)), [], 'a refused vote was stored');
    await assertCountsEqualRows(restarted, clipIds);
    t.diagnostic(`acknowledged ${acknowledged.length}, refused ${during.refused.length} during the fault`);
  } finally {
    await restarted.stop({ keepData: true });
  }
}

test('disk full during vote batches: 503, nothing acknowledged lost, recovers when space returns', { skip: EMBEDDED_ONLY }, async (t) => {
  const disk = smallDisk(24);
  if (disk.skip) return t.skip(disk.skip);
  const dataDir = join(disk.dir, 'data');
  const server = await startServer({ dataDir, args: ARGS });
  let filler = null;
  try {
    await rideOutStorageFault(t, server, {
      inject: async () => { filler = fillDisk(disk.dir); },
      lift: async () => { unlinkSync(filler); },
    });
  } finally {
    await server.stop({ keepData: true });
    disk.release();
  }
});

test('SQLite write errors (EFBIG): 503, nothing acknowledged lost, recovers when writes work again', { skip: EMBEDDED_ONLY }, async (t) => {
  const server = await startServer({ args: ARGS });
  try {
    await rideOutStorageFault(t, server, {
      // No file of the server's may grow past its present size: the next write past the end of
      // the database or its journal fails with EFBIG, an I/O error to SQLite (and SIGXFSZ,
      // which the server ignores so that it does not die of it).
      inject: async () => {
        const sizes = readdirSync(server.dataDir).filter((f) => f.startsWith('aimoviez.db'))
          .map((f) => statSync(join(server.dataDir, f)).size);
        execFileSync('prlimit', ['--pid', String(server.proc.pid), `--fsize=${Math.max(...sizes)}:unlimited`]);
      },
      lift: async () => {
        execFileSync('prlimit', ['--pid', String(server.proc.pid), '--fsize=unlimited:unlimited']);
      },
    });
  } finally {
    await server.stop();
  }
});

// The processes whose parent is `pid`, with their command names (from /proc).
function childrenOf(pid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(entry), comm });
    } catch { /* it ended meanwhile */ }
  }
  return out;
}

test('ffmpeg killed in the middle of a job: the job runs again and finishes, the server unharmed', async () => {
  const dataDir = tempDataDir();
  seedDemo(BIN, dataDir);
  // The finished demo season's film is built at start: its ffmpeg is the one to kill.
  const server = await startServer({ dataDir, args: ['--job-interval-seconds', '1'] });
  try {
    let victim = null;
    for (const deadline = Date.now() + 60_000; !victim; await new Promise((r) => setTimeout(r, 20))) {
      assert.ok(Date.now() < deadline, 'no encoder started');
      victim = server.pids().flatMap(childrenOf).find((c) => c.comm === 'ffmpeg');
    }
    process.kill(victim.pid, 'SIGKILL');
    const story = await new Client(server.url).get('/api/story?includeArchived=true');
    const finished = story.body.seasons.find((s) => s.status === 'finished');
    let film = null;
    for (const deadline = Date.now() + 180_000; !film || !['ready', 'failed'].includes(film.status);) {
      assert.ok(Date.now() < deadline, `film not built in time: ${JSON.stringify(film)}`);
      await new Promise((r) => setTimeout(r, 300));
      const r = await new Client(server.url).get(`/api/seasons/${finished.id}/film`);
      if (r.status === 200) film = r.body.film;
    }
    assert.equal(film.status, 'ready', film.error);
    assert.match(server.stderr(), /media command killed; running it again.*"signal":9/);
    assert.equal((await new Client(server.url).get('/api/health')).status, 200);
    // Nothing half-written is left in the working area.
    const incoming = join(dataDir, 'media', '.incoming');
    const leftovers = (() => { try { return readdirSync(incoming); } catch { return []; } })();
    assert.deepEqual(leftovers, []);
  } finally {
    await server.stop();
  }
});

// Child processes (ffmpeg, ffprobe under prlimit and nice) inherit nothing of the server's and
// die with it: killed with SIGKILL in the middle of an encode, the server starts again on the
// same port at once (an orphaned ffmpeg once held the listening socket until it finished) and
// resumes the interrupted job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { BIN, startServer, Client, tempDataDir } from './helpers.mjs';
import { seedDemo } from './demo_seed.mjs';

// The processes whose parent is `pid` (from /proc), with their command names.
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

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('SIGKILL during an encode: the child inherits nothing, dies too, and the port is free at once', async () => {
  const dataDir = tempDataDir();
  seedDemo(BIN, dataDir);
  // A secret in the server's environment that no child may see.
  const env = { AIMOVIEZ_S3_SECRET_KEY: 'child-must-not-see-this' };
  let server = await startServer({ dataDir, env });
  const port = new URL(server.url).port;
  try {
    // The finished demo season's film is built at start: wait for its encoder to run.
    // Its environment is read first, as soon as it is seen: a short encode may be over within
    // the second of descriptor sampling below (prlimit execs nice execs ffmpeg: one process,
    // one environment).
    let child = null;
    const environ = await waitFor('an encoder child and its environment', () => {
      const found = childrenOf(server.proc.pid).find((c) => ['prlimit', 'nice', 'ffmpeg'].includes(c.comm));
      if (!found) return null;
      try {
        const vars = readFileSync(`/proc/${found.pid}/environ`, 'utf8').split('\0').filter(Boolean);
        child = found;
        return vars;
      } catch { return null; /* it ended before we looked: wait for the next */ }
    }, 60_000);
    assert.equal(environ.some((e) => e.includes('child-must-not-see-this') || e.startsWith('AIMOVIEZ_')), false, environ.join(' '));
    // Sampled for a second while it runs. Beyond stdin/stdout/stderr the child may hold files it
    // opened itself: its shared libraries while the loader runs, system facts it reads (ffmpeg
    // and x264 look at /sys/devices/system/node and /proc for the CPU layout), its input and
    // output under media/. What the server holds and a child could only have inherited is of
    // other kinds: a socket, an epoll or eventfd, another pipe, the database or the secret.
    const inherited = (target) => /^(socket|pipe|anon_inode):/.test(target) ||
      (target.startsWith(`${dataDir}/`) && !target.startsWith(`${dataDir}/media/`));
    const stdio = readlinkSync(`/proc/${child.pid}/fd/1`);
    for (const until = Date.now() + 1000; Date.now() < until && existsSync(`/proc/${child.pid}/fd`);) {
      let held = [];
      try {
        held = readdirSync(`/proc/${child.pid}/fd`).map(Number).filter((fd) => fd > 2)
          .map((fd) => { try { return `${fd}→${readlinkSync(`/proc/${child.pid}/fd/${fd}`)}`; } catch { return null; } })
          .filter(Boolean);
      } catch { break; /* it ended */ }
      const foreign = held.filter((entry) => { const target = entry.slice(entry.indexOf('→') + 1); return target !== stdio && inherited(target); });
      assert.deepEqual(foreign, [], `the child holds ${held.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }

    server.proc.kill('SIGKILL');
    await once(server.proc, 'exit');
    server = await startServer({ dataDir, listen: `127.0.0.1:${port}`, env });
    assert.equal(new URL(server.url).port, port);
    await waitFor('the orphaned encoder to end', () => !existsSync(`/proc/${child.pid}`) || readFileSync(`/proc/${child.pid}/stat`, 'utf8').includes(') Z'), 5_000);

    // The interrupted film build is picked up again and finishes.
    const story = await new Client(server.url).get('/api/story?includeArchived=true');
    const finished = story.body.seasons.find((s) => s.status === 'finished');
    let film = null;
    const deadline = Date.now() + 180_000;
    while (!film || !['ready', 'failed'].includes(film.status)) {
      assert.ok(Date.now() < deadline, `film not rebuilt in time: ${JSON.stringify(film)}`);
      await new Promise((res) => setTimeout(res, 300));
      const r = await new Client(server.url).get(`/api/seasons/${finished.id}/film`);
      if (r.status === 200) film = r.body.film;
    }
    assert.equal(film.status, 'ready', film.error);
  } finally {
    await server.stop();
  }
});

// Child processes (ffmpeg, ffprobe under prlimit and nice) inherit nothing of the server's and
// die with it: killed with SIGKILL in the middle of an encode, the server starts again on the
// same port at once (an orphaned ffmpeg once held the listening socket until it finished) and
// resumes the interrupted job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { startServer, Client, cli, tempDataDir } from './helpers.mjs';

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
  cli(dataDir, 'seed-demo');
  // A secret in the server's environment that no child may see.
  const env = { AIMOVIEZ_S3_SECRET_KEY: 'child-must-not-see-this' };
  let server = await startServer({ dataDir, env });
  const port = new URL(server.url).port;
  try {
    // The finished demo season's film is built at start: wait for its encoder to run.
    const child = await waitFor('an encoder child', () => childrenOf(server.proc.pid).find((c) => ['prlimit', 'nice', 'ffmpeg'].includes(c.comm)), 60_000);
    const fds = readdirSync(`/proc/${child.pid}/fd`).map(Number).sort((a, b) => a - b);
    assert.deepEqual(fds, [0, 1, 2], `the child holds ${fds.map((fd) => { try { return `${fd}→${readlinkSync(`/proc/${child.pid}/fd/${fd}`)}`; } catch { return String(fd); } }).join(', ')}`);
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0').filter(Boolean);
    assert.equal(environ.some((e) => e.includes('child-must-not-see-this') || e.startsWith('AIMOVIEZ_')), false, environ.join(' '));

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

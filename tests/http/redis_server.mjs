// A throwaway Redis 7 server for one test file: loopback only, no persistence, stopped (by PID)
// when the test ends. Tests that take Redis away and bring it back use stop() and start(), which
// keeps the port, so the nodes reconnect to the same URL.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort } from './helpers.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
    socket.on('data', (d) => { socket.destroy(); resolve(String(d).startsWith('+PONG')); });
    socket.on('error', () => resolve(false));
  });
}

export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'aimoviez-redis-'));
  const port = await freePort();
  let proc = null;
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn(REDIS_SERVER, ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir,
        '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null) throw new Error(`redis-server exited ${proc.exitCode}`);
        if (await answersPing(port)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('redis-server did not answer in time');
    },
    // SIGKILL: the way a crash takes it away.
    async stop() {
      if (proc && proc.exitCode === null) {
        proc.kill('SIGKILL');
        await once(proc, 'exit');
      }
      proc = null;
    },
    async dispose() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

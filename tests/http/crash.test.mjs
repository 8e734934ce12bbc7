// Durability: every vote answered with 2xx survives SIGKILL of the server, and after restart
// every count equals its stored rows. Repeated with the kill at a random moment of a vote load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { startServer, Client, adminClient, seasonWithClips, sql } from './helpers.mjs';

const ARGS = ['--dev-login', '--vote-rate-per-minute', '100000', '--vote-ip-rate-per-minute', '10000000'];
const VOTERS = 40;
const ROUNDS = 4;

test('acknowledged votes survive kill -9; counts equal stored rows after restart', async (t) => {
  let server = await startServer({ args: ARGS });
  const dataDir = server.dataDir;
  try {
    const admin = await adminClient(server);
    const { clipIds } = await seasonWithClips(server, admin, 80);
    const voters = [];
    for (let i = 0; i < VOTERS; ++i) {
      const c = new Client(server.url);
      const { user } = await c.login(`crash${i}@example.com`, `crash_voter_${i}`);
      voters.push({ client: c, key: `user_${user.id}`, next: 0 });
    }
    let acknowledged = [];
    for (let round = 0; round < ROUNDS; ++round) {
      for (const v of voters) { v.client.base = server.url; v.client.origin = server.url; }
      let killed = false;
      const killAfter = 150 + Math.floor(Math.random() * 600);
      const load = voters.map(async (v, i) => {
        while (!killed && v.next < clipIds.length) {
          const clipId = clipIds[(v.next + i) % clipIds.length];
          v.next += 1;
          try {
            const r = await v.client.post('/api/vote', { clipId });
            if (r.status === 200) acknowledged.push({ key: v.key, clipId });
          } catch {
            return;  // connection cut by the kill
          }
        }
      });
      // The kill lands at a random moment, but only once this round has acknowledged a vote (a
      // loaded machine may take longer than killAfter to answer the first one).
      const ackedBefore = acknowledged.length;
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      for (let waited = 0; acknowledged.length === ackedBefore && waited < 30_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      killed = true;
      server.proc.kill('SIGKILL');
      await once(server.proc, 'exit');
      await Promise.all(load);
      server = await startServer({ dataDir, args: ARGS });

      const stored = new Set(sql(dataDir, 'SELECT voter_key || \':\' || clip_id FROM votes').split('\n'));
      const lost = acknowledged.filter((a) => !stored.has(`${a.key}:${a.clipId}`));
      assert.deepEqual(lost, [], `round ${round}: acknowledged votes missing after kill -9`);
      const pub = new Client(server.url);
      for (const clipId of clipIds) {
        const shown = (await pub.get(`/api/clip/${clipId}`)).body.clip.vote_count;
        const rows = Number(sql(dataDir, `SELECT COUNT(*) FROM votes WHERE clip_id = ${clipId}`));
        assert.equal(shown, rows, `round ${round}: clip ${clipId}`);
      }
      assert.ok(acknowledged.length > 0, 'the load produced acknowledged votes');
      t.diagnostic(`round ${round}: killed after ${killAfter} ms, ${acknowledged.length} acknowledged so far, ${stored.size} stored`);
    }
    const total = Number(sql(dataDir, 'SELECT COUNT(*) FROM votes'));
    assert.ok(total >= acknowledged.length);
  } finally {
    await server.stop();
  }
});

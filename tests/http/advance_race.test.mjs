// Two processes running the auto-advance job at the same moment never produce two winners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { BIN, startServer, adminClient, insertPendingClip, insertVotes, sql, dataArgs } from './helpers.mjs';

async function runJob(dataDir, offsetSeconds) {
  const p = spawn(BIN, ['jobs', 'auto-advance', ...dataArgs(dataDir), '--clock-offset-seconds', String(offsetSeconds)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  const [code] = await once(p, 'exit');
  assert.equal(code, 0, out);
  return Number(out.match(/slots advanced: (\d+)/)[1]);
}

test('concurrent auto-advance jobs advance each expired slot exactly once', async () => {
  const server = await startServer({ args: ['--dev-login'] });
  const rounds = 5;
  try {
    const admin = await adminClient(server);
    const s = await admin.post('/api/admin/seasons', { label: 'Race', total_slots: rounds + 1, voting_window_seconds: 60 });
    const seasonId = s.body.season.id;
    await admin.post(`/api/admin/seasons/${seasonId}/activate`);
    const clips = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => insertPendingClip(server.dataDir, `Racer ${i}`));
    await admin.post('/api/admin/bulk', { action: 'approve', clipIds: clips });
    for (let round = 1; round <= rounds; ++round) {
      insertVotes(server.dataDir, clips[round], 3);
      // Each round moves the clock further so the newly opened slot has expired as well.
      const offset = round * 180;
      const advanced = await Promise.all([runJob(server.dataDir, offset), runJob(server.dataDir, offset)]);
      assert.equal(advanced[0] + advanced[1], 1, `round ${round}: exactly one process advanced (${advanced})`);
    }
    const winners = sql(server.dataDir, `SELECT slot_position, winner_clip_id FROM story_slots WHERE season_id = ${seasonId} AND status = 'locked' ORDER BY slot_position`);
    assert.equal(winners.split('\n').length, rounds);
    const lockedClips = Number(sql(server.dataDir, `SELECT COUNT(*) FROM tournament_clips WHERE season_id = ${seasonId} AND status = 'locked'`));
    assert.equal(lockedClips, rounds, 'one locked clip per locked slot');
    const audits = Number(sql(server.dataDir, `SELECT COUNT(*) FROM audit_logs WHERE action = 'auto_advance'`));
    assert.equal(audits, rounds, 'one audited advance per slot');
    const open = sql(server.dataDir, `SELECT COUNT(*) FROM story_slots WHERE season_id = ${seasonId} AND status IN ('voting','waiting_for_clips')`);
    assert.equal(Number(open), 1, 'exactly one open slot');
  } finally {
    await server.stop();
  }
});

// The platform on PostgreSQL (database_url), through its real entry points: the CLI seeds the
// demo into PostgreSQL, `serve` answers from it, votes and comments are stored there and
// survive a restart, the vote ledger decides votes (failing closed without Redis), and two nodes
// serve one database at once. Needs the server scripts/with-postgres.sh starts (make test does);
// without one it is skipped, unless AIMOVIEZ_REQUIRE_POSTGRES is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { BIN, Client, startServer, tempDataDir, openLive, eventually, NO_NETWORK_BUDGETS } from './helpers.mjs';
import { seedDemo } from './demo_seed.mjs';
import { startRedis } from './redis_server.mjs';

const SERVER = process.env.AIMOVIEZ_TEST_POSTGRES_URL;
const required = !!process.env.AIMOVIEZ_REQUIRE_POSTGRES;
const skip = !SERVER && !required ? 'no PostgreSQL server (run through scripts/with-postgres.sh)' : false;

let schema, databaseUrl, dataDir, server;

function psql(statement) {
  return execFileSync('psql', [SERVER, '-v', 'ON_ERROR_STOP=1', '-Atqc', statement],
    { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } }).trim();
}

function cli(...args) {
  return execFileSync(BIN, [...args, '--data-dir', dataDir, '--database-url', databaseUrl],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function serve() {
  return startServer({ dataDir, args: ['--dev-login', '--database-url', databaseUrl, ...NO_NETWORK_BUDGETS] });
}

before(async () => {
  if (skip) return;
  assert.ok(SERVER, 'AIMOVIEZ_TEST_POSTGRES_URL is not set (run through scripts/with-postgres.sh)');
  // A schema of its own, first on the search path of every connection the server opens.
  schema = `it_${randomBytes(6).toString('hex')}`;
  psql(`CREATE SCHEMA ${schema}`);
  databaseUrl = `${SERVER}${SERVER.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
  dataDir = tempDataDir();  // media and the server secret still live on disk
  assert.match(cli('seed-demo'), /demo seeded/);
  cli('admin', 'grant', 'admin@example.com');
  server = await serve();
});

after(async () => {
  if (skip) return;
  await server?.stop({ keepData: true });
  psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  execFileSync('rm', ['-rf', dataDir]);
});

test('the demo seeded by the CLI is served from PostgreSQL', { skip }, async () => {
  assert.ok(Number(psql(`SELECT COUNT(*) FROM ${schema}.seasons`)) >= 2);
  const story = await new Client(server.url).get('/api/story');
  assert.equal(story.status, 200);
  assert.ok(story.body.seasons.length >= 1);
  const feed = await new Client(server.url).get('/api/vote?limit=8');
  assert.equal(feed.status, 200);
  assert.ok(feed.body.clips.length > 0, 'the open round has clips');
  assert.match(server.stderr(), /"database":"postgresql:\/\/postgres@/);
});

test('votes, comments and sign-ins are stored in PostgreSQL and survive a restart', { skip }, async () => {
  const voter = new Client(server.url);
  await voter.login('pg-voter@example.com', 'pg_voter');
  const feed = await voter.get('/api/vote?limit=8');
  const clip = feed.body.clips[0];
  const before = clip.vote_count;
  const cast = await voter.post('/api/vote', { clipId: clip.id });
  assert.equal(cast.status, 200, JSON.stringify(cast.body));
  assert.equal(cast.body.voteCount, before + 1);
  const again = await voter.post('/api/vote', { clipId: clip.id });
  assert.equal(again.status, 409, 'one vote per voter and clip');
  const said = await voter.post('/api/comments', { clipId: clip.id, text: 'Stored in PostgreSQL' });
  assert.equal(said.status, 201, JSON.stringify(said.body));
  // The vote row is in PostgreSQL once the answer came (the engine commits before answering).
  const userId = psql(`SELECT id FROM ${schema}.users WHERE username = 'pg_voter'`);
  assert.equal(psql(`SELECT COUNT(*) FROM ${schema}.votes WHERE user_id = ${userId} AND clip_id = ${clip.id}`), '1');

  await server.stop({ keepData: true });
  server = await serve();
  const after = await new Client(server.url).get(`/api/clip/${clip.id}`);
  assert.equal(after.status, 200);
  assert.equal(after.body.clip.vote_count, before + 1, 'the count is rebuilt from PostgreSQL');
  const comments = await new Client(server.url).get(`/api/comments?clipId=${clip.id}`);
  assert.ok(comments.body.comments.some((c) => c.text === 'Stored in PostgreSQL'));
  // The session lives in PostgreSQL too: the same cookie, sent to the restarted server, is still
  // signed in.
  const same = new Client(server.url);
  same.cookies = voter.cookies;
  const me = await same.get('/api/auth/session');
  assert.equal(me.body.user?.username, 'pg_voter');
  // And so does the vote: it cannot be cast twice after the restart either.
  assert.equal((await same.post('/api/vote', { clipId: clip.id })).status, 409);
});

test('the vote ledger decides votes on PostgreSQL; with Redis as the limits, a vote fails closed while it is away', { skip }, async () => {
  // The same records served with the request limits in Redis, as a cluster node is.
  const redis = await startRedis();
  await server.stop({ keepData: true });
  server = await startServer({ dataDir, args: ['--dev-login', '--database-url', databaseUrl, '--redis-url', redis.url,
    '--redis-timeout-ms', '300', ...NO_NETWORK_BUDGETS] });
  try {
    // The clip's rows in its current round (a clip carried over keeps its earlier rounds' votes).
    const rows = (clipId) => Number(psql(`SELECT COUNT(*) FROM ${schema}.votes v JOIN ${schema}.tournament_clips c
      ON c.id = v.clip_id AND c.season_id = v.season_id AND c.slot_position = v.slot_position WHERE v.clip_id = ${clipId}`));
    const voter = new Client(server.url, { userAgent: 'ledger-voter' });
    const clip = (await voter.get('/api/vote?limit=8')).body.clips[0];
    const cast = await voter.post('/api/vote', { clipId: clip.id });
    assert.equal(cast.status, 200, JSON.stringify(cast.body));
    assert.equal(cast.body.voteCount, rows(clip.id), 'the answer counts the stored rows');
    assert.ok(cast.body.receipt?.leafHash, 'a receipt for the stored vote');
    const feed = await voter.get('/api/vote?limit=8');
    assert.ok(feed.body.votedClipIds.includes(clip.id), JSON.stringify(feed.body.votedClipIds));
    const withdrawn = await voter.del('/api/vote', { clipId: clip.id });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal(withdrawn.body.totalVotesToday, 0, 'a vote withdrawn today gives the day back');
    assert.equal(withdrawn.body.voteCount, rows(clip.id));

    await redis.stop();
    const refused = await voter.post('/api/vote', { clipId: clip.id });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'LIMITS_UNAVAILABLE');
    assert.equal(rows(clip.id), withdrawn.body.voteCount, 'nothing stored while the limits are away');
    await redis.start();
    const back = await voter.post('/api/vote', { clipId: clip.id });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.voteCount, rows(clip.id));
  } finally {
    await server.stop({ keepData: true });
    await redis.dispose();
    server = await serve();
  }
});

test('an admin works on PostgreSQL: the audit log and the flags', { skip }, async () => {
  const admin = new Client(server.url);
  await admin.login('admin@example.com');
  const flip = await admin.post('/api/admin/feature-flags', { key: 'spotlight_tour', enabled: false });
  assert.equal(flip.status, 200, JSON.stringify(flip.body));
  assert.equal(psql(`SELECT enabled FROM ${schema}.feature_flags WHERE key = 'spotlight_tour'`), 'f');
  const audit = await admin.get('/api/admin/audit-logs');
  assert.equal(audit.status, 200);
  assert.ok(audit.body.entries.some((e) => e.resource_id === 'spotlight_tour' || e.action.includes('flag')),
    JSON.stringify(audit.body.entries));
});

test('two nodes serve one database: counts, live tallies, XP and announcements agree across them', { skip }, async () => {
  // The nodes share PostgreSQL and Redis, as a cluster's do; each runs every background job.
  const redis = await startRedis();
  await server.stop({ keepData: true });
  const node = () => startServer({ dataDir, args: ['--dev-login', '--database-url', databaseUrl, '--redis-url', redis.url,
    '--tally-refresh-ms', '200', ...NO_NETWORK_BUDGETS] });
  const [a, b] = await Promise.all([node(), node()]);
  try {
    const clips = (await new Client(b.url).get('/api/vote?limit=8')).body.clips;
    const [first, second] = clips;
    // A vote taken by node A: node B's clients get the tally pushed, and B's feed counts it.
    const live = await openLive(b);
    await live.subscribe('tallies');
    const cast = await new Client(a.url, { userAgent: 'node-a-voter' }).post('/api/vote', { clipId: first.id });
    assert.equal(cast.status, 200, JSON.stringify(cast.body));
    await live.next((m) => m.type === 'TallyUpdated' && m.clips.some((c) => c.clipId === first.id && c.voteCount === cast.body.voteCount));
    live.close();
    await eventually(async () => {
      const onB = (await new Client(b.url).get('/api/vote?limit=8')).body.clips.find((c) => c.id === first.id);
      return onB?.vote_count === cast.body.voteCount;
    }, "node B's count of node A's vote", 5000);

    // One member votes through both nodes; each node's progression job runs, each vote counts once.
    const member = new Client(a.url);
    const { user } = await member.login('two-nodes@example.com', 'two_nodes');
    const onB = new Client(b.url);
    onB.cookies = member.cookies;
    assert.equal((await member.post('/api/vote', { clipId: first.id })).status, 200);
    const viaB = await onB.post('/api/vote', { clipId: second.id });
    assert.equal(viaB.status, 200, JSON.stringify(viaB.body));
    const progress = await eventually(async () => {
      const p = (await onB.get('/api/profile/progress')).body;
      return p.votesCast === 2 && p;
    }, 'both votes applied');
    await new Promise((r) => setTimeout(r, 2500));  // passes of both nodes' jobs since
    const again = (await member.get('/api/profile/progress')).body;
    assert.equal(again.votesCast, 2, 'no vote counted twice');
    assert.equal(again.xp, progress.xp);
    assert.equal(Number(psql(`SELECT COUNT(*) FROM ${schema}.xp_ledger WHERE user_id = ${user.id} AND kind = 'vote'`)), 2);

    // An announcement made on node A reaches every account once, whichever node delivers it.
    const admin = new Client(a.url);
    await admin.login('admin@example.com');
    const sent = await admin.post('/api/admin/announcements', { title: 'Two nodes', body: 'One message each.' });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const accounts = Number(psql(`SELECT COUNT(*) FROM ${schema}.users WHERE NOT is_banned`));
    await eventually(() => Number(psql(`SELECT COUNT(*) FROM ${schema}.notifications WHERE title = 'Two nodes'`)) >= accounts,
      'the announcement delivered');
    assert.equal(Number(psql(`SELECT COUNT(DISTINCT user_id) FROM ${schema}.notifications WHERE title = 'Two nodes'`)), accounts);
    assert.equal(Number(psql(`SELECT COUNT(*) FROM ${schema}.notifications WHERE title = 'Two nodes'`)), accounts, 'none told twice');
  } finally {
    await Promise.all([a.stop({ keepData: true }), b.stop({ keepData: true })]);
    await redis.dispose();
    server = await serve();
  }
});

test('a node whose server secret differs from the other nodes\' refuses to serve the database', { skip }, async () => {
  // Its own data directory means a server.secret of its own: sessions signed by one node would
  // be refused by the other, so it stops at start-up instead, naming the file to copy.
  const strayDir = tempDataDir();
  try {
    await assert.rejects(
      startServer({ dataDir: strayDir, args: ['--database-url', databaseUrl] }),
      /server\.secret differs from the one the other nodes of this database use/);
    assert.equal((await new Client(server.url).get('/api/health')).status, 200, 'the running node serves on');
  } finally {
    execFileSync('rm', ['-rf', strayDir]);
  }
});

test('backup and restore point cluster mode at pg_dump', { skip }, async () => {
  let failure;
  try {
    cli('backup', tempDataDir());
  } catch (err) {
    failure = err;
  }
  assert.ok(failure, 'backup in cluster mode must refuse');
  assert.equal(failure.status, 2);
  assert.match(String(failure.stderr), /pg_dump/);
});

// The move up: an embedded platform's records copied into PostgreSQL serve the same story,
// counts and leaderboards; a second run copies nothing and still verifies.
test('migrate-data moves the demo from SQLite to PostgreSQL: same story, counts and leaderboards', { skip }, async () => {
  const embeddedDir = tempDataDir();
  seedDemo(BIN, embeddedDir);
  const target = `it_${randomBytes(6).toString('hex')}`;
  psql(`CREATE SCHEMA ${target}`);
  const targetUrl = `${SERVER}${SERVER.includes('?') ? '&' : '?'}options=-csearch_path%3D${target}`;
  const readAll = async (url) => {
    const c = new Client(url);
    const story = (await c.get('/api/story?includeArchived=true')).body;
    const boards = {};
    for (const board of ['clips', 'voters', 'creators']) boards[board] = (await c.get(`/api/leaderboard/${board}?period=all&limit=50`)).body;
    const counts = {};
    for (const season of story.seasons) {
      for (const slot of season.slots ?? []) if (slot.winner) counts[slot.winner.id] = slot.winner.vote_count;
    }
    const feed = (await c.get('/api/vote?limit=8')).body;
    assert.ok(Array.isArray(feed.clips), JSON.stringify(feed));
    for (const clip of feed.clips) counts[clip.id] = clip.vote_count;
    return { story, boards, counts };
  };
  let embedded, migrated;
  try {
    const before = await startServer({ dataDir: embeddedDir });
    embedded = await readAll(before.url);
    await before.stop({ keepData: true });

    const out = execFileSync(BIN, ['migrate-data', '--from', `sqlite:${embeddedDir}/aimoviez.db`, '--to', targetUrl], { encoding: 'utf8' });
    assert.match(out, /verified: every table's rows and every clip's votes and score match/);
    assert.match(out, /^votes: (\d+) rows, \1 copied now, \1 in PostgreSQL$/m);
    const again = execFileSync(BIN, ['migrate-data', '--from', `sqlite:${embeddedDir}/aimoviez.db`, '--to', targetUrl], { encoding: 'utf8' });
    assert.match(again, /^votes: (\d+) rows, 0 copied now, \1 in PostgreSQL$/m, 'a second run copies nothing');
    assert.match(again, /verified/);

    const after = await startServer({ dataDir: embeddedDir, args: ['--database-url', targetUrl] });
    migrated = await readAll(after.url);
    await after.stop({ keepData: true });
  } finally {
    psql(`DROP SCHEMA IF EXISTS ${target} CASCADE`);
    execFileSync('rm', ['-rf', embeddedDir]);
  }
  assert.ok(Object.keys(embedded.counts).length > 5);
  assert.deepEqual(migrated.counts, embedded.counts);
  assert.deepEqual(migrated.boards, embedded.boards);
  assert.deepEqual(migrated.story, embedded.story);
});

test('migrate-data refuses what it cannot copy', { skip }, async () => {
  const run = (...args) => {
    try {
      execFileSync(BIN, ['migrate-data', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: 0 };
    } catch (err) {
      return { status: err.status, stderr: String(err.stderr) };
    }
  };
  assert.equal(run('--from', '/tmp/x.db', '--to', databaseUrl).status, 2);  // not sqlite:PATH
  const missing = run('--from', 'sqlite:/nonexistent/aimoviez.db', '--to', databaseUrl);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no embedded database/);
});

// Jobs across processes on PostgreSQL: two auto-advance runs at the same moment, round after
// round, advance each expired slot exactly once (the job lock's upsert and fencing token).
test('concurrent auto-advance processes on PostgreSQL advance each expired slot exactly once', { skip }, async () => {
  const race = `it_${randomBytes(6).toString('hex')}`;
  psql(`CREATE SCHEMA ${race}`);
  const raceUrl = `${SERVER}${SERVER.includes('?') ? '&' : '?'}options=-csearch_path%3D${race}`;
  const raceDir = tempDataDir();
  const runJob = async (offsetSeconds) => {
    const p = spawn(BIN, ['jobs', 'auto-advance', '--data-dir', raceDir, '--database-url', raceUrl,
      '--clock-offset-seconds', String(offsetSeconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const [code] = await once(p, 'exit');
    assert.equal(code, 0, out);
    return Number(out.match(/slots advanced: (\d+)/)[1]);
  };
  const rounds = 8;
  const raceServer = await startServer({ dataDir: raceDir, args: ['--dev-login', '--database-url', raceUrl] });
  try {
    execFileSync(BIN, ['admin', 'grant', 'admin@example.com', '--data-dir', raceDir, '--database-url', raceUrl], { stdio: 'ignore' });
    const admin = new Client(raceServer.url);
    await admin.login('admin@example.com', 'site_admin');
    const s = await admin.post('/api/admin/seasons', { label: 'Race', total_slots: rounds + 1, voting_window_seconds: 60 });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    const seasonId = s.body.season.id;
    assert.equal((await admin.post(`/api/admin/seasons/${seasonId}/activate`)).status, 200);
    const now = Date.now();
    const clips = psql(`INSERT INTO ${race}.tournament_clips (title, genre, video_url, thumbnail_url, status, created_at, updated_at)
      SELECT 'Racer ' || i, 'Action', '/media/x.mp4', '/media/x.jpg', 'pending', ${now}, ${now} FROM generate_series(1, 10) AS i
      RETURNING id`).split('\n').map(Number);
    assert.equal((await admin.post('/api/admin/bulk', { action: 'approve', clipIds: clips })).status, 200);
    for (let round = 1; round <= rounds; ++round) {
      // Three votes for this round's favourite, stored as the engine stores them.
      psql(`INSERT INTO ${race}.votes (id, clip_id, voter_key, vote_weight, vote_type, season_id, slot_position, created_at)
        SELECT (SELECT COALESCE(MAX(id), 0) FROM ${race}.votes) + i, c.id, 'race_' || c.id || '_' || i, 1, 'standard',
               c.season_id, c.slot_position, ${Date.now()}
        FROM ${race}.tournament_clips c, generate_series(1, 3) AS i WHERE c.id = ${clips[round]}`);
      const offset = round * 180;  // past the newly opened slot's deadline too
      const advanced = await Promise.all([runJob(offset), runJob(offset)]);
      assert.equal(advanced[0] + advanced[1], 1, `round ${round}: exactly one process advanced (${advanced})`);
    }
    const locked = psql(`SELECT slot_position || ':' || winner_clip_id FROM ${race}.story_slots
      WHERE season_id = ${seasonId} AND status = 'locked' ORDER BY slot_position`).split('\n');
    assert.equal(locked.length, rounds, 'one winner per slot');
    assert.equal(Number(psql(`SELECT COUNT(*) FROM ${race}.tournament_clips WHERE season_id = ${seasonId} AND status = 'locked'`)), rounds);
    assert.equal(Number(psql(`SELECT COUNT(*) FROM ${race}.audit_logs WHERE action = 'auto_advance'`)), rounds, 'one audited advance per slot');
    assert.equal(Number(psql(`SELECT COUNT(*) FROM ${race}.story_slots WHERE season_id = ${seasonId} AND status IN ('voting','waiting_for_clips')`)), 1);
  } finally {
    await raceServer.stop({ keepData: true });
    psql(`DROP SCHEMA IF EXISTS ${race} CASCADE`);
    execFileSync('rm', ['-rf', raceDir]);
  }
});

// Cluster mode as `make cluster` runs it (scripts/run-cluster.sh): PostgreSQL and Redis on
// loopback, two nodes serving one database, nginx in front. Requests are spread over both nodes
// and WebSockets pass through nginx; the vote races of vote.test.mjs are run with their requests
// split over the two nodes, a node killed with SIGKILL under vote load loses no vote it
// acknowledged while nginx carries on with the other, and PostgreSQL or Redis stopped under load
// means clean 503s meanwhile, nothing acknowledged lost, and voting back when it returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, Client, openLive, eventually, freePort, NO_NETWORK_BUDGETS } from './helpers.mjs';
import { CLUSTER_MODE, psql as psqlAt } from './cluster_server.mjs';

const SCRIPTS = new URL('../../scripts/', import.meta.url).pathname;
const DAILY_LIMIT = 6;
const NODE_ARGS = ['--vote-rate-per-minute', '100000', '--vote-ip-rate-per-minute', '1000000', '--daily-vote-limit',
  String(DAILY_LIMIT), '--rate-read-per-minute', '1000000', '--rate-api-per-minute', '1000000', '--tally-refresh-ms', '200',
  ...NO_NETWORK_BUDGETS];
const tools = ['/usr/lib/postgresql/15/bin/pg_ctl', '/usr/bin/redis-server', '/usr/sbin/nginx'];
const skip = CLUSTER_MODE ? 'starts its own cluster: runs in the embedded pass'
  : tools.every(existsSync) || process.env.AIMOVIEZ_REQUIRE_POSTGRES ? false : 'PostgreSQL, Redis or nginx is not installed';

let cluster;  // { proc, url, nodes: [{ url, pid }], databaseUrl, databaseDir, redisUrl }
let restartedRedis;  // a Redis this file started in place of the one it killed
let clips;    // the clips of the slot open for votes, as the feed lists them

async function startCluster() {
  const port = await freePort();
  const proc = spawn(`${SCRIPTS}with-postgres.sh`, [`${SCRIPTS}with-redis.sh`, `${SCRIPTS}run-cluster.sh`], {
    detached: true,  // its own process group, so that one signal stops the servers it started
    env: { ...process.env, AIMOVIEZ_BIN: BIN, LISTEN: `127.0.0.1:${port}`, CLUSTER_NODE_ARGS: NODE_ARGS.join(' ') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cluster did not start: ${out}`)), 120_000);
    proc.stdout.on('data', (d) => {
      out += d;
      if (/aimoviez cluster: .* on (http:\/\/\S+)/.test(out)) { clearTimeout(timer); resolve(out); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the cluster exited ${code}: ${out}`)); });
  });
  return {
    proc,
    url: ready.match(/aimoviez cluster: .* on (http:\/\/\S+)/)[1],
    nodes: [...ready.matchAll(/node \d+: (http:\/\/\S+) pid (\d+)/g)].map((m) => ({ url: m[1], pid: Number(m[2]) })),
    databaseUrl: ready.match(/PostgreSQL: (\S+)/)[1],
    databaseDir: ready.match(/PostgreSQL: \S+ \(data (\S+)\)/)[1],
    redisUrl: ready.match(/Redis: (\S+)/)[1],
  };
}

const psql = (statement) => psqlAt(cluster.databaseUrl, statement);

const storedVotes = (clipId) => Number(psql(
  `SELECT COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id AND v.slot_position = c.slot_position WHERE v.clip_id = ${clipId}`));

// One voter seen through each node: the clients share cookies (and their user agent, which with
// the address makes an anonymous voter's device), as a browser behind a balancer would.
async function voterOnBothNodes(userAgent, email) {
  const [a, b] = cluster.nodes.map((n) => new Client(n.url, { userAgent }));
  const user = email ? (await a.login(email, email.split('@')[0])).user : null;
  b.cookies = a.cookies;
  await Promise.all([a.refreshCsrf(), b.refreshCsrf()]);
  return [a, b, user];
}

// The process whose command line (as /proc shows it) starts with `prefix`.
function processWithCommandLine(prefix) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(prefix)) return Number(entry);
    } catch { /* the process ended meanwhile */ }
  }
  return null;
}

// The sum of a counter over all its series, as one node reports it.
async function counterSum(nodeUrl, name) {
  const text = await (await fetch(`${nodeUrl}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

before(async () => {
  if (skip) return;
  cluster = await startCluster();
  assert.equal(cluster.nodes.length, 2);
  clips = (await new Client(cluster.url).get('/api/vote?limit=20')).body.clips;
  assert.ok(clips.length > DAILY_LIMIT, `the demo's open slot has ${clips.length} clips`);
});

after(async () => {
  if (restartedRedis && restartedRedis.exitCode === null) {
    restartedRedis.kill('SIGTERM');
    await once(restartedRedis, 'exit');
  }
  if (!cluster) return;
  if (cluster.proc.exitCode === null) {
    process.kill(-cluster.proc.pid, 'SIGTERM');
    await once(cluster.proc, 'exit');
  }
});

test('nginx spreads requests over both nodes and carries WebSockets; a vote on either node reaches a live client', { skip }, async () => {
  const before = await Promise.all(cluster.nodes.map((n) => counterSum(n.url, 'aimoviez_http_requests_total')));
  for (let i = 0; i < 20; ++i) assert.equal((await fetch(`${cluster.url}/api/health`)).status, 200);
  const afterwards = await Promise.all(cluster.nodes.map((n) => counterSum(n.url, 'aimoviez_http_requests_total')));
  afterwards.forEach((count, i) => assert.ok(count - before[i] >= 5, `node ${i + 1} served ${count - before[i]} of 20`));

  const live = await openLive({ url: cluster.url });
  assert.equal((await live.subscribe('tallies')).type, 'subscribed');
  for (const [i, node] of cluster.nodes.entries()) {
    const cast = await new Client(node.url, { userAgent: `live-through-nginx-${i}` }).post('/api/vote', { clipId: clips[i].id });
    assert.equal(cast.status, 200, JSON.stringify(cast.body));
    await live.next((m) => m.type === 'TallyUpdated' && m.clips.some((c) => c.clipId === clips[i].id && c.voteCount === cast.body.voteCount));
  }
  live.close();
});

test('64 voters on one clip, split over both nodes: exactly 64 more, shown by both', { skip }, async () => {
  const clipId = clips[2].id;
  const start = storedVotes(clipId);
  const results = await Promise.all(Array.from({ length: 64 }, (_, i) =>
    new Client(cluster.nodes[i % 2].url, { userAgent: `cluster-voter-${i}` }).post('/api/vote', { clipId })));
  assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body)));
  assert.equal(storedVotes(clipId), start + 64);
  for (const node of cluster.nodes) {
    await eventually(async () => (await new Client(node.url).get(`/api/clip/${clipId}`)).body.clip.vote_count === start + 64,
      `${node.url} showing ${start + 64}`, 5000);
  }
});

test('one voter sends 64 identical votes over both nodes: exactly 1 stored', { skip }, async () => {
  const clipId = clips[3].id;
  const start = storedVotes(clipId);
  const [a, b] = await voterOnBothNodes('cluster-identical', 'identical_voter@example.com');
  const results = await Promise.all(Array.from({ length: 64 }, (_, i) => (i % 2 ? b : a).post('/api/vote', { clipId })));
  assert.equal(results.filter((r) => r.status === 200).length, 1);
  const refused = results.filter((r) => r.status !== 200);
  assert.ok(refused.every((r) => r.status === 409 && r.body.code === 'ALREADY_VOTED'), JSON.stringify(refused.map((r) => r.body)));
  assert.equal(storedVotes(clipId), start + 1);
});

test(`a voter one short of the daily cap sends parallel votes over both nodes: exactly ${DAILY_LIMIT}`, { skip }, async () => {
  const [a, b, user] = await voterOnBothNodes('cluster-cap', 'cap_voter@example.com');
  for (let i = 0; i < DAILY_LIMIT - 1; ++i) assert.equal((await a.post('/api/vote', { clipId: clips[i].id })).status, 200);
  const rest = clips.slice(DAILY_LIMIT - 1);
  const results = await Promise.all(rest.map((c, i) => (i % 2 ? b : a).post('/api/vote', { clipId: c.id })));
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, JSON.stringify(results.map((r) => r.body?.code ?? r.status)));
  assert.equal(ok[0].body.totalVotesToday, DAILY_LIMIT);
  const capped = results.filter((r) => r.status === 429);
  assert.equal(capped.length, rest.length - 1);
  assert.ok(capped.every((r) => r.body.code === 'DAILY_LIMIT'));
  assert.equal(Number(psql(`SELECT COUNT(*) FROM votes WHERE user_id = ${user.id}`)), DAILY_LIMIT);
});

test('vote/revoke races over both nodes leave the shown count equal to the stored rows', { skip }, async () => {
  const clipId = clips[4].id;
  const voters = await Promise.all(Array.from({ length: 24 }, (_, i) => voterOnBothNodes(`cluster-racer-${i}`)));
  await Promise.all(voters.map(async (pair, i) => {
    for (let k = 0; k < 6; ++k) {
      const client = pair[(i + k) % 2];
      if ((i + k) % 3 === 0) await client.del('/api/vote', { clipId });
      else await client.post('/api/vote', { clipId });
    }
  }));
  const stored = storedVotes(clipId);
  for (const node of cluster.nodes) {
    await eventually(async () => (await new Client(node.url).get(`/api/clip/${clipId}`)).body.clip.vote_count === stored,
      `${node.url} showing the ${stored} stored votes`, 5000);
  }
});

test('a node killed with SIGKILL under vote load: every acknowledged vote is stored, nginx carries on with the other', { skip }, async (t) => {
  const clipId = clips[5].id;
  const start = storedVotes(clipId);
  const total = 160;
  const acknowledged = [];
  const afterKill = [];
  let killed = false;
  for (let i = 0; i < total; i += 8) {
    if (i === 48) { process.kill(cluster.nodes[1].pid, 'SIGKILL'); killed = true; }
    const batch = await Promise.all(Array.from({ length: 8 }, (_, k) =>
      new Client(cluster.url, { userAgent: `cluster-kill-${i + k}` }).post('/api/vote', { clipId })));
    for (const r of batch) {
      if (r.status === 200) acknowledged.push(r);
      if (killed && i >= 56) afterKill.push(r.status);
    }
  }
  // Votes in flight on the killed node may be lost unacknowledged (502); none acknowledged is.
  const stored = storedVotes(clipId) - start;
  t.diagnostic(`${total} votes sent, ${acknowledged.length} acknowledged, ${stored} stored`);
  assert.ok(stored >= acknowledged.length, `${acknowledged.length} acknowledged, ${stored} stored`);
  assert.ok(stored <= total);
  assert.ok(acknowledged.length >= total - 48, `only ${acknowledged.length} of ${total} acknowledged`);
  assert.ok(afterKill.every((s) => s === 200), `after the kill: ${afterKill.filter((s) => s !== 200).join(',')}`);
  await eventually(async () => (await new Client(cluster.url).get(`/api/clip/${clipId}`)).body.clip.vote_count === storedVotes(clipId),
    'the surviving node showing every stored vote', 5000);
});

test('PostgreSQL stopped for 7 s under vote load: votes meanwhile fail cleanly, none acknowledged is lost, voting resumes', { skip }, async (t) => {
  const clipId = clips[6].id;
  const start = storedVotes(clipId);
  const asServerUser = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  let sent = 0;
  const acknowledged = [];
  const refused = [];
  let restarting = true;
  const load = (async () => {
    while (restarting) {
      const batch = await Promise.all(Array.from({ length: 4 }, () =>
        new Client(cluster.url, { userAgent: `cluster-pg-restart-${sent++}` }).post('/api/vote', { clipId })));
      for (const r of batch) (r.status === 200 ? acknowledged : refused).push(r);
    }
  })();
  const pgCtl = (...args) => {
    const [cmd, ...rest] = [...asServerUser, '/usr/lib/postgresql/15/bin/pg_ctl', '-D', cluster.databaseDir, ...args];
    execFileSync(cmd, rest, { stdio: 'ignore' });
  };
  await new Promise((r) => setTimeout(r, 300));
  // Down for longer than a request waits for a connection (5 s), so some votes must be refused;
  // started again with the options it ran with (postmaster.opts, after the program's name).
  const options = readFileSync(join(cluster.databaseDir, 'postmaster.opts'), 'utf8').trim().replace(/^\S+\s*/, '');
  pgCtl('-m', 'immediate', 'stop');
  await new Promise((r) => setTimeout(r, 7000));
  pgCtl('-w', '-l', join(cluster.databaseDir, '..', 'server.log'), '-o', options, 'start');
  await new Promise((r) => setTimeout(r, 300));
  restarting = false;
  await load;
  t.diagnostic(`${sent} votes sent, ${acknowledged.length} acknowledged, ${refused.length} refused ` +
    `(${[...new Set(refused.map((r) => `${r.status} ${r.body?.code ?? ''}`))].join(', ')})`);
  // Refusals are answers with a code, never a hang or a dropped connection.
  assert.ok(refused.every((r) => r.status === 503 && typeof r.body?.code === 'string'), JSON.stringify(refused.map((r) => r.body)));
  // Voting resumes on both nodes once the server is back (the pools reconnect).
  for (const [i, node] of cluster.nodes.entries()) {
    if (i === 1) continue;  // killed by the previous test
    await eventually(async () => (await new Client(node.url, { userAgent: `cluster-pg-back-${i}` }).post('/api/vote', { clipId })).status === 200,
      `a vote through ${node.url} after the restart`, 15_000);
  }
  const stored = storedVotes(clipId) - start;
  assert.ok(stored >= acknowledged.length + 1, `${acknowledged.length} acknowledged (+1 after), ${stored} stored`);
  assert.ok(stored <= sent + 1);
});

test('Redis killed under vote load: votes meanwhile refused 503 LIMITS_UNAVAILABLE, none acknowledged lost, none over the cap, voting back when it returns', { skip }, async (t) => {
  const clipId = clips[clips.length - 1].id;
  const start = storedVotes(clipId);
  const port = new URL(cluster.redisUrl).port;
  const pid = processWithCommandLine(`redis-server 127.0.0.1:${port}`);
  assert.ok(pid, 'the Redis server of the cluster was not found');
  // Through nginx: the previous test killed the second node.
  const voter = new Client(cluster.url, { userAgent: 'cluster-redis-cap' });
  const { user } = await voter.login('redis_cap@example.com', 'redis_cap');
  for (let i = 0; i < DAILY_LIMIT - 1; ++i) assert.equal((await voter.post('/api/vote', { clipId: clips[i].id })).status, 200);
  let sent = 0;
  let running = true;
  const acknowledged = [];
  const refused = [];
  const load = (async () => {
    while (running) {
      const batch = await Promise.all(Array.from({ length: 4 }, () =>
        new Client(cluster.url, { userAgent: `cluster-redis-kill-${sent++}` }).post('/api/vote', { clipId })));
      for (const r of batch) (r.status === 200 ? acknowledged : refused).push(r);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 1500));
  // While Redis is away the capped voter gets no vote past the cap: refused, never unchecked.
  const whileAway = await Promise.all(clips.slice(DAILY_LIMIT - 1).map((c) => voter.post('/api/vote', { clipId: c.id })));
  assert.ok(whileAway.every((r) => r.status === 503 && r.body.code === 'LIMITS_UNAVAILABLE'), JSON.stringify(whileAway.map((r) => r.body)));
  restartedRedis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', port, '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
    { stdio: 'ignore' });
  await eventually(async () => (await new Client(cluster.url, { userAgent: 'cluster-redis-back' }).post('/api/vote', { clipId })).status === 200,
    'a vote after Redis is back', 15_000);
  running = false;
  await load;
  t.diagnostic(`${sent} votes sent, ${acknowledged.length} acknowledged, ${refused.length} refused ` +
    `(${[...new Set(refused.map((r) => `${r.status} ${r.body?.code ?? ''}`))].join(', ')})`);
  assert.ok(refused.length > 0, 'no vote was sent while Redis was away');
  assert.ok(refused.every((r) => r.status === 503 && r.body?.code === 'LIMITS_UNAVAILABLE'), JSON.stringify(refused.slice(0, 5).map((r) => r.body)));
  const stored = storedVotes(clipId) - start;
  assert.ok(stored >= acknowledged.length + 1, `${acknowledged.length} acknowledged (+1 after), ${stored} stored`);
  // Back with Redis, which lost its counters: the cap is still exact (the ledger in PostgreSQL).
  const rest = clips.slice(DAILY_LIMIT - 1);
  const results = await Promise.all(rest.map((c) => voter.post('/api/vote', { clipId: c.id })));
  assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.body?.code ?? r.status)));
  assert.equal(Number(psql(`SELECT COUNT(*) FROM votes WHERE user_id = ${user.id}`)), DAILY_LIMIT);
});

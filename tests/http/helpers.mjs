// Shared helpers for the HTTP integration tests: start the real binary on an ephemeral port
// with a temporary data directory, a cookie-keeping client that speaks the CSRF protocol, the
// CLI, and direct SQLite access for seeding rows that no API creates yet.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { CLUSTER_MODE, TALLY_INTERVAL_MS, databaseOf, psql, startClusterServer } from './cluster_server.mjs';

export const BIN = process.env.AIMOVIEZ_BIN ?? new URL('../../build-debug/aimoviez', import.meta.url).pathname;

// The tests' many anonymous voters all come from 127.0.0.1, one network, where real ones would
// come from many: suites that are not about the per-network budgets lift them.
export const NO_NETWORK_BUDGETS = ['--anon-votes-per-clip-per-network', '1000000000',
  '--unverified-votes-per-clip-per-network', '1000000000', '--anon-votes-per-network-per-day', '1000000000',
  '--new-readers-per-network-per-day', '1000000000'];

export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), 'aimoviez-it-'));
}

// A loopback port free at the moment of asking.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// The CLI's arguments that name a server's data: its directory, and in the cluster pass its
// PostgreSQL database.
export function dataArgs(dataDir) {
  const database = databaseOf(dataDir);
  return database ? ['--data-dir', dataDir, '--database-url', database.url] : ['--data-dir', dataDir];
}

export function cli(dataDir, ...args) {
  return execFileSync(BIN, [...args, ...dataArgs(dataDir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Tests that are about one process on one SQLite file (its backups, its crash recovery, its
// descriptors) have no counterpart in cluster mode: they pass `{ skip: EMBEDDED_ONLY }`.
// (Read from the environment: this module and cluster_server.mjs import each other, and either
// may be evaluated first.)
export const EMBEDDED_ONLY = process.env.AIMOVIEZ_TEST_CLUSTER === '1'
  ? 'about embedded mode (one process, one SQLite file)' : false;

// `cwd`: run the server from that directory and give it the data directory relative to it, as
// `make run` does (--data-dir ./data); `dataDir` stays absolute for the test.
// `listen`: a fixed address instead of an ephemeral port (a restart on the same port).
// Every test client is 127.0.0.1: the read, API and admin budgets per address (spec 21.5) are
// lifted unless a test sets them (rate_limits.test.mjs tests them at their defaults).
const LIFTED_RATES = { '--rate-read-per-minute': '1000000', '--rate-api-per-minute': '1000000', '--rate-admin-sensitive-per-minute': '1000000', '--rate-contact-per-minute': '1000000',
  '--max-connections-per-ip': '100000' };

// In the cluster pass (AIMOVIEZ_TEST_CLUSTER=1) the server is two nodes behind nginx on
// PostgreSQL and Redis (cluster_server.mjs); `listen` is embedded-only.
export async function startServer(options = {}) {
  if (CLUSTER_MODE) {
    if (options.listen) throw new Error('listen is for embedded-mode tests (skip them with EMBEDDED_ONLY)');
    return startClusterServer({ dataDir: tempDataDir(), ...options });
  }
  return startNode(options);
}

// One `aimoviez serve` process.
export async function startNode({ dataDir = tempDataDir(), args = [], env = {}, cwd, listen = '127.0.0.1:0', liftRates = true } = {}) {
  // Background jobs are off unless a test turns them on.
  const jobs = args.includes('--job-interval-seconds') ? [] : ['--job-interval-seconds', '0'];
  if (liftRates) {
    for (const [flag, value] of Object.entries(LIFTED_RATES)) if (!args.includes(flag)) jobs.push(flag, value);
  }
  const dataDirArg = cwd ? relative(cwd, dataDir) : dataDir;
  const proc = spawn(BIN, ['serve', '--data-dir', dataDirArg, '--listen', listen, ...jobs, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 1e6) stderr = stderr.slice(-5e5); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return {
    url,
    // The serving process itself (in the cluster pass, one node behind the balancer): for tests
    // of the HTTP server's own handling of connections and malformed requests.
    directUrl: url,
    nodeUrls: [url],
    dataDir,
    proc,
    pids: () => [proc.pid],
    stderr: () => stderr,
    // SIGKILL: the server gets no chance to finish anything; the data stays for a restart.
    async crash() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await once(proc, 'exit');
      }
    },
    async stop({ keepData = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await once(proc, 'exit');
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

// A browser-like client: keeps cookies, sends Origin, fetches and refreshes the CSRF token.
export class Client {
  constructor(baseUrl, { origin = baseUrl, userAgent = null, ip = null } = {}) {
    this.base = baseUrl;
    this.origin = origin;
    // Distinct user agents make distinct anonymous voters (the device key is a keyed hash of
    // the request fingerprint).
    this.defaultHeaders = userAgent ? { 'user-agent': userAgent } : {};
    this.cookies = new Map();
    this.csrf = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  absorb(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq), value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async raw(method, path, { body, headers = {}, json = true } = {}) {
    const h = { ...this.defaultHeaders, ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (method !== 'GET' && method !== 'HEAD') {
      if (this.origin && !('origin' in h)) h.origin = this.origin;
    }
    let payload = body;
    if (json && body !== undefined && typeof body !== 'string') {
      payload = JSON.stringify(body);
    }
    if (payload !== undefined && !('content-type' in h)) h['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    this.absorb(res);
    return res;
  }

  async refreshCsrf() {
    const res = await this.raw('GET', '/api/csrf');
    this.csrf = (await res.json()).token;
    return this.csrf;
  }

  async call(method, path, body, headers = {}) {
    if (method !== 'GET' && !this.csrf) await this.refreshCsrf();
    const h = { ...headers };
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    const res = await this.raw(method, path, { body, headers: h });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    return { status: res.status, headers: res.headers, body: data };
  }

  get(path) { return this.call('GET', path); }
  post(path, body = {}) { return this.call('POST', path, body); }
  patch(path, body = {}) { return this.call('PATCH', path, body); }
  del(path, body = {}) { return this.call('DELETE', path, body); }

  async login(email, username) {
    const r = await this.post('/api/auth/dev-login', username ? { email, username } : { email });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    this.csrf = r.body.csrfToken;
    return r.body;
  }
}

// Runs SQL against the server's database: the sqlite3 shell (WAL lets it write beside the
// running server), or psql in the cluster pass. Used for rows that no API creates (clips before
// uploads exist, votes by the thousand) and to check what was stored; the statements are the
// SQL both engines speak (TRUE/FALSE for booleans; a boolean reads 1/0 from SQLite, t/f from psql).
export function sql(dataDir, statement) {
  const database = databaseOf(dataDir);
  if (database) return psql(database.url, statement);
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(dataDir, 'aimoviez.db'), statement], { encoding: 'utf8' }).trim();
}

export function insertPendingClip(dataDir, title, userId = null, createdAt = Date.now()) {
  const now = createdAt;
  return Number(sql(dataDir, `INSERT INTO tournament_clips (user_id, title, genre, video_url, thumbnail_url, status, created_at, updated_at)
    VALUES (${userId ?? 'NULL'}, '${title.replace(/'/g, "''")}', 'Action', '/media/x.mp4', '/media/x.jpg', 'pending', ${now}, ${now}) RETURNING id;`));
}

// Stores `count` votes on a clip in its round, as if voters had cast them. In the cluster pass
// the round's kept tally (round_tallies, what the vote ledger keeps beside its rows) is moved in
// the same statement, as the ledger's own commit does.
export function insertVotes(dataDir, clipId, count, weight = 1) {
  const type = weight === 1 ? 'standard' : weight === 3 ? 'super' : 'mega';
  const rows = `SELECT c.id, 'it_' || c.id || '_' || c.slot_position || '_' || n.i || '_' || abs(random()), ${weight}, '${type}', c.season_id, c.slot_position, ${Date.now()}
    FROM tournament_clips c, n WHERE c.id = ${clipId}`;
  const counting = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  if (!databaseOf(dataDir)) {
    sql(dataDir, `${counting}
      INSERT INTO votes (clip_id, voter_key, vote_weight, vote_type, season_id, slot_position, created_at) ${rows};`);
    return;
  }
  sql(dataDir, `${counting}, stored AS (
      INSERT INTO votes (id, clip_id, voter_key, vote_weight, vote_type, season_id, slot_position, created_at)
      SELECT nextval('vote_ids'), r.* FROM (${rows}) r RETURNING clip_id, season_id, slot_position, vote_weight)
    INSERT INTO round_tallies AS t (season_id, slot_position, clip_id, votes, score)
      SELECT season_id, slot_position, clip_id, COUNT(*), SUM(vote_weight) FROM stored GROUP BY 1, 2, 3
    ON CONFLICT (season_id, slot_position, clip_id)
      DO UPDATE SET votes = t.votes + EXCLUDED.votes, score = t.score + EXCLUDED.score;`);
}

// Records that `voter` (signed in as `userId`) cast `count` votes today on `clipId`, outside any
// open round (slot 99), so only the daily count is touched. In the cluster pass the ledger's
// count of the voter's day (voter_days) is set too.
export function insertVotesToday(dataDir, { voter, userId, clipId, count }) {
  const seasonId = Number(sql(dataDir, `SELECT season_id FROM tournament_clips WHERE id = ${clipId}`));
  const counting = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  const cluster = !!databaseOf(dataDir);
  sql(dataDir, `${counting}
    INSERT INTO votes (${cluster ? 'id, ' : ''}clip_id, voter_key, user_id, vote_weight, vote_type, season_id, slot_position, created_at)
    SELECT ${cluster ? "nextval('vote_ids'), " : ''}${clipId}, '${voter}', ${userId}, 1, 'standard', ${seasonId}, 99, ${Date.now()} FROM n;`);
  if (cluster) {
    const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    sql(dataDir, `INSERT INTO voter_days (voter_key, day_start, votes) VALUES ('${voter}', ${dayStart}, ${count})
      ON CONFLICT (voter_key, day_start) DO UPDATE SET votes = voter_days.votes + EXCLUDED.votes`);
  }
}

// Turns a feature flag on or off through the admin API. The node that takes the change applies
// it at once; every other node reads the flags again within a second (their cache's lifetime),
// which a test with several nodes waits out before it relies on the change.
export async function setFeatureFlag(server, admin, key, enabled) {
  const r = await admin.post('/api/admin/feature-flags', { key, enabled });
  if (r.status !== 200) throw new Error(`feature flag ${key}: ${r.status} ${JSON.stringify(r.body)}`);
  await flagsSettled(server);
  return r;
}

export async function flagsSettled(server) {
  if (server.nodeUrls.length > 1) await new Promise((resolve) => setTimeout(resolve, 1100));
}

// A count read right after votes through several nodes is the reading node's: it shows the
// others' votes within one tally interval (cluster_server.mjs sets it short), which this waits.
export async function countsSettled(server) {
  if (server.nodeUrls.length > 1) await new Promise((resolve) => setTimeout(resolve, 3 * TALLY_INTERVAL_MS));
}

// A signed-in client with its account at `client.user`.
export async function signedInClient(server, email, username) {
  const c = new Client(server.url);
  const { user } = await c.login(email, username);
  c.user = user;
  return c;
}

export async function adminClient(server, email = 'admin@example.com') {
  cli(server.dataDir, 'admin', 'grant', email);
  const c = new Client(server.url);
  await c.login(email, 'site_admin');
  return c;
}

// Sets up an active season whose open slot has `count` approved clips; returns their ids.
export async function seasonWithClips(server, admin, count, { slots = 3, label = 'Voting Season', window = 3600 } = {}) {
  const s = await admin.post('/api/admin/seasons', { label, total_slots: slots, voting_window_seconds: window });
  if (s.status !== 201) throw new Error(JSON.stringify(s.body));
  const a = await admin.post(`/api/admin/seasons/${s.body.season.id}/activate`);
  if (a.status !== 200) throw new Error(JSON.stringify(a.body));
  const ids = [];
  for (let i = 0; i < count; ++i) ids.push(insertPendingClip(server.dataDir, `Clip ${i + 1}`));
  for (let i = 0; i < ids.length; i += 100) {
    const r = await admin.post('/api/admin/bulk', { action: 'approve', clipIds: ids.slice(i, i + 100) });
    if (r.body.failed) throw new Error(JSON.stringify(r.body));
  }
  return { seasonId: s.body.season.id, clipIds: ids };
}

export function storedVotes(dataDir, clipId) {
  return Number(sql(dataDir, `SELECT COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id AND v.slot_position = c.slot_position WHERE v.clip_id = ${clipId}`));
}

// A WebSocket client for /ws that keeps every message it receives, so a test can wait for the
// one it expects. `client` lends its cookies (to be signed in); `origin` defaults to the server's.
export async function openLive(server, { client = null, origin = server.url } = {}) {
  const { default: WebSocket } = await import('ws');
  const headers = {};
  if (client && client.cookies.size) headers.cookie = client.cookieHeader();
  const ws = new WebSocket(server.url.replace(/^http/, 'ws') + '/ws', { headers, origin });
  const received = [];
  const waiters = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const w = waiters.find((candidate) => candidate.match(msg));
    if (!w) { received.push(msg); return; }
    waiters.splice(waiters.indexOf(w), 1);
    clearTimeout(w.timer);
    w.resolve(msg);
  });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const live = {
    ws,
    received,
    // Resolves with the first message (already received or future) that matches.
    next(match, timeoutMs = 5000) {
      const seen = received.find(match);
      if (seen) { received.splice(received.indexOf(seen), 1); return Promise.resolve(seen); }
      return new Promise((resolve, reject) => {
        const w = { match, resolve, timer: setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error('no matching message in time; got ' + JSON.stringify(received).slice(0, 500))); }, timeoutMs) };
        waiters.push(w);
      });
    },
    async subscribe(channel) {
      ws.send(JSON.stringify({ type: 'subscribe', channel }));
      return live.next((m) => (m.type === 'subscribed' && m.channel === channel) || m.type === 'error');
    },
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    close() { ws.close(); },
  };
  return live;
}

// Every node's Prometheus text (one in embedded mode), as a Prometheus server scrapes each.
export async function scrapeMetrics(server) {
  return Promise.all(server.nodeUrls.map(async (url) => (await fetch(url + '/metrics')).text()));
}

// A series' value summed over the nodes: the first line of `name` whose labels include each of
// `labels` (strings such as 'method="GET"'), or 0 where a node has none.
export async function metricValue(server, name, labels = []) {
  let sum = 0;
  for (const text of await scrapeMetrics(server)) {
    const line = text.split('\n').find((l) => (l.startsWith(name + ' ') || l.startsWith(name + '{')) &&
      labels.every((label) => l.includes(label)));
    if (line) sum += Number(line.split(' ').pop());
  }
  return sum;
}

// Waits until a metric reads `expected` (the server updates gauges as connections open and
// close, asynchronously to the client); fails after `timeoutMs`.
export async function waitForMetric(server, name, expected, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await metricValue(server, name);
    if (value === expected) return;
    if (Date.now() > deadline) throw new Error(`${name} is ${value}, expected ${expected}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Casts one vote as a fresh anonymous voter (a distinct user agent is a distinct device).
export async function voteAsNewVoter(server, clipId, tag) {
  const voter = new Client(server.url, { userAgent: `live-test-voter/${tag}` });
  return voter.post('/api/vote', { clipId });
}

// Polls until `check` returns a truthy value and returns it (background jobs such as progression
// and broadcasts run every second).
export async function eventually(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

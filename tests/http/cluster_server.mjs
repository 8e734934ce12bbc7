// The HTTP suite's cluster pass (AIMOVIEZ_TEST_CLUSTER=1, run by `make test`): every server a
// test starts becomes two nodes behind nginx, as a real deployment runs them, so each test of the
// suite is also a test of cluster mode. Each such server gets a PostgreSQL database of its own
// in the server scripts/with-postgres.sh started (a copy of a template for the demo seed), a
// Redis of its own (counters and live fan-out stay apart) and one data directory both nodes
// share (the secrets every node must hold, and the media store a single machine shares).
// Requests alternate between the nodes.
import { after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNode } from './helpers.mjs';
import { startRedis } from './redis_server.mjs';

export const CLUSTER_MODE = process.env.AIMOVIEZ_TEST_CLUSTER === '1';
const POSTGRES = process.env.AIMOVIEZ_TEST_POSTGRES_URL;
export const TALLY_INTERVAL_MS = 100;
const BALANCER = new URL('../../scripts/nginx-balancer.sh', import.meta.url).pathname;

// The database that holds a cluster server's data, by its data directory: the CLI and `sql()`
// reach the same database as the nodes, and a restart on the same directory finds its data.
const databases = new Map();
// Every cluster this test file started and has not stopped: stopped when the file ends, so a
// test that failed half-way leaves no node, nginx or Redis behind to keep the file running.
const running = new Set();
if (CLUSTER_MODE) after(async () => { for (const cluster of [...running]) await cluster.stop({ keepData: true }); });

export function databaseOf(dataDir) {
  return databases.get(dataDir) ?? null;
}

export function psql(databaseUrl, statement) {
  return execFileSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-Atqc', statement],
    { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } }).trim();
}

// A new database on the test server, empty or a copy of `template` (a database nobody is
// connected to); `dataDir` is then served from it.
export function newDatabase(dataDir, template = null) {
  if (!POSTGRES) throw new Error('the cluster pass needs AIMOVIEZ_TEST_POSTGRES_URL (run it through scripts/with-postgres.sh)');
  const name = `cluster_${randomBytes(6).toString('hex')}`;
  psql(POSTGRES, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  const database = { name, url: url.toString() };
  if (dataDir) databases.set(dataDir, database);
  return database;
}

function dropDatabase(database) {
  psql(POSTGRES, `DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
}

async function startBalancer(addresses, appendForwardedFor) {
  const dir = mkdtempSync(join(tmpdir(), 'aimoviez-nginx-'));
  const port = await freePort();
  const proc = spawn(BALANCER, [dir, `127.0.0.1:${port}`, ...addresses], {
    env: { ...process.env, NGINX_FORWARDED_FOR: appendForwardedFor ? 'append' : '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited ${proc.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`nginx did not answer in time: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await once(proc, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Same options and the same answer as startServer's; `proc` is the first node's process.
export async function startClusterServer({ dataDir, args = [], env = {}, cwd, liftRates = true }) {
  const database = databases.get(dataDir) ?? newDatabase(dataDir);
  const redis = await startRedis();
  // Without trusted proxies of its own, a test expects the address it connects from: nginx
  // replaces X-Forwarded-For with that address, and the nodes trust nginx for it. A test that
  // sets trusted proxies sends X-Forwarded-For itself: nginx keeps it and adds its peer.
  const ownProxies = args.includes('--trusted-proxies');
  const nodeArgs = ['--database-url', database.url, '--redis-url', redis.url, ...args];
  if (!ownProxies) nodeArgs.push('--trusted-proxies', '127.0.0.1');
  // Every node shows the stored counts within one tally interval: a short one, so that a test
  // that reads a count through the other node waits little (countsSettled).
  if (!args.includes('--tally-refresh-ms')) nodeArgs.push('--tally-refresh-ms', String(TALLY_INTERVAL_MS));
  const nodes = [];
  try {
    // One after the other: the first applies the migrations.
    for (let i = 0; i < 2; ++i) nodes.push(await startNode({ dataDir, args: nodeArgs, env, cwd, liftRates }));
    const balancer = await startBalancer(nodes.map((n) => new URL(n.url).host), ownProxies);
    const cluster = {
      url: balancer.url,
      directUrl: nodes[0].url,
      nodeUrls: nodes.map((n) => n.url),
      dataDir,
      proc: nodes[0].proc,
      pids: () => nodes.map((n) => n.proc.pid),
      nodes,
      databaseUrl: database.url,
      stderr: () => nodes.map((n) => n.stderr()).join(''),
      // Every node killed with SIGKILL at once, as a power cut takes a whole deployment; the
      // data stays for a restart on the same directory.
      async crash() {
        for (const node of nodes) node.proc.kill('SIGKILL');
        await cluster.stop({ keepData: true });
      },
      async stop({ keepData = false } = {}) {
        running.delete(cluster);
        await balancer.stop();
        const codes = [];
        for (const node of nodes) codes.push(await node.stop({ keepData: true }));
        await redis.dispose();
        if (!keepData) {
          dropDatabase(database);
          databases.delete(dataDir);
          rmSync(dataDir, { recursive: true, force: true });
        }
        return codes[0];
      },
    };
    running.add(cluster);
    return cluster;
  } catch (e) {
    for (const node of nodes) await node.stop({ keepData: true });
    await redis.dispose();
    throw e;
  }
}

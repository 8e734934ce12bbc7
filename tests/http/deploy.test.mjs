// What deploy/ ships. The systemd unit: systemd itself checks it (systemd-analyze verify, with
// the binary path pointed at this build) and rates its sandboxing (systemd-analyze security,
// offline): the exposure must stay at most 2.0 of 10 ("OK"). The nginx site: see below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from './demo_seed.mjs';
import { BIN, Client, startServer, tempDataDir } from './helpers.mjs';

const UNIT = new URL('../../deploy/aimoviez.service', import.meta.url).pathname;
const NGINX_SITE = new URL('../../deploy/nginx-aimoviez.conf', import.meta.url).pathname;

test('the systemd unit verifies and is sandboxed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aimoviez-unit-'));
  try {
    const unit = readFileSync(UNIT, 'utf8');
    assert.match(unit, /^DynamicUser=yes$/m);
    assert.match(unit, /^ProtectSystem=strict$/m);
    assert.match(unit, /^NoNewPrivileges=yes$/m);
    const path = join(dir, 'aimoviez.service');
    writeFileSync(path, unit.replaceAll('/opt/aimoviez/aimoviez', BIN));
    const verify = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', 'no warnings');
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', path], { encoding: 'utf8' });
    assert.equal(security.status, 0, security.stdout.split('\n').slice(-3).join('\n'));
    const overall = security.stdout.match(/Overall exposure level for aimoviez\.service: ([\d.]+)/);
    assert.ok(overall && Number(overall[1]) <= 2.0, overall?.[0]);
    // The service's own command lines parse: the binary knows every option the unit passes.
    const help = execFileSync(BIN, ['serve', '--help'], { encoding: 'utf8' });
    for (const option of ['--config', '--data-dir', '--web-dir']) assert.ok(help.includes(option), option);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The shipped nginx site, as deployed: TLS terminated by nginx with a certificate made for the
// test, the server behind it trusting only nginx's X-Forwarded-For. Smoke tests run through it.
test('through the shipped nginx site: https, wss, uploads, and client addresses nginx vouches for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aimoviez-nginx-'));
  const dataDir = tempDataDir();
  let nginx, server;
  try {
    const port = await freePort();
    const base = `https://localhost:${port}`;
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    seedDemo(BIN, dataDir);
    server = await startServer({ dataDir, args: ['--dev-login', '--public-url', base, '--trusted-proxies', '127.0.0.1',
      '--anon-votes-per-network-per-day', '2'] });
    const upstream = new URL(server.url).port;
    let site = readFileSync(NGINX_SITE, 'utf8')
      .replace(/server \{\n    listen 80;[\s\S]*?\n\}\n/, '')
      .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${upstream};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${port} ssl http2;`)
      .replace(/\n\s*listen \[::\]:443 ssl http2;/, '')
      .replace('server_name aimoviez.example;', 'server_name localhost;')
      .replace('/etc/ssl/certs/aimoviez.example.pem', join(dir, 'cert.pem'))
      .replace('/etc/ssl/private/aimoviez.example.key', join(dir, 'key.pem'));
    writeFileSync(join(dir, 'nginx.conf'), `user root;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n` +
      `events { worker_connections 256; }\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n` +
      `  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n${site}\n}\n`);
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForPort(port);

    const clip = (await new Client(server.url).get('/api/vote?limit=1')).body.clips[0].id;
    // A plain script, not a test file: without the test runner's context (nor the cluster pass's
    // hooks) it prints only its one line.
    const smokeEnv = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') };
    delete smokeEnv.NODE_TEST_CONTEXT;
    delete smokeEnv.AIMOVIEZ_TEST_CLUSTER;
    const smoke = spawnSync(process.execPath, [new URL('./nginx_smoke.mjs', import.meta.url).pathname, base, String(clip)],
      { encoding: 'utf8', env: smokeEnv, timeout: 60_000 });
    assert.equal(smoke.status, 0, smoke.stderr);
    const seen = JSON.parse(smoke.stdout.trim().split('\n').pop());
    assert.equal(seen.health, 200);
    assert.match(seen.hsts ?? '', /max-age=/);
    assert.match(seen.deviceCookie ?? '', /; Secure/);
    assert.deepEqual(seen.spoofedVotes, [200, 200, 'NETWORK_DAILY_BUDGET']);
    assert.equal(seen.signed, 200);
    assert.equal(seen.upload, 200);
    assert.equal(seen.live, 'subscribed');
  } finally {
    if (nginx && nginx.exitCode === null) { nginx.kill('SIGQUIT'); await once(nginx, 'exit'); }
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; ++i) {
    const open = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listening on ${port}`);
}

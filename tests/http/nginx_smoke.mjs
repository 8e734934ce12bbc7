// The client side of deploy.test.mjs's nginx test, run in its own process so that Node trusts
// the test's self-signed certificate (NODE_EXTRA_CA_CERTS is read at start). Talks to the
// server only through nginx (https and wss) and prints one JSON line of what it saw.
import { readFileSync } from 'node:fs';
import { Client } from './helpers.mjs';

const [base, clipIdText] = process.argv.slice(2);
const clipId = Number(clipIdText);
const seen = {};

const health = await fetch(`${base}/api/health`);
seen.health = health.status;
seen.hsts = health.headers.get('strict-transport-security');

const visitor = new Client(base);
const csrf = await visitor.raw('GET', '/api/csrf');
seen.deviceCookie = csrf.headers.getSetCookie().find((c) => c.startsWith('aimoviez_device=')) ?? null;

// Anonymous votes that claim other addresses: nginx replaces the claim with the real one, so
// they all count against 127.0.0.1's network budget (2 a day in this test).
seen.spoofedVotes = [];
for (let i = 0; i < 3; ++i) {
  const v = new Client(base, { userAgent: `through-nginx-${i}` });
  v.defaultHeaders['x-forwarded-for'] = `198.51.100.${i + 1}`;
  const r = await v.post('/api/vote', { clipId });
  seen.spoofedVotes.push(r.body?.details?.reason ?? r.status);
}

// A signed-in creator uploads a 3 MiB body through the proxy.
const creator = new Client(base);
await creator.login('proxied@example.com', 'proxied_creator');
const size = 3 * 1024 * 1024;
const signed = await creator.call('GET', `/api/upload/signed-url?filename=clip.mp4&contentType=video%2Fmp4&size=${size}`,
  undefined, { 'x-csrf-token': creator.csrf, origin: base });
seen.signed = signed.status;
const put = await fetch(base + signed.body.uploadUrl, { method: 'PUT', body: Buffer.alloc(size, 7), headers: { 'content-type': 'video/mp4' } });
seen.upload = put.status;

// The live channel over wss.
const { default: WebSocket } = await import('ws');
const ws = new WebSocket(base.replace(/^https/, 'wss') + '/ws', { origin: base, ca: readFileSync(process.env.NODE_EXTRA_CA_CERTS) });
seen.live = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve('timeout'), 10_000);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', channel: 'tallies' })));
  ws.on('message', (m) => { clearTimeout(timer); resolve(JSON.parse(m.toString()).type); });
  ws.on('error', (e) => { clearTimeout(timer); resolve(`error: ${e.message}`); });
});
ws.close();
console.log(JSON.stringify(seen));

// The WebSocket endpoint /ws through the real binary: handshake checks, the message limits,
// and every kind of push (tallies, comments, season events, a creator's clip status).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  startServer, Client, adminClient, seasonWithClips, insertPendingClip, openLive, metricValue,
  voteAsNewVoter, waitForMetric, countsSettled, NO_NETWORK_BUDGETS,
} from './helpers.mjs';

let server, admin, season;
before(async () => {
  server = await startServer({
    args: ['--dev-login', '--vote-ip-rate-per-minute', '1000000', '--ws-max-subscriptions', '4', ...NO_NETWORK_BUDGETS],
  });
  admin = await adminClient(server);
  season = await seasonWithClips(server, admin, 3, { slots: 3 });
});
after(async () => { await server.stop(); });

test('a foreign Origin is refused at the handshake; our own is accepted', async () => {
  await assert.rejects(openLive(server, { origin: 'http://evil.example' }), /403/);
  const live = await openLive(server);
  live.ws.send(JSON.stringify({ type: 'ping' }));
  assert.deepEqual(await live.next((m) => m.type === 'pong'), { type: 'pong' });
  live.close();
});

test('/ws without the upgrade headers answers 426 with a code', async () => {
  const r = await fetch(server.url + '/ws');
  assert.equal(r.status, 426);
  assert.equal((await r.json()).code, 'UPGRADE_REQUIRED');
});

test('channels: unknown ones and "me" without a session are refused; the count is limited', async () => {
  const live = await openLive(server);
  assert.equal((await live.subscribe('nonsense')).code, 'UNKNOWN_CHANNEL');
  assert.equal((await live.subscribe('comments:0')).code, 'UNKNOWN_CHANNEL');
  assert.equal((await live.subscribe('me')).code, 'AUTH_REQUIRED');
  for (const ch of ['tallies', 'season', 'comments:1', 'comments:2']) {
    assert.equal((await live.subscribe(ch)).type, 'subscribed');
  }
  assert.equal((await live.subscribe('comments:3')).code, 'SUBSCRIPTION_LIMIT');
  live.ws.send(JSON.stringify({ type: 'unsubscribe', channel: 'comments:2' }));
  await live.next((m) => m.type === 'unsubscribed');
  assert.equal((await live.subscribe('comments:3')).type, 'subscribed');
  live.ws.send('not json');
  assert.equal((await live.next((m) => m.type === 'error')).code, 'BAD_MESSAGE');
  live.close();
});

test('an oversized message closes the connection with 1009', async () => {
  const live = await openLive(server);
  live.ws.send(JSON.stringify({ type: 'subscribe', channel: 'x'.repeat(10000) }));
  assert.equal((await live.closed).code, 1009);
});

test('a message flood is cut off with 1008', async () => {
  const live = await openLive(server);
  for (let i = 0; i < 200; ++i) live.ws.send(JSON.stringify({ type: 'ping' }));
  const closed = await live.closed;
  assert.equal(closed.code, 1008);
  const pongs = live.received.filter((m) => m.type === 'pong').length;
  assert.ok(pongs >= 1 && pongs < 200, `some pongs before the cut, got ${pongs}`);
});

test('votes produce coalesced tally pushes with exact counts', async () => {
  const live = await openLive(server);
  await live.subscribe('tallies');
  const clip = season.clipIds[0];
  const votes = 40;
  const started = Date.now();
  const results = await Promise.all(Array.from({ length: votes }, (_, i) => voteAsNewVoter(server, clip, `tally-${i}`)));
  assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.find((r) => r.status !== 200)?.body));
  const last = Math.max(...results.map((r) => r.body.voteCount));
  const final = await live.next((m) => m.type === 'TallyUpdated' && m.clips.some((c) => c.clipId === clip && c.voteCount === last));
  assert.equal(final.seasonId, season.seasonId);
  assert.equal(final.slotPosition, 1);
  await countsSettled(server);  // the clip may be read through the other node
  const stored = (await new Client(server.url).get(`/api/clip/${clip}`)).body.clip.vote_count;
  assert.equal(stored, last);
  // Never one message per vote: at most one per tally interval (200 ms), plus the leading edge,
  // however long the 40 votes took on a loaded machine.
  await new Promise((r) => setTimeout(r, 400));
  const elapsed = Date.now() - started;
  const tallyMessages = live.received.filter((m) => m.type === 'TallyUpdated').length + 1;
  assert.ok(tallyMessages <= Math.ceil(elapsed / 200) + 1 && tallyMessages < votes,
    `expected coalescing, got ${tallyMessages} messages for ${votes} votes in ${elapsed} ms`);
  live.close();
});

test('comments: a new comment and its deletion reach the clip channel', async () => {
  const alice = new Client(server.url);
  await alice.login('alice@example.com', 'alice');
  const clip = season.clipIds[1];
  const live = await openLive(server);
  await live.subscribe(`comments:${clip}`);
  const posted = await alice.post('/api/comments', { clipId: clip, text: 'Live <b>hello</b>' });
  assert.equal(posted.status, 201);
  const created = await live.next((m) => m.type === 'CommentCreated');
  assert.equal(created.channel, `comments:${clip}`);
  assert.equal(created.comment.id, posted.body.comment.id);
  assert.equal(created.comment.text, 'Live hello');
  assert.equal(created.comment.user.username, 'alice');
  assert.equal((await alice.del('/api/comments', { commentId: posted.body.comment.id })).status, 200);
  const deleted = await live.next((m) => m.type === 'CommentDeleted');
  assert.equal(deleted.commentId, posted.body.comment.id);
  live.close();
});

test('a creator hears about their own clip only; season events reach the season channel', async () => {
  const carol = new Client(server.url);
  const me = await carol.login('carol@example.com', 'carol');
  const dave = new Client(server.url);
  await dave.login('dave@example.com', 'dave');
  const carolLive = await openLive(server, { client: carol });
  const daveLive = await openLive(server, { client: dave });
  assert.equal((await carolLive.subscribe('me')).type, 'subscribed');
  assert.equal((await daveLive.subscribe('me')).type, 'subscribed');
  assert.equal((await daveLive.subscribe('season')).type, 'subscribed');

  const clipId = insertPendingClip(server.dataDir, 'Carol clip', me.user.id);
  assert.equal((await admin.post(`/api/admin/clips/${clipId}/approve`)).status, 200);
  const status = await carolLive.next((m) => m.type === 'ClipStatusChanged');
  assert.deepEqual(status, { type: 'ClipStatusChanged', channel: 'me', clipId, status: 'active', processingStatus: 'ready', processingProgress: 100 });

  const slot = (await admin.get(`/api/admin/seasons/${season.seasonId}`)).body.season.slots.find((s) => s.status === 'voting');
  assert.equal((await admin.post(`/api/admin/slots/${slot.id}/reset-votes`)).status, 200);
  const reset = await daveLive.next((m) => m.type === 'SeasonReset');
  assert.equal(reset.reason, 'votes_reset');
  assert.equal((await admin.post(`/api/admin/slots/${slot.id}/assign-winner`, { clipId })).status, 200);
  const winner = await daveLive.next((m) => m.type === 'WinnerSelected');
  assert.deepEqual(winner, { type: 'WinnerSelected', channel: 'season', seasonId: season.seasonId, slotPosition: slot.slot_position, clipId });
  const opened = await daveLive.next((m) => m.type === 'SlotOpened');
  assert.equal(opened.slotPosition, slot.slot_position + 1);
  assert.equal((await carolLive.next((m) => m.type === 'ClipStatusChanged' && m.status === 'locked')).clipId, clipId);
  // Dave's "me" channel heard nothing of Carol's clip.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(daveLive.received.filter((m) => m.type === 'ClipStatusChanged').length, 0);
  carolLive.close();
  daveLive.close();
});

// Opens /ws over a raw socket, subscribes to tallies, and then never reads again. Straight to a
// serving process: its send queue is what is tested, not a balancer's buffers.
async function stalledSubscriber(srv) {
  const { port } = new URL(srv.directUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise((resolve, reject) => {
    let head = '';
    const onData = (d) => {
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.off('data', onData);
        return head.startsWith('HTTP/1.1 101') ? resolve() : reject(new Error(head));
      }
    };
    socket.on('data', onData);
  });
  const payload = Buffer.from(JSON.stringify({ type: 'subscribe', channel: 'tallies' }));
  const mask = randomBytes(4);
  const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask,
    Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
  socket.write(frame);
  socket.pause();  // from here on nothing is read: the kernel buffers fill, then the server's queue
  return socket;
}

test('a client that stops reading is dropped instead of buffered without bound', async () => {
  const srv = await startServer({
    args: ['--dev-login', '--vote-ip-rate-per-minute', '1000000', ...NO_NETWORK_BUDGETS, '--ws-send-queue-bytes', '16384',
      '--ws-tally-interval-ms', '10', '--ws-socket-send-buffer-bytes', '4096'],
  });
  try {
    const a = await adminClient(srv);
    const { clipIds } = await seasonWithClips(srv, a, 40, { label: 'Slow season' });
    const healthy = await openLive(srv);
    await healthy.subscribe('tallies');
    const stalled = await stalledSubscriber(srv);
    await waitForMetric(srv, 'aimoviez_websocket_connections', 2);
    const deadline = Date.now() + 60_000;
    let n = 0;
    while (await metricValue(srv, 'aimoviez_websocket_slow_consumers_dropped_total') < 1) {
      assert.ok(Date.now() < deadline, 'the stalled client was never dropped');
      await Promise.all(clipIds.map((clip) => voteAsNewVoter(srv, clip, `slow-${n++}`)));
    }
    await waitForMetric(srv, 'aimoviez_websocket_connections', 1);
    // The reading client was not affected and still gets fresh tallies.
    healthy.received.length = 0;
    await voteAsNewVoter(srv, clipIds[0], 'after-drop');
    await healthy.next((m) => m.type === 'TallyUpdated');
    healthy.close();
    stalled.destroy();
  } finally {
    await srv.stop();
  }
});

test('signing out, signing out everywhere and a ban close the live connections they opened', async () => {
  const phone = new Client(server.url);
  const { user } = await phone.login('live-session@example.com', 'live_session');
  const laptop = new Client(server.url);
  await laptop.login('live-session@example.com');
  const phoneLive = await openLive(server, { client: phone });
  const laptopLive = await openLive(server, { client: laptop });
  const visitorLive = await openLive(server);

  // Signing out on the phone closes the phone's connection only.
  assert.equal((await phone.post('/api/auth/logout')).status, 200);
  assert.deepEqual(await phoneLive.closed, { code: 4001, reason: 'signed out' });
  laptopLive.ws.send(JSON.stringify({ type: 'ping' }));
  await laptopLive.next((m) => m.type === 'pong');

  // Signing out everywhere closes the rest; a visitor's connection stays.
  const again = await openLive(server, { client: laptop });
  assert.equal((await laptop.post('/api/auth/logout-all')).status, 200);
  assert.equal((await laptopLive.closed).code, 4001);
  assert.equal((await again.closed).code, 4001);
  visitorLive.ws.send(JSON.stringify({ type: 'ping' }));
  await visitorLive.next((m) => m.type === 'pong');
  visitorLive.close();

  // A ban ends the banned user's live connections too.
  const banned = new Client(server.url);
  await banned.login('live-session@example.com');
  const bannedLive = await openLive(server, { client: banned });
  assert.equal((await admin.patch(`/api/admin/users/${user.id}`, { is_banned: true })).status, 200);
  assert.equal((await bannedLive.closed).code, 4001);
});

// The contact form through the real server: anyone may write (CSRF still required), 3 a minute
// per address, every bad field named; admins read the inbox and mark messages read or archived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, signedInClient, sql } from './helpers.mjs';

test('a message reaches the admin inbox, and is marked read and archived', async () => {
  const server = await startServer({ args: ['--dev-login'] });
  try {
    const admin = await adminClient(server);
    const visitor = new Client(server.url);
    const sent = await visitor.post('/api/contact', { name: 'Lea <b>M</b>', email: ' Lea@Example.com ', subject: 'Upload stuck', body: 'My clip says processing\nsince noon.' });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const member = await signedInClient(server, 'member@example.com', 'member');
    assert.equal((await member.post('/api/contact', { email: 'member@example.com', subject: 'Idea', body: 'More genres please' })).status, 201);

    assert.equal((await visitor.get('/api/admin/contact')).status, 401);
    assert.equal((await member.get('/api/admin/contact')).status, 403);
    let inbox = await admin.get('/api/admin/contact');
    assert.equal(inbox.status, 200);
    assert.equal(inbox.body.openCount, 2);
    const [idea, stuck] = inbox.body.messages;
    assert.equal(idea.subject, 'Idea');
    assert.equal(idea.signedIn, true);
    assert.equal(stuck.name, 'Lea M', 'markup stripped');
    assert.equal(stuck.email, 'lea@example.com');
    assert.equal(stuck.body, 'My clip says processing\nsince noon.');
    assert.equal(stuck.signedIn, false);

    assert.equal((await admin.post(`/api/admin/contact/${stuck.id}`, { status: 'read' })).status, 200);
    assert.equal((await admin.post(`/api/admin/contact/${idea.id}`, { status: 'archived' })).status, 200);
    inbox = await admin.get('/api/admin/contact');
    assert.equal(inbox.body.openCount, 0);
    assert.deepEqual((await admin.get('/api/admin/contact?status=read')).body.messages.map((m) => m.id), [stuck.id]);
    assert.deepEqual((await admin.get('/api/admin/contact?status=archived')).body.messages.map((m) => m.id), [idea.id]);
    assert.equal((await admin.post('/api/admin/contact/999999', { status: 'read' })).status, 404);
    assert.equal((await admin.post(`/api/admin/contact/${idea.id}`, { status: 'spam' })).body.details.field, 'status');
    assert.equal((await admin.get('/api/admin/contact?status=all')).status, 400);
    assert.match(sql(server.dataDir, "SELECT COUNT(*) FROM audit_logs WHERE action = 'mark_contact'"), /^2$/);

    const ok = { email: 'a@example.com', subject: 'Hi', body: 'Hello' };
    for (const [body, field] of [[{ ...ok, email: 'nope' }, 'email'], [{ ...ok, subject: '' }, 'subject'],
      [{ ...ok, subject: 'x'.repeat(121) }, 'subject'], [{ ...ok, body: '<p></p>' }, 'body'], [{ ...ok, body: 'y'.repeat(2001) }, 'body'],
      [{ ...ok, name: 'n'.repeat(81) }, 'name']]) {
      const r = await visitor.post('/api/contact', body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(r.body.details.field, field);
    }
    assert.equal((await visitor.raw('POST', '/api/contact', { body: ok })).status, 403, 'a CSRF token is required');

    // Erasing the member's account takes their messages with it.
    const erased = await member.call('DELETE', '/api/account/delete', { confirm: 'DELETE MY ACCOUNT' });
    assert.ok([200, 204].includes(erased.status), JSON.stringify(erased.body));
    assert.equal(sql(server.dataDir, "SELECT COUNT(*) FROM contact_messages WHERE subject = 'Idea'"), '0');
  } finally {
    await server.stop();
  }
});

test('three messages a minute per address', async () => {
  const server = await startServer({ args: ['--dev-login', '--rate-contact-per-minute', '3'] });
  try {
    const visitor = new Client(server.url);
    const ok = { email: 'a@example.com', subject: 'Hi', body: 'Hello' };
    const codes = [];
    for (let i = 0; i < 4; ++i) codes.push((await visitor.post('/api/contact', ok)).status);
    assert.deepEqual(codes, [201, 201, 201, 429]);
  } finally {
    await server.stop();
  }
});

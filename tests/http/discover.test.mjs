// GET /api/discover through the real server: words of a title or a creator's name (prefixes,
// accents folded) find public clips only, with genre, order and a cursor; creators by name;
// every bad parameter is a 400 naming it, and FTS5 syntax in the query is just text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, seasonWithClips, insertPendingClip, signedInClient, sql } from './helpers.mjs';

let server, anon;

before(async () => {
  server = await startServer({ args: ['--dev-login'] });
  const admin = await adminClient(server);
  await seasonWithClips(server, admin, 0);
  const maker = await signedInClient(server, 'noemie@example.com', 'noemie_shoots');
  const titles = [['Crème brûlée at midnight', 'Comedy'], ['Midnight train', 'Thriller'], ['Harbour lights', 'Thriller']];
  for (const [title, genre] of titles) {
    const id = insertPendingClip(server.dataDir, title, maker.user.id);
    sql(server.dataDir, `UPDATE tournament_clips SET genre = '${genre}' WHERE id = ${id}`);
    assert.equal((await admin.post(`/api/admin/clips/${id}/approve`)).status, 200);
  }
  insertPendingClip(server.dataDir, 'Midnight secret draft', maker.user.id);  // pending: never found
  anon = new Client(server.url);
});
after(async () => { await server.stop(); });

const titles = (body) => body.clips.map((c) => c.title).sort();

test('words and prefixes of titles and creators find public clips, accents folded', async () => {
  let r = await anon.get('/api/discover?q=midn');
  assert.equal(r.status, 200);
  assert.deepEqual(titles(r.body), ['Crème brûlée at midnight', 'Midnight train']);
  r = await anon.get(`/api/discover?q=${encodeURIComponent('creme brulee')}`);
  assert.deepEqual(titles(r.body), ['Crème brûlée at midnight']);
  r = await anon.get('/api/discover?q=noemie');
  assert.equal(r.body.clips.length, 3, 'by the creator\'s name');
  r = await anon.get('/api/discover?q=midnight&genre=Thriller');
  assert.deepEqual(titles(r.body), ['Midnight train']);
  r = await anon.get(`/api/discover?q=${encodeURIComponent('" OR * NEAR( ^')}`);
  assert.equal(r.status, 200, 'FTS5 syntax is only text');
  assert.deepEqual(r.body.clips, []);
  r = await anon.get('/api/discover?sort=new&limit=2');
  assert.equal(r.body.clips.length, 2);
  assert.equal(r.body.nextCursor, '2');
  const rest = await anon.get(`/api/discover?sort=new&limit=2&cursor=${r.body.nextCursor}`);
  assert.equal(rest.body.clips.length, 1);
  assert.equal(rest.body.nextCursor, null);
});

test('creators by name prefix, public fields only', async () => {
  const r = await anon.get('/api/discover?type=creators&q=NOE');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.creators.map((u) => u.username), ['noemie_shoots']);
  assert.equal(r.body.creators[0].email, undefined);
  assert.deepEqual((await anon.get('/api/discover?type=creators&q=%25')).body.creators, []);
});

test('bad parameters are 400s naming the field', async () => {
  for (const [query, field] of [['type=people', 'type'], ['sort=loud', 'sort'], ['genre=Western', 'genre'],
    [`q=${'a'.repeat(101)}`, 'q'], ['cursor=-1', 'cursor'], ['cursor=1001', 'cursor'], ['limit=500', 'limit']]) {
    const r = await anon.get(`/api/discover?${query}`);
    assert.equal(r.status, 400, query);
    assert.equal(r.body.code, 'VALIDATION_ERROR');
    assert.equal(r.body.details.field, field, query);
  }
});

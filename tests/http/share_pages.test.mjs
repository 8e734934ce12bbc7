// Shared links over plain HTTP, as a messenger's link preview fetches them (no JavaScript):
// /clip/{id}, /u/{username} and /watch?season=ID answer with the app shell carrying Open Graph
// and Twitter card tags, every value escaped; what is not public gets the plain shell and a 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, adminClient, seasonWithClips, insertPendingClip, signedInClient, sql } from './helpers.mjs';

const SHELL = '<!doctype html><html><head><meta charset="utf-8" /><title>AiMoviez · 8SEC MADNESS</title></head><body><div id="root"></div></body></html>';
let server, webDir, admin, season;

before(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'aimoviez-share-web-'));
  writeFileSync(join(webDir, 'index.html'), SHELL);
  server = await startServer({ args: ['--dev-login', '--web-dir', webDir, '--public-url', 'https://movie.example'] });
  admin = await adminClient(server);
  season = await seasonWithClips(server, admin, 2, { label: 'Night & "Day"' });
});
after(async () => { await server.stop(); rmSync(webDir, { recursive: true, force: true }); });

// The og:/twitter: tags of a page, by name.
function tags(html) {
  const out = {};
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)" \/>/g)) out[m[1]] = m[2];
  return out;
}

test('a clip link previews its title, creator, poster and video; hostile text stays text', async () => {
  const creator = await signedInClient(server, 'maker@example.com', 'maker');
  const id = insertPendingClip(server.dataDir, 'Rain "on" <b>glass</b> & steel', creator.user.id);
  sql(server.dataDir, `UPDATE tournament_clips SET description = 'Shot at 5 a.m.</script><script>alert(1)</script>' WHERE id = ${id}`);
  assert.equal((await admin.post(`/api/admin/clips/${id}/approve`)).status, 200);

  const res = await fetch(`${server.url}/clip/${id}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = await res.text();
  const t = tags(html);
  assert.equal(t['og:type'], 'video.other');
  assert.equal(t['og:title'], 'Rain &quot;on&quot; &lt;b&gt;glass&lt;/b&gt; &amp; steel · AiMoviez');
  assert.match(t['og:description'], /^Competing for slot 1 by @maker\. Shot at 5 a\.m\./);
  assert.doesNotMatch(html, /<script>alert/);
  assert.equal(t['og:url'], `https://movie.example/clip/${id}`);
  assert.equal(t['og:image'], 'https://movie.example/media/x.jpg');
  assert.equal(t['og:video'], 'https://movie.example/media/x.mp4');
  assert.equal(t['twitter:card'], 'summary_large_image');
  assert.match(html, /<title>Rain &quot;on&quot; &lt;b&gt;glass&lt;\/b&gt; &amp; steel · AiMoviez<\/title>/);
  assert.equal((html.match(/<title>/g) ?? []).length, 1);
  assert.ok(html.endsWith('<div id="root"></div></body></html>'), 'the app shell follows');

  const head = await fetch(`${server.url}/clip/${id}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('what is not public gets the plain shell and a 404', async () => {
  const pending = insertPendingClip(server.dataDir, 'Secret cut');
  for (const path of [`/clip/${pending}`, '/clip/999999', '/clip/abc', '/u/nobody_here']) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 404, path);
    const html = await res.text();
    assert.equal(html, SHELL, path);
  }
});

test('a profile and a season link preview too', async () => {
  const res = await fetch(`${server.url}/u/maker`);
  assert.equal(res.status, 200);
  const t = tags(await res.text());
  assert.equal(t['og:type'], 'profile');
  assert.equal(t['og:title'], '@maker · AiMoviez');
  assert.equal(t['og:url'], 'https://movie.example/u/maker');

  const watch = tags(await (await fetch(`${server.url}/watch?season=${season.seasonId}`)).text());
  assert.equal(watch['og:title'], 'Night &amp; &quot;Day&quot; · AiMoviez');
  assert.match(watch['og:description'], /in 3 scenes/);
  const library = tags(await (await fetch(`${server.url}/watch`)).text());
  assert.equal(library['og:title'], 'Watch · AiMoviez');
  const odd = await fetch(`${server.url}/watch?season=abc`);
  assert.equal(odd.status, 200);
  assert.equal(tags(await odd.text())['og:title'], 'Watch · AiMoviez');
});

// Browser tests: Debian's Chromium driven by playwright-core against the real server binary
// with a temporary data directory and the demo seed, at a phone and a desktop viewport.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { ARTIFACTS, devLogin, returningVisitor } from './harness.mjs';
import { seedDemo } from '../../tests/http/demo_seed.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = process.env.AIMOVIEZ_BIN ?? join(ROOT, 'build-debug/aimoviez');
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
mkdirSync(ARTIFACTS, { recursive: true });

let server, url, dataDir, browser;

async function startServer() {
  dataDir = mkdtempSync(join(tmpdir(), 'aimoviez-e2e-'));
  seedDemo(BIN, dataDir);
  execFileSync(BIN, ['admin', 'grant', 'admin@example.com', '--data-dir', dataDir], { stdio: 'ignore' });
  server = spawn(BIN, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--dev-login', '--web-dir', join(ROOT, 'web/dist'),
    '--daily-vote-limit', '3', '--job-interval-seconds', '0', '--log-level', 'warn',
    // Every browser here is 127.0.0.1, where real visitors have addresses of their own.
    '--rate-read-per-minute', '1000000', '--rate-api-per-minute', '1000000', '--rate-admin-sensitive-per-minute', '1000000'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/\S+)/); if (m) resolve(m[1]); });
    server.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

before(async () => {
  await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) { server.kill('SIGTERM'); await once(server, 'exit'); }
  rmSync(dataDir, { recursive: true, force: true });
});

// Returning visitor: the landing intro and the tour are shown once; tests that need them reset it.
function newPage(kind) {
  return returningVisitor(browser, VIEWPORTS[kind]);
}

function login(page, email, username) {
  return devLogin(page, url, email, username);
}

async function expectAccessible(page, name) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.length} node(s) — ${v.nodes[0]?.target}`), [], `axe on ${name}`);
}

async function videoIsPlaying(page, selector) {
  const t0 = await page.$eval(selector, (v) => v.currentTime);
  await page.waitForTimeout(1200);
  const t1 = await page.$eval(selector, (v) => v.currentTime);
  return t1 > t0;
}

for (const kind of Object.keys(VIEWPORTS)) {
  describe(`${kind} viewport`, () => {
    // axe runs over every page, with its full rule set, in accessibility.test.mjs; here only the
    // login page a signed-in person reaches, which that file does not visit.
    test('every page renders without a page error and is saved as a screenshot', async () => {
      const { page, context, errors } = await newPage(kind);
      await login(page, `tour-${kind}@example.com`, `tour_${kind}`);
      for (const [path, name] of [['/', 'landing'], ['/dashboard', 'dashboard'], ['/story', 'story'], ['/watch', 'watch'], ['/leaderboard', 'leaderboard'], ['/profile', 'profile'], ['/settings', 'settings'], ['/login', 'login'], ['/about', 'about'], ['/search?q=night', 'search']]) {
        await page.goto(url + path);
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(400);
        await page.screenshot({ path: join(ARTIFACTS, `${kind}-${name}.png`) });
        if (path === '/login') await expectAccessible(page, `${kind} ${path}`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    });

    test('sign in, pick a username, vote (count and ring change), undo, hit the daily limit', async () => {
      const { page, context } = await newPage(kind);
      await login(page, `voter-${kind}@example.com`, `voter_${kind}`);
      const video = page.getByTestId('arena-video');
      await video.waitFor();
      assert.ok(await videoIsPlaying(page, '[data-testid="arena-video"]'), 'the clip is playing');
      const count = page.getByTestId('vote-count');
      const before = Number(await count.textContent());
      const ring = page.getByTestId('progress-ring');
      const ringBefore = await ring.getAttribute('data-color');
      await page.getByRole('button', { name: 'Vote for this clip' }).click();
      await page.getByRole('button', { name: 'Undo vote' }).waitFor();
      assert.equal(Number(await count.textContent()), before + 1);
      await page.getByText('1/3 votes today').waitFor();
      const ringAfter = await ring.getAttribute('data-color');
      assert.notEqual(ringAfter, ringBefore, 'the ring changes colour as votes are used');
      await page.screenshot({ path: join(ARTIFACTS, `${kind}-voted.png`) });
      // Undo.
      await page.getByRole('button', { name: 'Undo vote' }).click();
      await page.getByRole('button', { name: 'Vote for this clip' }).waitFor();
      assert.equal(Number(await count.textContent()), before);
      await page.getByText('0/3 votes today').waitFor();
      // Three votes (the test server's daily limit) and the limit message.
      for (let i = 0; i < 3; ++i) {
        await page.getByRole('button', { name: 'Vote for this clip' }).click();
        await page.getByRole('button', { name: 'Undo vote' }).waitFor();
        await page.getByRole('button', { name: 'Next clip' }).click();
      }
      await page.getByText('Daily limit reached — back tomorrow').waitFor();
      await page.getByRole('button', { name: 'Daily vote limit reached' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, `${kind}-daily-limit.png`) });
      // The profile counts them and the leaderboard ranks the voter.
      await page.goto(`${url}/profile`);
      await page.getByText('Votes today').waitFor();
      assert.equal(await page.locator('.stat', { hasText: 'Votes today' }).locator('strong').textContent(), '3');
      await page.goto(`${url}/leaderboard`);
      await page.getByRole('tab', { name: 'Top voters' }).click();
      await page.getByText(`@voter_${kind}`).waitFor();
      await context.close();
    });

    test('the story plays the winners in order and advances', async () => {
      const { page, context } = await newPage(kind);
      await page.goto(`${url}/story`);
      const video = page.getByTestId('story-video');
      await video.waitFor();
      assert.equal(await video.getAttribute('data-scene'), '0');
      assert.match(await video.getAttribute('aria-label'), /^Scene 1:/);
      assert.ok(await videoIsPlaying(page, '[data-testid="story-video"]'), 'the scene is playing');
      // Scenes are 6–8 s long; the player moves to the next one by itself.
      await page.waitForFunction(() => document.querySelector('[data-testid="story-video"]')?.getAttribute('data-scene') === '1', null, { timeout: 15000 });
      assert.match(await page.getByTestId('story-video').getAttribute('aria-label'), /^Scene 2:/);
      await context.close();
    });
  });
}

describe('comments', () => {
  test('open the panel, post, reply, like; the count follows', async () => {
    const { page, context } = await newPage('phone');
    await login(page, 'commenter@example.com', 'commenter');
    await page.getByTestId('arena-video').waitFor();
    const button = page.getByRole('button', { name: /^Comments \(/ });
    const before = Number((await button.getAttribute('aria-label')).match(/\((\d+)\)/)[1]);
    await button.click();
    const panel = page.getByRole('dialog', { name: 'Comments' });
    await panel.getByText('No comments yet').or(panel.getByTestId('comment').first()).waitFor();
    await panel.getByRole('button', { name: 'Insert 🔥' }).click();
    await panel.getByLabel('Your comment').fill('What a scene 🔥');
    await panel.getByRole('button', { name: 'Post' }).click();
    await panel.getByText('What a scene 🔥').waitFor();
    await panel.getByRole('button', { name: 'Reply' }).first().click();
    assert.equal(await panel.getByLabel('Your comment').inputValue(), '@commenter ');
    await panel.getByLabel('Your comment').fill('@commenter agreed');
    await panel.getByRole('button', { name: 'Post' }).click();
    await panel.getByText('@commenter agreed').waitFor();
    await panel.getByRole('button', { name: 'Like (0)' }).first().click();
    await panel.getByRole('button', { name: 'Like (1)' }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-comments.png') });
    await expectAccessible(page, 'comments panel');
    assert.equal(await page.getByRole('button', { name: `Comments (${before + 2})` }).count(), 1);
    await context.close();
  });
});

describe('community', () => {
  test("a voter follows a clip's creator from the arena", async () => {
    const { page, context } = await newPage('phone');
    await login(page, 'follower@example.com', 'follower');
    await page.getByTestId('arena-video').waitFor();
    const creatorLink = page.locator('.arena-info .creator-link');
    const creator = (await creatorLink.textContent()).slice(1);
    await creatorLink.click();
    await page.waitForURL(new RegExp(`/u/${creator}$`));
    await page.getByRole('heading', { name: `@${creator}` }).waitFor();
    const counts = page.getByTestId('follow-counts');
    const followersBefore = Number((await counts.textContent()).match(/^(\d+)/)[1]);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Following' }).waitFor();
    assert.equal(Number((await counts.textContent()).match(/^(\d+)/)[1]), followersBefore + 1);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-public-profile.png'), fullPage: true });
    await expectAccessible(page, 'public profile');
    // The follower's own public profile counts it too.
    const mine = await page.evaluate(async () => (await fetch('/api/users/follower')).json());
    assert.equal(mine.following, 1);
    await page.goto(`${url}/profile`);
    assert.match(await page.getByTestId('my-follow-counts').textContent(), /^0 followers · 1 following$/);
    await page.goBack();

    // Reporting the creator: a dialog with the reasons; an admin sees it in the queue.
    await page.getByRole('button', { name: 'Report' }).click();
    const dialog = page.getByRole('dialog', { name: `Report @${creator}` });
    await dialog.getByLabel('Spam').check();
    await dialog.getByLabel(/Details/).fill('Posts the same clip every day');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-report-dialog.png') });
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.getByRole('status').filter({ hasText: 'an admin will take a look' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await context.close();

    execFileSync(BIN, ['admin', 'grant', 'moderator@example.com', '--data-dir', dataDir], { stdio: 'ignore' });
    const admin = await newPage('desktop');
    await login(admin.page, 'moderator@example.com', 'report_mod');
    await admin.page.goto(`${url}/admin`);
    await admin.page.getByRole('tab', { name: 'Reports' }).click();
    const card = admin.page.getByRole('article', { name: `Reported user @${creator}` });
    await card.getByText('Posts the same clip every day').waitFor();
    await admin.page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-reports.png') });
    await expectAccessible(admin.page, 'admin reports');
    await card.getByRole('button', { name: 'Dismiss' }).click();
    await admin.page.getByRole('status').filter({ hasText: 'Dismissed · 1 report closed' }).waitFor();
    await admin.context.close();

    // The reporter, back on a desktop, finds the outcome behind the bell.
    const reporter = await newPage('desktop');
    await login(reporter.page, 'follower@example.com');
    const bell = reporter.page.getByTestId('notification-bell');
    await bell.getByTestId('unread-count').waitFor();
    assert.match(await bell.getAttribute('aria-label'), /^Notifications, \d+ unread$/);
    await reporter.page.screenshot({ path: join(ARTIFACTS, 'desktop-bell-unread.png') });
    await bell.click();
    await reporter.page.getByTestId('notification').filter({ hasText: 'Your report was reviewed' }).waitFor();
    await reporter.context.close();
  });
});

describe('live updates', () => {
  // Moves the arena to the clip with this id (the feed order differs per voter).
  async function showClip(page, clipId) {
    for (let i = 0; i < 30; ++i) {
      if (await page.getByTestId('arena-video').getAttribute('data-clip-id') === clipId) return;
      await page.getByRole('button', { name: 'Next clip' }).click();
      await page.waitForTimeout(50);
    }
    throw new Error(`clip ${clipId} not reached`);
  }

  test('two browsers: a comment and a vote in one appear in the other without reload', async () => {
    const watcher = await newPage('desktop');
    const actor = await newPage('phone');
    await login(watcher.page, 'watcher@example.com', 'watcher');
    await login(actor.page, 'actor@example.com', 'actor');
    for (const p of [watcher.page, actor.page]) {
      await p.getByRole('img', { name: 'Live updates on' }).waitFor();
    }
    const clipId = await watcher.page.getByTestId('arena-video').getAttribute('data-clip-id');
    await showClip(actor.page, clipId);
    const watcherCount = watcher.page.getByTestId('vote-count');
    const before = Number(await watcherCount.textContent());

    // A vote in one window moves the count in the other.
    await actor.page.getByRole('button', { name: 'Vote for this clip' }).click();
    await actor.page.getByRole('button', { name: 'Undo vote' }).waitFor();
    await watcher.page.waitForFunction((want) => document.querySelector('[data-testid="vote-count"]')?.textContent === String(want),
      before + 1, { timeout: 5000 });

    // A comment posted in one window appears in the other's open panel.
    await watcher.page.getByRole('button', { name: /^Comments \(/ }).click();
    const watcherPanel = watcher.page.getByRole('dialog', { name: 'Comments' });
    await watcherPanel.getByText('No comments yet').or(watcherPanel.getByTestId('comment').first()).waitFor();
    await actor.page.getByRole('button', { name: /^Comments \(/ }).click();
    const actorPanel = actor.page.getByRole('dialog', { name: 'Comments' });
    await actorPanel.getByLabel('Your comment').fill('Live from the other window');
    await actorPanel.getByRole('button', { name: 'Post' }).click();
    await watcherPanel.getByText('Live from the other window').waitFor({ timeout: 5000 });
    await watcher.page.screenshot({ path: join(ARTIFACTS, 'desktop-live-comment.png') });
    assert.deepEqual(watcher.errors, []);
    await watcher.context.close();
    await actor.context.close();
  });
});

describe('upload', () => {
  test('a creator uploads through the wizard; an admin approves it; it joins the arena', async () => {
    const clipPath = join(dataDir, 'wizard-upload.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=360x640:d=4:r=24',
      '-f', 'lavfi', '-i', 'sine=frequency=330:d=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', clipPath]);
    const creator = await newPage('phone');
    await login(creator.page, 'maker@example.com', 'maker');
    await creator.page.goto(`${url}/upload`);
    await creator.page.getByTestId('file-input').setInputFiles(clipPath);
    await creator.page.getByTestId('upload-preview').waitFor();
    await creator.page.getByText(/^\d+\.\d s$/).waitFor();
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-upload-1-video.png') });
    await creator.page.getByRole('button', { name: 'Next →' }).click();
    await creator.page.getByRole('radio', { name: /Comedy/ }).click();
    await creator.page.getByLabel('Title').fill('Wizard scene');
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-upload-2-genre.png') });
    await expectAccessible(creator.page, 'upload genre step');
    await creator.page.getByRole('button', { name: 'Upload →' }).click();
    await creator.page.getByText('Upload complete — pending review').waitFor({ timeout: 60000 });
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-upload-3-done.png') });

    execFileSync(BIN, ['admin', 'grant', 'reviewer@example.com', '--data-dir', dataDir], { stdio: 'ignore' });
    const reviewer = await newPage('desktop');
    await login(reviewer.page, 'reviewer@example.com', 'reviewer');
    await reviewer.page.goto(`${url}/admin`);
    const card = reviewer.page.getByRole('article', { name: 'Pending clip Wizard scene' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Approve' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: 'Approved' }).waitFor();

    // The creator finds the clip in the arena.
    await creator.page.goto(`${url}/dashboard`);
    await creator.page.getByTestId('arena-video').waitFor();
    let found = false;
    for (let i = 0; i < 30 && !found; ++i) {
      found = (await creator.page.getByRole('heading', { name: 'Wizard scene' }).count()) > 0;
      if (!found) { await creator.page.getByRole('button', { name: 'Next clip' }).click(); await creator.page.waitForTimeout(50); }
    }
    assert.ok(found, 'the approved clip is in the arena');
    assert.match(await creator.page.getByTestId('arena-video').getAttribute('src'), /^\/media\/clips\/[0-9a-f]{64}\.mp4$/);
    assert.ok(await videoIsPlaying(creator.page, '[data-testid="arena-video"]'), 'the processed clip plays');
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-upload-in-arena.png') });

    // The approval reached the creator: an unread count on the Profile tab, the news in the
    // inbox, and on the profile the level, the XP bar and the badges it unlocked.
    await creator.page.getByTestId('tab-unread-count').waitFor({ timeout: 15000 });
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-unread-badge.png') });
    await creator.page.getByRole('link', { name: /^Profile, \d+ unread notifications$/ }).click();
    await creator.page.getByRole('link', { name: /Notifications/ }).click();
    const approvedNote = creator.page.getByTestId('notification').filter({ hasText: 'Your clip is in the vote' });
    await approvedNote.waitFor();
    assert.match(await approvedNote.textContent(), /Wizard scene/);
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-notifications.png') });
    await expectAccessible(creator.page, 'notifications');
    await creator.page.getByRole('button', { name: 'Mark all read' }).click();
    await creator.page.getByTestId('tab-unread-count').waitFor({ state: 'detached' });
    await creator.page.goto(`${url}/profile`);
    // First clip (25) + approval (50) + "On the Ballot" (25): 100 XP is level 2.
    assert.equal(await creator.page.getByTestId('level').textContent(), 'Level 2');
    assert.match(await creator.page.getByTestId('xp-text').textContent(), /^100 XP · 200 XP to level 3$/);
    assert.match(await creator.page.getByTestId('badge-first_approved').getAttribute('class'), /\bunlocked\b/);
    assert.match(await creator.page.getByTestId('badge-first_clip').getAttribute('class'), /\bunlocked\b/);
    assert.match(await creator.page.getByTestId('badge-first_win').getAttribute('class'), /\blocked\b/);
    await creator.page.screenshot({ path: join(ARTIFACTS, 'phone-profile-progress.png'), fullPage: true });
    await expectAccessible(creator.page, 'profile progress');
    await creator.context.close();
    await reviewer.context.close();
  });
});

describe('watch', () => {
  test("the finished demo season's film plays, with chapters and a download", async () => {
    const { page, context } = await newPage('desktop');
    await page.goto(`${url}/watch`);
    await page.getByRole('button', { name: /^Play / }).first().click();
    // The media worker assembles it in the background after start; allow for that.
    const film = page.getByTestId('film-video');
    await film.waitFor({ timeout: 90000 });
    assert.match(await film.getAttribute('src'), /^\/media\/films\/[0-9a-f]{64}\.mp4$/);
    await page.evaluate(() => { const v = document.querySelector('[data-testid="film-video"]'); v.muted = true; return v.play(); });
    assert.ok(await videoIsPlaying(page, '[data-testid="film-video"]'), 'the film is playing');
    const chapters = page.getByRole('list', { name: 'Chapters' }).getByRole('button');
    assert.ok(await chapters.count() >= 2);
    assert.match(await chapters.nth(1).textContent(), /^\d+:\d\d 2\. /, 'each chapter shows where it starts');
    await page.mouse.wheel(0, 2000);
    await chapters.nth(1).click();
    const at = await page.evaluate(() => document.querySelector('[data-testid="film-video"]').currentTime);
    assert.ok(at > 3, `jumped to the second chapter, at ${at}`);
    assert.equal(await chapters.nth(1).getAttribute('aria-current'), 'true', 'the chapter playing is marked');
    await page.waitForFunction(() => { const r = document.querySelector('[data-testid="film-video"]').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; });
    const download = page.getByRole('link', { name: /Download the film/ });
    assert.match(await download.getAttribute('href'), /\?download=1$/);
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-watch-film.png') });
    await expectAccessible(page, 'watch film');
    await context.close();
  });
});

describe('admin', () => {
  test('a non-admin cannot reach /admin', async () => {
    const { page, context } = await newPage('phone');
    await login(page, 'nobody@example.com', 'just_a_voter');
    await page.goto(`${url}/admin`);
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Slots' }).count(), 0);
    const api = await page.evaluate(async () => (await fetch('/api/admin/seasons')).status);
    assert.equal(api, 403);
    await context.close();
  });

  test('an admin approves a clip and advances the slot; the arena shows the new round', async () => {
    const { page, context } = await newPage('desktop');
    await login(page, 'admin@example.com', 'the_admin');
    page.on('dialog', (d) => d.accept());
    await page.goto(`${url}/admin`);
    const pending = page.getByRole('article', { name: /Pending clip/ });
    await pending.first().waitFor();
    const before = await pending.count();
    await pending.first().getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('article[aria-label^="Pending clip"]').length === n, before - 1);
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-queue.png') });
    await page.getByRole('tab', { name: 'Slots' }).click();
    await page.getByText('Open: slot 4').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-slots.png') });
    // The finished demo season's film: its state and a rebuild, with progress.
    await page.getByRole('tab', { name: 'Seasons' }).click();
    const filmCell = page.getByTestId(/^film-/).first();
    await filmCell.getByText(/Film: (ready|queued|building)/).waitFor();
    await filmCell.getByRole('button', { name: /build film/i }).click();
    await page.getByRole('status').filter({ hasText: 'Film queued' }).waitFor();
    await filmCell.getByText('Film: ready').waitFor({ timeout: 90000 });
    await page.getByRole('tab', { name: 'Slots' }).click();
    await page.getByText('Open: slot 4').waitFor();
    await page.getByRole('button', { name: 'Advance now' }).click();
    await page.getByText('Open: slot 5').waitFor();
    await expectAccessible(page, 'admin');
    await page.goto(`${url}/dashboard`);
    await page.getByText('Slot 5/75').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-dashboard-new-round.png') });
    await context.close();
  });
});

describe('invites and announcements', () => {
  test('an invite link survives sign-up and credits the inviter; an announcement reaches everyone', async () => {
    const admin = await newPage('desktop');
    await login(admin.page, 'admin@example.com');
    const flag = await admin.page.evaluate(async () => {
      const { token } = await (await fetch('/api/csrf')).json();
      const r = await fetch('/api/admin/feature-flags', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token }, body: JSON.stringify({ key: 'referral_system', enabled: true }) });
      return r.status;
    });
    assert.equal(flag, 200);

    const host = await newPage('phone');
    await login(host.page, 'host@example.com', 'invite_host');
    await host.page.goto(`${url}/profile`);
    const code = (await host.page.getByTestId('invite-code').textContent()).trim();
    assert.match(code, /^[A-Z2-9]{8}$/);
    assert.equal(await host.page.getByTestId('invite-link').inputValue(), `${url}/join/${code}`);
    assert.match(await host.page.getByTestId('invite-count').textContent(), /^0 people joined/);

    // The friend follows the link, is welcomed by name, signs up, and is counted.
    const friend = await newPage('phone');
    await friend.page.goto(`${url}/join/${code}`);
    await friend.page.waitForURL(new RegExp(`/login\\?invite=${code}$`));
    assert.match(await friend.page.getByTestId('invite-welcome').textContent(), /@invite_host invited you/);
    await friend.page.screenshot({ path: join(ARTIFACTS, 'phone-invite-welcome.png') });
    await expectAccessible(friend.page, 'login with invite');
    await friend.page.getByLabel('Email').fill('invited@example.com');
    await friend.page.getByRole('button', { name: 'Continue' }).click();
    await friend.page.waitForURL(/onboarding/);
    await friend.page.getByLabel('Username').fill('invited_friend');
    await friend.page.getByText('Available').waitFor();
    await friend.page.getByRole('button', { name: 'Start voting' }).click();
    await friend.page.waitForURL(/dashboard/);

    for (let i = 0; ; ++i) {
      await host.page.goto(`${url}/profile`);
      await host.page.getByTestId('invite-count').waitFor();
      if (/^1 person joined/.test(await host.page.getByTestId('invite-count').textContent())) break;
      assert.ok(i < 20, 'the referral is counted within seconds');
      await host.page.waitForTimeout(500);
    }
    await host.page.getByText('4 more to Networker (+100 XP)').waitFor();
    await host.page.screenshot({ path: join(ARTIFACTS, 'phone-profile-invites.png'), fullPage: true });
    await expectAccessible(host.page, 'profile with invites');

    // An admin's announcement arrives in everyone's inbox.
    await admin.page.goto(`${url}/admin`);
    await admin.page.getByRole('tab', { name: 'Announce' }).click();
    await admin.page.getByLabel('Title').fill('Season 2 opens Friday');
    await admin.page.getByLabel('Message').fill('Bring your best eight seconds.');
    await admin.page.getByLabel('Link in the app (optional)').fill('/upload');
    await admin.page.getByRole('button', { name: 'Send announcement' }).click();
    await admin.page.getByTestId('announcement-row').filter({ hasText: 'Season 2 opens Friday' }).waitFor();
    await admin.page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-announce.png') });
    await expectAccessible(admin.page, 'admin announce');
    await friend.page.getByTestId('tab-unread-count').waitFor({ timeout: 15000 });
    await friend.page.goto(`${url}/notifications`);
    const note = friend.page.getByTestId('notification').filter({ hasText: 'Season 2 opens Friday' });
    await note.waitFor();
    assert.match(await note.textContent(), /Bring your best eight seconds/);
    await friend.page.screenshot({ path: join(ARTIFACTS, 'phone-announcement.png') });
    for (const p of [admin, host, friend]) await p.context.close();
  });
});

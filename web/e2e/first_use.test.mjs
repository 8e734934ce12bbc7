// What a first-time visitor trips over (issue 21), each checked the way a person meets it, at the
// viewport where it was seen, on the demo season: the comment sheet, the way to the Story, the end
// of the feed, keyboard voting, and pages that scroll sideways.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { ARTIFACTS, BIN, devLogin, launchChromium, returningVisitor, startAimoviez } from './harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

let server, browser;

before(async () => {
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-e2e-first-use-', args: ['--dev-login',
    '--rate-read-per-minute', '1000000', '--rate-api-per-minute', '1000000', '--rate-admin-sensitive-per-minute', '1000000'] });
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(kind, path) {
  const visitor = await returningVisitor(browser, kind);
  await visitor.page.goto(server.url + path);
  return visitor;
}

const signIn = (page, email, username) => devLogin(page, server.url, email, username);

const activeIn = (page, selector) => page.evaluate((s) => !!document.activeElement?.closest(s), selector);

for (const [kind, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  describe(`${kind}`, () => {
    test('the comment sheet is an opaque dialog that keeps focus, closes on Escape and gives focus back', async () => {
      const { page, context, errors } = await open(options, '/dashboard');
      await page.getByTestId('arena-video').waitFor();
      const opener = page.getByRole('button', { name: /^Comments \(\d+\)$/ });
      await opener.click();
      const sheet = page.getByRole('dialog', { name: 'Comments' });
      await sheet.waitFor();
      await sheet.getByText('to comment.').waitFor();
      const background = await sheet.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.match(background, /^rgb\(/, `opaque, not ${background}`);
      assert.ok(await activeIn(page, '[data-testid="comment-sheet"]'), 'focus moved into the sheet');
      for (let i = 0; i < 12; ++i) {
        await page.keyboard.press('Tab');
        assert.ok(await activeIn(page, '[data-testid="comment-sheet"]'), `Tab ${i + 1} stayed in the sheet`);
      }
      if (kind === 'desktop') {
        // The side panel leaves the vote button in view, beside it.
        const vote = await page.locator('#vote-button').boundingBox();
        const panel = await sheet.boundingBox();
        assert.ok(vote.x + vote.width <= panel.x, `vote button ${JSON.stringify(vote)} clear of ${JSON.stringify(panel)}`);
      }
      await page.screenshot({ path: join(ARTIFACTS, `${kind}-comment-sheet-open.png`) });
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Comments')), true,
        'focus is back on the comments button');
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}

describe('phone', () => {
  test('the Story is one tap from the bottom bar while voting, and linked from Watch', async () => {
    const { page, context } = await open(PHONE, '/dashboard');
    await page.getByTestId('arena-video').waitFor();
    const bar = page.locator('nav.bottomnav');
    await bar.getByRole('link', { name: 'Story' }).click();
    await page.waitForURL(/\/story$/);
    // On the story, the same tab offers the way back to voting.
    await bar.getByRole('link', { name: 'Vote' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-bottom-bar-story.png') });
    await bar.getByRole('link', { name: 'Watch' }).click();
    await page.getByRole('link', { name: 'The story so far →' }).click();
    await page.waitForURL(/\/story$/);
    await context.close();
  });

  test('the end of the feed is an end card, and controls that do nothing look disabled', async () => {
    const { page, context } = await open(PHONE, '/dashboard');
    await page.getByTestId('arena-video').waitFor();
    const previous = page.getByRole('button', { name: 'Previous clip' });
    assert.equal(await previous.isDisabled(), true);
    const faded = await previous.evaluate((el) => getComputedStyle(el.querySelector('.action-circle')).opacity);
    assert.equal(Number(faded), 0.3, 'a disabled control looks disabled');
    for (let i = 0; i < 60 && !(await page.getByTestId('feed-end').isVisible()); ++i) {
      await page.getByRole('button', { name: /^(Next clip|End of the round)$/ }).click();
    }
    const end = page.getByTestId('feed-end');
    await end.waitFor();
    assert.match(await end.textContent(), /seen every clip in slot \d+/);
    await end.getByRole('link', { name: 'Watch the story so far' }).waitFor();
    await end.getByRole('link', { name: 'Upload your own clip' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-feed-end-card.png') });
    await end.getByRole('button', { name: '↑ Back to the last clip' }).click();
    await page.getByTestId('arena-video').waitFor();
    await context.close();
  });
});

describe('desktop', () => {
  test('keyboard voting: a skip link to the button, focus kept after Enter, and V votes', async () => {
    const { page, context } = await open(DESKTOP, '/dashboard');
    await page.getByTestId('arena-video').waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the vote button' });
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'the first Tab reaches the skip link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'vote-button');
    const count = Number(await page.getByTestId('vote-count').textContent());
    await page.keyboard.press('Enter');
    const undo = page.getByRole('button', { name: 'Undo vote' });
    await undo.waitFor();
    await page.waitForFunction(() => document.querySelector('#vote-button')?.getAttribute('aria-disabled') !== 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'vote-button', 'focus stays on the button');
    assert.equal(Number(await page.getByTestId('vote-count').textContent()), count + 1);
    await page.keyboard.press('Enter');  // a second Enter undoes it
    await page.getByRole('button', { name: 'Vote for this clip' }).waitFor();
    await page.waitForFunction(() => document.querySelector('#vote-button')?.getAttribute('aria-disabled') !== 'true');
    assert.equal(Number(await page.getByTestId('vote-count').textContent()), count);

    // The shortcut is shown, and works from anywhere on the page.
    await page.getByText('votes', { exact: false }).locator('kbd', { hasText: 'V' }).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('v');
    await undo.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'vote-button');
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-keyboard-vote.png') });
    await context.close();
  });
});

describe('signed in', () => {
  test('a signed-in person is not offered Join or a second sign-in; the intro never covers a shared link', async () => {
    const { page, context } = await open(PHONE, '/');
    await signIn(page, 'returning@example.com', 'returning');
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Continue voting' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Join the movie' }).count(), 0);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('already-signed-in').waitFor();
    assert.equal(await page.getByLabel('Email').count(), 0, 'no sign-in form');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-login-already-signed-in.png') });
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(/dashboard/);
    await context.close();

    // A first visit straight to a shared clip: no intro in front of it. The home page's intro
    // goes away with one tap.
    const first = await browser.newContext(PHONE);
    const fresh = await first.newPage();
    await fresh.goto(`${server.url}/dashboard`);
    await fresh.getByTestId('arena-video').waitFor();
    assert.equal(await fresh.getByRole('dialog', { name: 'Intro' }).count(), 0);
    await fresh.goto(`${server.url}/`);
    const intro = fresh.getByRole('dialog', { name: 'Intro' });
    await intro.waitFor();
    await intro.click({ position: { x: 20, y: 20 } });
    await intro.waitFor({ state: 'detached' });
    await first.close();
  });

  test('comments: relative times on one line, reply puts the cursor after the mention, delete can be undone', async () => {
    const { page, context } = await open(PHONE, '/');
    await signIn(page, 'commenter@example.com', 'commenter');
    await page.getByTestId('arena-video').waitFor();
    const clipId = await page.getByTestId('arena-video').getAttribute('data-clip-id');
    await page.getByRole('button', { name: /^Comments \(\d+\)$/ }).click();
    const sheet = page.getByRole('dialog', { name: 'Comments' });
    await sheet.getByLabel('Your comment').fill('What a shot');
    await sheet.getByRole('button', { name: 'Post' }).click();
    const mine = sheet.getByTestId('comment').filter({ hasText: 'What a shot' });
    await mine.locator('time').filter({ hasText: 'just now' }).waitFor();
    await mine.getByRole('button', { name: 'Reply' }).waitFor();  // the server's copy, with its id
    assert.equal(await mine.locator('time').evaluate((el) => getComputedStyle(el).whiteSpace), 'nowrap');

    await mine.getByRole('button', { name: 'Reply' }).click();
    const box = sheet.getByLabel('Your comment');
    await page.waitForFunction(() => document.activeElement?.id === 'comment-text');
    assert.equal(await box.inputValue(), '@commenter ');
    assert.equal(await box.evaluate((t) => t.selectionStart), '@commenter '.length, 'the cursor is after the mention');
    await sheet.getByRole('button', { name: 'Cancel' }).click();

    await mine.getByRole('button', { name: 'Delete' }).click();
    await sheet.getByRole('status').filter({ hasText: 'Comment deleted.' }).waitFor();
    assert.equal(await mine.count(), 0, 'hidden at once');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-comment-undo.png') });
    await sheet.getByRole('button', { name: 'Undo' }).click();
    await mine.waitFor();
    // Without Undo, the deletion is sent after a few seconds and sticks.
    await mine.getByRole('button', { name: 'Delete' }).click();
    // The sheet stays open, so only the timer can send it; wait for the server to lose it.
    const onServer = () => page.evaluate(async (id) => (await (await fetch(`/api/comments?clipId=${id}`)).json()).comments
      .filter((c) => c.text === 'What a shot').length, clipId);
    for (let tries = 0; tries < 40 && await onServer() > 0; ++tries) await page.waitForTimeout(500);
    assert.equal(await onServer(), 0, 'the deletion reached the server within 20 s');
    assert.equal(await sheet.getByRole('status').filter({ hasText: 'Comment deleted.' }).count(), 0, 'the undo offer is gone once sent');
    assert.equal(await mine.count(), 0, 'still gone after the refetch');
    await context.close();
  });

  test('after an upload the page stays put and My clips shows a compact card with its status', async () => {
    const clipPath = join(server.dataDir, 'first-use-upload.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=360x640:d=3:r=24',
      '-f', 'lavfi', '-i', 'sine=frequency=440:d=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', clipPath]);
    const { page, context } = await open(PHONE, '/');
    await signIn(page, 'uploader@example.com', 'uploader');
    await page.goto(`${server.url}/upload`);
    await page.getByTestId('file-input').setInputFiles(clipPath);
    await page.getByTestId('upload-preview').waitFor();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByRole('radio').first().click();
    await page.getByLabel('Title').fill('Stays put');
    await page.getByRole('button', { name: 'Upload →' }).click();
    try {
      await page.getByText('Upload complete — pending review').waitFor({ timeout: 90000 });
    } finally {
      await page.screenshot({ path: join(ARTIFACTS, 'phone-upload-done-stays.png') });
    }
    await page.waitForTimeout(7000);
    assert.match(page.url(), /\/upload$/, 'no automatic redirect');
    await page.getByRole('link', { name: 'See it in My clips' }).click();
    await page.waitForURL(/\/profile\?tab=clips$/);
    const card = page.getByRole('article', { name: 'Stays put' });
    await card.getByText('pending').waitFor();
    const box = await card.boundingBox();
    assert.ok(box.height < 420 && box.y + box.height <= 844, `the card fits on the first screen: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-my-clips-after-upload.png') });
    await context.close();
  });
});

describe('desktop', () => {
  test('leaderboard rows open, and statuses read as words', async () => {
    const { page, context } = await open(DESKTOP, '/leaderboard');
    const rows = page.getByRole('list', { name: 'Ranking' }).getByRole('listitem');
    await rows.first().waitFor();
    const text = await page.getByRole('list', { name: 'Ranking' }).textContent();
    assert.doesNotMatch(text, /· (eliminated|locked|active)\b/);
    assert.doesNotMatch(text, /\b1 votes\b/);
    const first = rows.filter({ has: page.locator('a.row-link') }).first();
    const title = (await first.locator('strong').nth(1).textContent()).trim();
    await first.click({ position: { x: 300, y: 20 } });
    await page.waitForURL(/\/(dashboard\?clip=\d+|story)$/);
    if (/dashboard/.test(page.url())) await page.getByRole('heading', { name: title }).waitFor();
    await context.close();
  });
});

describe('every width', () => {
  test('no page scrolls sideways from 320 to 1920 px, as a member and as an admin', async () => {
    execFileSync(BIN, ['admin', 'grant', 'wide-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const pages = ['/', '/dashboard', '/story', '/watch', '/upload', '/leaderboard', '/profile', '/notifications', '/settings', '/about'];
    const wide = [];
    for (const [who, email, username] of [['member', 'wide-member@example.com', 'wide_member'], ['admin', 'wide-admin@example.com', 'wide_admin']]) {
      const { page, context } = await returningVisitor(browser, { viewport: { width: 1280, height: 800 } });
      await signIn(page, email, username);
      // Each page is loaded once and then resized through the widths: media queries and the
      // app's own resize listeners apply as they would on a fresh load at that width.
      for (const path of who === 'admin' ? [...pages, '/admin'] : pages) {
        await page.setViewportSize({ width: 320, height: 800 });
        await page.goto(server.url + path);
        await page.locator('h1, h2, [data-testid="arena-video"]').first().waitFor();
        await page.waitForTimeout(150);
        for (const width of [320, 390, 768, 1024, 1280, 1366, 1920]) {
          await page.setViewportSize({ width, height: 800 });
          // Two frames: the resize's layout and any re-render it caused.
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 0) {
            wide.push(`${who} ${path} at ${width}px: ${overflow}px too wide`);
            await page.screenshot({ path: join(ARTIFACTS, `overflow-${who}-${width}${path.replace(/\//g, '_')}.png`) });
          }
        }
      }
      await context.close();
    }
    assert.deepEqual(wide, []);
  });
});

describe('upload form', () => {
  test('a landscape file is previewed as it will be cropped and warned about; another file renames; bad files say so', async () => {
    const landscape = join(server.dataDir, 'wide_shot.mp4');
    const portrait = join(server.dataDir, 'tall-shot.mp4');
    const garbage = join(server.dataDir, 'broken.mp4');
    for (const [path, size] of [[landscape, '1280x720'], [portrait, '360x640']]) {
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}:d=2:r=24`,
        '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path]);
    }
    writeFileSync(garbage, Buffer.alloc(200_000, 7));
    const { page, context } = await open(PHONE, '/');
    await signIn(page, 'framer@example.com', 'framer');
    await page.goto(`${server.url}/upload`);
    // A phone is not told to drag and drop.
    await page.getByText('Record a clip or choose one from your phone').waitFor();
    assert.equal(await page.getByText('Drag & drop a clip here').isVisible(), false);

    await page.getByTestId('file-input').setInputFiles(landscape);
    const warning = page.getByTestId('crop-warning');
    await warning.waitFor();
    assert.match(await warning.textContent(), /landscape \(1280×720\).*cut off/);
    assert.equal(await page.locator('.upload-preview-video').evaluate((v) => getComputedStyle(v).objectFit), 'cover');
    const next = page.getByRole('button', { name: 'Next →' });
    // The page brings Next into view once the preview is ready.
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Next →')?.getBoundingClientRect();
      return b && b.top >= 0 && b.bottom <= innerHeight - 64;  // above the bottom bar
    }, null, { timeout: 5000 });
    await page.screenshot({ path: join(ARTIFACTS, 'phone-upload-landscape-warning.png') });

    await page.getByTestId('file-input').setInputFiles(portrait);
    await warning.waitFor({ state: 'detached' });
    await next.click();
    assert.equal(await page.getByLabel('Title').inputValue(), 'tall shot', 'the title follows the new file');
    await page.getByTestId('season-genre').waitFor();
    const seasonGenre = (await page.getByTestId('season-genre').locator('strong').textContent()).trim();
    assert.match(await page.getByRole('radio').first().textContent(), new RegExp(seasonGenre));
    await page.screenshot({ path: join(ARTIFACTS, 'phone-upload-genre-guidance.png') });
    await page.getByRole('button', { name: '← Back' }).click();

    await page.getByTestId('file-input').setInputFiles(garbage);
    await page.getByRole('alert').filter({ hasText: 'can’t play this file' }).waitFor();
    assert.equal(await next.isDisabled(), true);
    await context.close();
  });
});

describe('light theme', () => {
  test('every text has enough contrast in the light theme (axe color-contrast), as a member and as an admin', async () => {
    execFileSync(BIN, ['admin', 'grant', 'light-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const failures = [];
    for (const [kind, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const { page, context } = await returningVisitor(browser, options, { 'aimoviez.theme': 'light' });
      await signIn(page, 'light-admin@example.com', kind === 'phone' ? 'light_admin' : undefined);
      for (const path of ['/', '/story', '/watch', '/upload', '/leaderboard', '/profile', '/notifications', '/settings', '/login', '/about', '/admin']) {
        await page.goto(server.url + path);
        await page.locator('h1, h2').first().waitFor();
        await page.waitForTimeout(300);
        const results = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
        for (const v of results.violations) {
          for (const node of v.nodes) failures.push(`${kind} ${path}: ${node.target.join(' ')} — ${node.any[0]?.message ?? v.help}`);
        }
        if (results.violations.length) await page.screenshot({ path: join(ARTIFACTS, `light-contrast-${kind}${path.replace(/\//g, '_')}.png`), fullPage: true });
      }
      await context.close();
    }
    assert.deepEqual(failures, []);
  });
});

describe('tour', () => {
  test('a visitor who starts voting from the home page gets the tour, which rings each thing without covering it; a paused clip shows it', async () => {
    // A first visit as far as the tour is concerned.
    const { page, context } = await returningVisitor(browser, PHONE, { 'aimoviez.tourSeen': null });
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Start voting' }).click();
    await page.waitForURL(/dashboard/);
    const card = page.getByTestId('tour-card');
    for (const title of ['Vote with ∞', 'Swipe through clips', 'The story so far', 'Make your own']) {
      await page.getByRole('heading', { name: title }).waitFor();
      const ring = await page.getByTestId('tour-ring').boundingBox();
      const box = await card.boundingBox();
      const overlap = !(box.y + box.height <= ring.y || ring.y + ring.height <= box.y || box.x + box.width <= ring.x || ring.x + ring.width <= box.x);
      assert.equal(overlap, false, `"${title}": card ${JSON.stringify(box)} clear of ${JSON.stringify(ring)}`);
      if (title === 'Vote with ∞') await page.screenshot({ path: join(ARTIFACTS, 'phone-tour-vote.png') });
      await card.getByRole('button', { name: title === 'Make your own' ? 'Got it' : 'Next', exact: true }).click();
    }
    await page.getByTestId('tour').waitFor({ state: 'detached' });

    // One tap pauses the clip, and says so.
    await page.getByTestId('arena-video').click();
    await page.getByTestId('paused-icon').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-arena-paused.png') });
    await page.getByTestId('arena-video').click();
    await page.getByTestId('paused-icon').waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('arena-video').waitFor();
    assert.equal(await page.getByTestId('tour').count(), 0, 'shown once');
    await context.close();
  });
});

describe('admin on a phone', () => {
  test('review cards are compact, the open slot fits the width with whole buttons, and feedback shows where one looks', async () => {
    execFileSync(BIN, ['admin', 'grant', 'phone-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const { page, context } = await open(PHONE, '/');
    await signIn(page, 'phone-admin@example.com', 'phone_admin');
    await page.goto(`${server.url}/admin`);
    const cards = page.getByRole('article', { name: /^Pending clip / });
    await cards.first().waitFor();
    const card = await cards.first().boundingBox();
    assert.ok(card.height < 260, `a pending clip is a compact card, not a full-screen video: ${JSON.stringify(card)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-admin-queue.png') });
    await page.getByRole('tab', { name: 'Slots' }).click();
    const winner = page.getByRole('button', { name: 'Make winner' }).first();
    await winner.waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll');
    const button = await winner.boundingBox();
    assert.ok(button.x >= 0 && button.x + button.width <= 390, `"Make winner" is whole: ${JSON.stringify(button)}`);
    assert.equal((await winner.textContent()).trim(), 'Make winner');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-admin-slots.png') });

    await page.getByRole('tab', { name: 'Pending clips' }).click();
    await page.mouse.wheel(0, 3000);
    await cards.last().getByRole('button', { name: 'Approve' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Approved/ });
    await status.waitFor();
    const shown = await status.boundingBox();
    assert.ok(shown.y >= 0 && shown.y + shown.height <= 844 - 64, `the outcome is on screen above the bar: ${JSON.stringify(shown)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-admin-approved.png') });
    await context.close();
  });
});

describe('story', () => {
  test('the player fits the first screen with its controls on the picture, says Play or Pause, ends with a call to vote; the season is in the URL', async () => {
    const { page, context } = await open(PHONE, '/story');
    await page.getByTestId('story-video').waitFor();
    const play = page.getByTestId('story-play');
    for (const [what, locator] of [['the Play/Pause control', play], ['the caption', page.locator('.story-caption h2')]]) {
      const box = await locator.boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= 844 - 64, `${what} is on the first screen above the bar: ${JSON.stringify(box)}`);
    }
    await page.waitForFunction(() => !document.querySelector('[data-testid="story-video"]').paused);
    assert.equal(await play.getAttribute('aria-label'), 'Pause');
    await play.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="story-play"]').getAttribute('aria-label') === 'Play');
    assert.match(await play.textContent(), /Play/);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-story-controls.png') });

    // The live season's chip puts it in the URL.
    const live = page.getByRole('listitem').filter({ hasText: 'Live' }).getByRole('button');
    await live.click();
    await page.waitForURL(/\/story\?season=\d+$/);
    const url = page.url();
    await page.reload();
    await page.getByTestId('story-video').waitFor();
    assert.equal(page.url(), url);

    // After the last scene: the call to vote on the scene being chosen now.
    const scenes = page.getByRole('list', { name: 'Scenes' }).getByRole('button');
    // The live season's list ends with the clips competing for the next scene, once they load.
    await page.getByRole('list', { name: 'Scenes' }).getByRole('button', { name: /^Play Competing for scene/ }).first().waitFor();
    await scenes.last().click();
    await page.waitForFunction(() => { const v = document.querySelector('[data-testid="story-video"]'); return v && v.duration > 0; });
    await page.evaluate(() => { const v = document.querySelector('[data-testid="story-video"]'); v.currentTime = Math.max(0, v.duration - 0.2); return v.play(); });
    const end = page.getByTestId('story-end');
    try {
      await end.waitFor({ timeout: 10000 });
    } finally {
      await page.screenshot({ path: join(ARTIFACTS, 'phone-story-end-card.png') });
    }
    await end.getByRole('link', { name: 'Vote on the next scene' }).click();
    await page.waitForURL(/\/dashboard$/);
    await context.close();
  });
});

describe('shared links', () => {
  for (const [kind, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`${kind}: a shared clip link opens the clip, where it stands, and a vote while it competes`, async () => {
      const feed = await (await fetch(`${server.url}/api/vote?limit=1`)).json();
      const clip = feed.clips[0];
      const html = await (await fetch(`${server.url}/clip/${clip.id}`)).text();
      assert.match(html, new RegExp(`<meta property="og:url" content="http://[^"]+/clip/${clip.id}" />`), 'the real shell carries the preview');
      const { page, context, errors } = await open(options, `/clip/${clip.id}`);
      await page.getByRole('heading', { name: clip.title }).waitFor();
      await page.getByTestId('clip-standing').filter({ hasText: new RegExp(`Competing for slot ${feed.currentSlot} right now`) }).waitFor();
      const votes = page.getByTestId('clip-votes');
      const before = Number((await votes.textContent()).match(/\d+/)[0]);
      await page.getByRole('button', { name: 'Vote for this clip' }).click();
      await page.getByRole('button', { name: 'Undo vote' }).waitFor();
      assert.equal(Number((await votes.textContent()).match(/\d+/)[0]), before + 1);
      await page.screenshot({ path: join(ARTIFACTS, `${kind}-shared-clip.png`) });
      await page.getByRole('button', { name: 'Undo vote' }).click();
      await page.getByRole('button', { name: 'Vote for this clip' }).waitFor();
      await page.getByRole('button', { name: /^Comments \(/ }).click();
      await page.getByRole('dialog', { name: 'Comments' }).waitFor();
      await page.keyboard.press('Escape');
      await page.goto(`${server.url}/clip/999999`);
      await page.getByRole('heading', { name: 'This clip is not available' }).waitFor();
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('arena states', () => {
  test('waiting for clips offers the upload; a finished season shows its trophy and the way to the story', async () => {
    const { Client, sql, insertPendingClip } = await import('../../tests/http/helpers.mjs');
    const fresh = await startAimoviez({ prefix: 'aimoviez-e2e-states-', args: ['--dev-login'] });
    try {
      execFileSync(BIN, ['admin', 'grant', 'states@example.com', '--data-dir', fresh.dataDir], { stdio: 'ignore' });
      const admin = new Client(fresh.url);
      await admin.login('states@example.com', 'states_admin');
      const season = (await admin.post('/api/admin/seasons', { label: 'Short Season', total_slots: 2 })).body.season;
      assert.equal((await admin.post(`/api/admin/seasons/${season.id}/activate`)).status, 200);
      const context = await browser.newContext(PHONE);
      await context.addInitScript(() => { localStorage.setItem('aimoviez.tourSeen', '1'); localStorage.setItem('aimoviez.cookieChoice', 'accepted'); });
      const page = await context.newPage();
      await page.goto(`${fresh.url}/dashboard`);
      await page.getByRole('heading', { name: 'Waiting for clips' }).waitFor();
      await page.getByRole('link', { name: 'Upload the first clip' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'phone-arena-waiting-for-clips.png') });

      for (const title of ['Opening', 'Closing']) {
        const id = insertPendingClip(fresh.dataDir, title);
        assert.equal((await admin.post(`/api/admin/clips/${id}/approve`)).status, 200);
        assert.equal((await admin.post('/api/admin/assign-winner', { clipId: id })).status, 200);
      }
      assert.equal(sql(fresh.dataDir, `SELECT status FROM seasons WHERE id = ${season.id}`), 'finished');
      await page.goto(`${fresh.url}/dashboard`);
      const done = page.getByTestId('season-complete');
      await done.getByRole('heading', { name: 'Short Season is complete' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'phone-arena-season-complete.png') });
      await done.getByRole('link', { name: 'Watch the story' }).click();
      await page.waitForURL(new RegExp(`/story\\?season=${season.id}$`));

      // Between seasons the community picks the next genre; a second visitor watching the
      // page sees the percentages move live, and the admin sees the pick when creating a season.
      const other = await browser.newContext(PHONE);
      await other.addInitScript(() => { localStorage.setItem('aimoviez.tourSeen', '1'); localStorage.setItem('aimoviez.cookieChoice', 'accepted'); });
      const watcher = await other.newPage();
      await watcher.goto(`${fresh.url}/genres`);
      const genres = watcher.getByRole('list', { name: 'Genres' });
      await genres.getByRole('button', { name: /Comedy\s+0%/ }).waitFor();
      await page.goto(`${fresh.url}/dashboard`);
      await page.getByTestId('season-complete').getByRole('link', { name: 'Pick the next genre' }).click();
      await page.waitForURL(/\/genres$/);
      await page.getByRole('button', { name: /Comedy/ }).click();
      await page.getByRole('button', { name: /Comedy.*100%/, pressed: true }).waitFor();
      await genres.getByRole('button', { name: /Comedy.*100%/, pressed: false }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'phone-genre-vote.png') });
      await page.getByRole('button', { name: /Horror/ }).click();
      await genres.getByRole('button', { name: /Horror.*100%/ }).waitFor();
      await genres.getByRole('button', { name: /Comedy\s+0%/ }).waitFor();
      await other.close();
      await context.close();

      const desk = await browser.newContext(DESKTOP);
      await desk.addInitScript(() => { localStorage.setItem('aimoviez.tourSeen', '1'); localStorage.setItem('aimoviez.cookieChoice', 'accepted'); });
      const adminPage = await desk.newPage();
      await devLogin(adminPage, fresh.url, 'states@example.com');
      await adminPage.goto(`${fresh.url}/admin`);
      await adminPage.getByRole('tab', { name: 'Seasons' }).click();
      await adminPage.getByTestId('genre-vote-result').getByText('Horror', { exact: true }).waitFor();
      await adminPage.getByRole('button', { name: 'Use Horror' }).click();
      assert.equal(await adminPage.getByLabel('Genre').inputValue(), 'Horror');
      await adminPage.screenshot({ path: join(ARTIFACTS, 'desktop-admin-genre-pick.png') });
      await desk.close();
    } finally {
      await fresh.stop();
    }
  });
});

describe('search', () => {
  for (const [kind, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`${kind}: search is in the navigation and finds a clip by a word of its title and by a prefix`, async () => {
      const feed = await (await fetch(`${server.url}/api/vote?limit=1`)).json();
      const title = feed.clips[0].title;
      const word = title.split(' ')[0];
      const { page, context, errors } = await open(options, '/dashboard');
      await page.getByTestId('arena-video').waitFor();
      const nav = kind === 'phone' ? page.locator('nav.bottomnav') : page.locator('header nav');
      await nav.getByRole('link', { name: 'Search' }).click();
      await page.waitForURL(/\/search$/);
      const box = page.getByRole('searchbox', { name: 'Search clips and creators' });
      for (const typed of [word, word.slice(0, 3).toLowerCase()]) {
        await box.fill(typed);
        await page.waitForURL(new RegExp(`q=${encodeURIComponent(typed)}`));
        await page.getByRole('list', { name: 'Clips found' }).getByText(title, { exact: true }).waitFor();
      }
      await page.screenshot({ path: join(ARTIFACTS, `${kind}-search.png`) });
      await page.getByRole('list', { name: 'Clips found' }).getByText(title, { exact: true }).click();
      await page.waitForURL(/\/clip\/\d+$/);
      await page.getByRole('heading', { name: title }).waitFor();
      await page.goBack();
      await page.getByRole('tab', { name: 'Creators' }).click();
      await box.fill(feed.clips[0].username.slice(0, 4));
      await page.getByRole('list', { name: 'Creators found' }).getByRole('link', { name: `@${feed.clips[0].username}` }).waitFor();
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('contact', () => {
  test('a message from the contact page reaches the admins\' inbox', async () => {
    const { page, context } = await open(PHONE, '/');
    await page.getByRole('link', { name: 'Contact' }).click();
    await page.waitForURL(/\/contact$/);
    await page.getByLabel('Your name (optional)').fill('Lea');
    await page.getByLabel('Email, for our answer').fill('lea@example.com');
    await page.getByLabel('Subject').fill('Love the app');
    await page.getByLabel('Message').fill('Could the story have subtitles?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thanks — message sent' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-contact-sent.png') });
    await context.close();

    execFileSync(BIN, ['admin', 'grant', 'inbox-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const admin = await open(DESKTOP, '/');
    await signIn(admin.page, 'inbox-admin@example.com', 'inbox_admin');
    await admin.page.goto(`${server.url}/admin`);
    await admin.page.getByRole('tab', { name: 'Inbox' }).click();
    const message = admin.page.getByRole('article', { name: 'Message Love the app' });
    await message.getByText('Could the story have subtitles?').waitFor();
    await admin.page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-inbox.png') });
    await message.getByRole('button', { name: 'Mark read' }).click();
    await message.waitFor({ state: 'detached' });
    await admin.page.getByRole('radio', { name: 'Read', exact: true }).click();
    await admin.page.getByRole('article', { name: 'Message Love the app' }).waitFor();
    await admin.context.close();
  });
});

describe('leaderboard', () => {
  test('the live round moves as votes arrive; medals and trend marks are drawn, not emoji', async () => {
    const { Client } = await import('../../tests/http/helpers.mjs');
    const { page, context, errors } = await open(PHONE, '/leaderboard');
    await page.getByRole('tab', { name: 'Live round' }).click();
    const standings = page.getByRole('list', { name: 'Live standings' });
    await standings.getByRole('listitem').first().waitFor();
    await page.getByTestId('live-round').waitFor();
    await standings.locator('.medal-gold').waitFor();
    await standings.getByText('Rank 1, gold medal').waitFor({ state: 'attached' });
    // The last clip of the round gets a vote from someone else: its count moves without a reload.
    const last = standings.getByRole('listitem').last();
    const title = await last.locator('strong').last().textContent();
    const before = Number((await last.getByTestId('leader-votes').textContent()).match(/\d+/)[0]);
    const live = await (await fetch(`${server.url}/api/leaderboard/live?limit=50`)).json();
    const clip = live.entries.find((e) => e.clip.title === title).clip;
    const fan = new Client(server.url);
    await fan.login('leaderboard-fan@example.com', 'leaderboard_fan');
    assert.equal((await fan.post('/api/vote', { clipId: clip.id })).status, 200);
    await standings.getByRole('listitem').filter({ hasText: title }).getByText(`${before + 1} vote`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-leaderboard-live.png') });

    await page.getByRole('tab', { name: 'Top clips' }).click();
    const ranking = page.getByRole('list', { name: 'Ranking' });
    await ranking.getByTestId('leader-trend').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone-leaderboard-trends.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('captcha', () => {
  test('with require_captcha_voting on, the app solves the challenge in a worker and the vote goes through', async () => {
    const { Client } = await import('../../tests/http/helpers.mjs');
    execFileSync(BIN, ['admin', 'grant', 'captcha-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const admin = new Client(server.url);
    await admin.login('captcha-admin@example.com', 'captcha_admin');
    assert.equal((await admin.post('/api/admin/feature-flags', { key: 'require_captcha_voting', enabled: true })).status, 200);
    try {
      // Flags are cached briefly by the server: wait until the feed says so.
      for (const deadline = Date.now() + 15_000; !(await (await fetch(`${server.url}/api/vote?limit=0`)).json()).captchaRequired;) {
        assert.ok(Date.now() < deadline, 'the flag never took effect');
        await new Promise((r) => setTimeout(r, 200));
      }
      const { page, context, errors } = await open(PHONE, '/dashboard');
      const challenges = [];
      page.on('request', (r) => { if (r.url().includes('/api/captcha/challenge')) challenges.push(r.url()); });
      await page.getByTestId('arena-video').waitFor();
      const voted = page.waitForResponse((r) => r.url().endsWith('/api/vote') && r.request().method() === 'POST');
      await page.locator('#vote-button').click();
      const answer = await voted;
      assert.equal(answer.status(), 200, `${await answer.text()} sent ${answer.request().postData()} after ${challenges.length} challenges`);
      assert.match(answer.request().postDataJSON().captchaToken, /:\d+$/);
      // The next token is solved ahead, so the next vote does not wait for it.
      for (const deadline = Date.now() + 10_000; challenges.length < 2;) {
        assert.ok(Date.now() < deadline, `challenges fetched: ${challenges.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await admin.post('/api/admin/feature-flags', { key: 'require_captcha_voting', enabled: false });
    }
  });
});

describe('power votes', () => {
  test('with power votes and multi-vote on, Super spends the slot\'s one super vote and a voted clip can take another', async () => {
    const { Client } = await import('../../tests/http/helpers.mjs');
    execFileSync(BIN, ['admin', 'grant', 'power-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const admin = new Client(server.url);
    await admin.login('power-admin@example.com', 'power_admin');
    const flags = ['power_votes_enabled', 'multi_vote_enabled'];
    for (const key of flags) assert.equal((await admin.post('/api/admin/feature-flags', { key, enabled: true })).status, 200);
    try {
      for (const deadline = Date.now() + 15_000; ;) {
        const feed = await (await fetch(`${server.url}/api/vote?limit=0`)).json();
        if (feed.powerVotesEnabled && feed.multiVoteEnabled) break;
        assert.ok(Date.now() < deadline, 'the flags never took effect');
        await new Promise((r) => setTimeout(r, 200));
      }
      const { page, context, errors } = await open(PHONE, '/dashboard');
      await page.getByTestId('arena-video').waitFor();
      const superButton = page.getByTestId('super-vote');
      assert.ok(await superButton.isEnabled(), 'an unspent super vote can be cast');
      const voted = page.waitForResponse((r) => r.url().endsWith('/api/vote') && r.request().method() === 'POST');
      await superButton.click();
      const answer = await voted;
      assert.equal(answer.status(), 200, await answer.text());
      assert.equal(answer.request().postDataJSON().voteType, 'super');
      assert.equal((await answer.json()).remainingVotes.super, 0);
      await superButton.getByText('used').waitFor();
      assert.ok(await superButton.isDisabled(), 'the spent super vote cannot be cast again');
      assert.ok(await page.getByTestId('mega-vote').isEnabled(), 'mega is still there');
      await page.screenshot({ path: join(ARTIFACTS, 'phone-power-votes.png') });

      const again = page.getByRole('button', { name: /Vote again/ });
      const second = page.waitForResponse((r) => r.url().endsWith('/api/vote') && r.request().method() === 'POST');
      await again.click();
      const repeat = await second;
      assert.equal(repeat.status(), 200, await repeat.text());
      assert.equal(repeat.request().postDataJSON().voteType ?? 'standard', 'standard');
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      for (const key of flags) await admin.post('/api/admin/feature-flags', { key, enabled: false });
    }
  });
});

describe('flagged votes', () => {
  test('an admin sees votes from devices without the signed cookie grouped, invalidates them, and the count drops', async () => {
    const { Client } = await import('../../tests/http/helpers.mjs');
    const feed = await (await fetch(`${server.url}/api/vote?limit=20`)).json();
    const clip = feed.clips[feed.clips.length - 1];
    // Three browsers whose device cookies the server did not sign: counted, but flagged.
    for (let i = 0; i < 3; ++i) {
      const voter = new Client(server.url, { userAgent: `flagged-${i}` });
      await voter.refreshCsrf();
      const id = voter.cookies.get('aimoviez_device').split('.')[0];
      voter.cookies.set('aimoviez_device', `${id}.${'0'.repeat(32)}`);
      assert.equal((await voter.post('/api/vote', { clipId: clip.id })).status, 200);
    }
    const countOf = async () => (await (await fetch(`${server.url}/api/clip/${clip.id}`)).json()).clip.vote_count;
    const before = await countOf();

    execFileSync(BIN, ['admin', 'grant', 'flag-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const { page, context, errors } = await open(DESKTOP, '/');
    await signIn(page, 'flag-admin@example.com', 'flag_admin');
    await page.goto(`${server.url}/admin`);
    await page.getByRole('tab', { name: 'Flagged votes' }).click();
    const group = page.getByTestId('flagged-group').filter({ hasText: clip.title }).filter({ hasText: 'no signed device cookie' });
    await group.waitFor();
    const text = await group.textContent();
    const votes = Number(/(\d+) votes? from/.exec(text)[1]);
    assert.ok(votes >= 3, text);
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-flagged-votes.png') });
    await group.getByRole('checkbox').check();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: /^Invalidate selected/ }).click();
    await page.getByRole('status').filter({ hasText: `Invalidated ${votes} vote` }).waitFor();
    assert.equal(await countOf(), before - votes, 'the clip lost exactly the invalidated votes');
    await group.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('admin tools', () => {
  test('an admin edits a clip (genre Other included), moderates comments in bulk and edits a season', async () => {
    const { Client } = await import('../../tests/http/helpers.mjs');
    // A member's two comments to moderate.
    const member = new Client(server.url);
    await member.login('chatty-member@example.com', 'chatty_member');
    const feed = await (await fetch(`${server.url}/api/vote?limit=1`)).json();
    const commented = feed.clips[0].id;
    for (const text of ['first remark to remove', 'second remark to remove']) {
      assert.equal((await member.post('/api/comments', { clipId: commented, text })).status, 201);
    }

    execFileSync(BIN, ['admin', 'grant', 'tools-admin@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
    const { page, context, errors } = await open(DESKTOP, '/');
    await signIn(page, 'tools-admin@example.com', 'tools_admin');
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/admin`);

    // All clips: filter, edit in place.
    await page.getByRole('tab', { name: 'All clips' }).click();
    await page.getByLabel('Status').selectOption('locked');
    const card = page.getByTestId('admin-clip').first();
    await card.waitFor();
    await card.getByRole('button', { name: /^Edit / }).click();
    await card.getByLabel('Title').fill('Retitled by the admin');
    await card.getByLabel('Genre').selectOption('Other');
    await card.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Retitled by the admin”' }).waitFor();
    await page.getByTestId('admin-clip').filter({ hasText: 'Retitled by the admin' }).filter({ hasText: 'Other' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-clips.png') });

    // Comments: the two remarks selected and deleted at once.
    await page.getByRole('tab', { name: 'Comments' }).click();
    await page.getByLabel('Status').selectOption('approved');
    for (const text of ['first remark to remove', 'second remark to remove']) {
      await page.getByTestId('admin-comment').filter({ hasText: text }).getByRole('checkbox').check();
    }
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-admin-comments.png') });
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted 2 comments' }).waitFor();
    const left = await (await fetch(`${server.url}/api/comments?clipId=${commented}`)).json();
    assert.ok(!JSON.stringify(left).includes('remark to remove'), 'both comments are gone');

    // Seasons: the description edited in place.
    await page.getByRole('tab', { name: 'Seasons' }).click();
    await page.getByRole('button', { name: /^Edit / }).first().click();
    const form = page.getByRole('form', { name: /^Edit / });
    await form.getByLabel('Description').fill('Described by the admin');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: /^Saved/ }).waitFor();
    const seasons = await page.evaluate(async () => (await (await fetch('/api/admin/seasons')).json()).seasons);
    assert.ok(seasons.some((s) => s.description === 'Described by the admin'), JSON.stringify(seasons.map((s) => s.description)));
    assert.deepEqual(errors, []);
    await context.close();
  });
});

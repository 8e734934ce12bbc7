// What a first-time visitor trips over (issue 21), each checked the way a person meets it, at the
// viewport where it was seen, on the demo season: the comment sheet, the way to the Story, the end
// of the feed, keyboard voting, and pages that scroll sideways.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, startAimoviez } from './harness.mjs';

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
  const context = await browser.newContext(kind);
  await context.addInitScript(() => {
    localStorage.setItem('aimoviez.introSeen', '1');
    localStorage.setItem('aimoviez.tourSeen', '1');
    localStorage.setItem('aimoviez.cookieChoice', 'accepted');
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + path);
  return { page, context, errors };
}

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

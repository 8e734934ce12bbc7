// A vote on screen must not be undone by a feed refresh that crossed it: the server answered the
// refresh before the vote landed, and its answer (without the vote) reached the page after.
// Found as a rare CI failure of vote_budget: the socket's subscription reply used to refresh the
// feed just as the test voted. Here the crossing is forced: the refresh's answer is held back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, returningVisitor, startAimoviez } from './harness.mjs';

let server, url, browser;

before(async () => {
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-e2e-consistency-' });
  url = server.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Routes the feed through the test: every answer is fetched from the server at once, and handed
// to the page only when `release` is called (if a hold is set).
async function holdFeedAnswers(page) {
  const state = { hold: null, release: () => {}, answered: null };
  await page.route(/\/api\/vote\?limit=8$/, async (route) => {
    const response = await route.fetch();
    state.answered?.();
    if (state.hold) await state.hold;
    await route.fulfill({ response });
  });
  return {
    // The next refresh's answer is taken from the server now and held; resolves once it is taken.
    async refreshAndHold() {
      state.hold = new Promise((resolve) => { state.release = resolve; });
      const taken = new Promise((resolve) => { state.answered = resolve; });
      // The arena refreshes its feed when the tab becomes visible again.
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await taken;
    },
    async release() {
      const delivered = page.waitForResponse(/\/api\/vote\?limit=8$/);
      state.answered = null;
      state.release();
      state.hold = null;
      await delivered;
      // Let React apply the answer (a few frames) before the page is read.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200)))));
    },
  };
}

test('a feed refresh answered before a vote does not take the vote back on screen', async () => {
  const { page, context } = await returningVisitor(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const feed = await holdFeedAnswers(page);
  await page.goto(`${url}/dashboard`);
  await page.getByTestId('arena-video').waitFor();
  const count = page.getByTestId('vote-count');
  const before = Number(await count.textContent());

  await feed.refreshAndHold();
  await page.getByRole('button', { name: 'Vote for this clip' }).click();
  await page.getByRole('button', { name: 'Undo vote' }).waitFor();
  await feed.release();
  await page.screenshot({ path: join(ARTIFACTS, 'vote-after-crossed-refresh.png') });
  assert.equal(await page.getByRole('button', { name: 'Undo vote' }).count(), 1, 'the vote still shows as cast');
  assert.equal(Number(await count.textContent()), before + 1, 'the count still includes it');

  // And the other way: an undo is not reverted by a refresh answered before it.
  await feed.refreshAndHold();
  await page.getByRole('button', { name: 'Undo vote' }).click();
  await page.getByRole('button', { name: 'Vote for this clip' }).waitFor();
  await feed.release();
  assert.equal(await page.getByRole('button', { name: 'Vote for this clip' }).count(), 1, 'the undo still shows');
  assert.equal(Number(await count.textContent()), before);

  // A refresh that starts after the vote carries it: the server agrees with the screen.
  await page.getByRole('button', { name: 'Vote for this clip' }).click();
  await page.getByRole('button', { name: 'Undo vote' }).waitFor();
  await feed.refreshAndHold();
  await feed.release();
  assert.equal(await page.getByRole('button', { name: 'Undo vote' }).count(), 1);
  await context.close();
});

// Verifiable rounds in the browser (issue 20): a vote cast from the arena keeps its receipt; once
// the round closes, "Verify my vote" in the profile checks it against the published root with
// WebCrypto and says verified; a receipt tampered with in local storage says not verified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ARTIFACTS, BIN, devLogin, launchChromium, returningVisitor, startAimoviez } from './harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
let server, browser;

before(async () => {
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-e2e-verify-', args: ['--dev-login',
    '--rate-read-per-minute', '1000000', '--rate-api-per-minute', '1000000'] });
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a vote of a closed round verifies in the browser, and a tampered receipt does not', async () => {
  const { page, context, errors } = await returningVisitor(browser, PHONE);
  await page.goto(server.url + '/');
  await devLogin(page, server.url, 'verifier@example.com', 'verifier');
  await page.goto(server.url + '/dashboard');
  await page.getByTestId('arena-video').waitFor();
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/vote') && r.request().method() === 'POST');
  await page.locator('#vote-button').click();
  const vote = await (await answered).json();
  assert.match(vote.receipt.leafHash, /^[0-9a-f]{64}$/);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('aimoviez.receipts')));
  assert.deepEqual(kept.map((r) => r.leafHash), [vote.receipt.leafHash], 'the receipt is kept in this browser');

  // Before the round closes there is nothing to check against yet.
  await page.goto(server.url + '/profile?tab=votes');
  const mine = page.getByTestId('recent-vote').first();
  await mine.getByRole('button', { name: 'Verify my vote' }).click();
  await mine.getByTestId('verify-outcome').filter({ hasText: 'still open' }).waitFor();

  // The round closes.
  const { Client } = await import('../../tests/http/helpers.mjs');
  execFileSync(BIN, ['admin', 'grant', 'closer@example.com', '--data-dir', server.dataDir], { stdio: 'ignore' });
  const admin = new Client(server.url);
  await admin.login('closer@example.com', 'closer');
  const closed = await admin.post('/api/admin/advance-slot', {});
  assert.equal(closed.status, 200, JSON.stringify(closed.body));

  await page.reload();
  await mine.getByRole('button', { name: 'Verify my vote' }).click();
  const verified = mine.getByTestId('verify-outcome');
  await verified.filter({ hasText: /^Verified/ }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'phone-verify-vote.png') });

  // The round's page recounts every published leaf in the browser.
  await mine.getByRole('link', { name: "The round's count" }).click();
  await page.getByRole('button', { name: 'Recount' }).click();
  const recounted = page.getByTestId('recount-outcome');
  await recounted.filter({ hasText: 'Recount matches' }).waitFor();
  assert.match(await recounted.textContent(), /winner rule applied to the tally gives the locked winner/);
  await page.screenshot({ path: join(ARTIFACTS, 'phone-round-recount.png'), fullPage: true });
  // A server that altered one leaf after publishing is caught: the root no longer matches.
  await page.route('**/leaves?**', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    const leaf = body.leaves[0].leaf;
    body.leaves[0].leaf = leaf.slice(0, 48) + (leaf.slice(48, 50) === '01' ? '03' : '01') + leaf.slice(50);
    await route.fulfill({ response, json: body });
  });
  await page.getByRole('button', { name: 'Recount' }).click();
  await recounted.filter({ hasText: 'Recount does not match' }).waitFor();
  assert.match(await recounted.textContent(), /do not hash to their published hash|root from the leaves/);
  await page.unroute('**/leaves?**');
  await page.goto(server.url + '/profile?tab=votes');

  // The receipt's weight changed in storage: its leaf is no leaf of the log.
  await page.evaluate(() => {
    const receipts = JSON.parse(localStorage.getItem('aimoviez.receipts'));
    const leaf = receipts[0].leaf;
    const weightAt = 2 * 24;  // the weight's last byte
    receipts[0].leaf = leaf.slice(0, weightAt) + (leaf.slice(weightAt, weightAt + 2) === '01' ? '03' : '01') + leaf.slice(weightAt + 2);
    localStorage.setItem('aimoviez.receipts', JSON.stringify(receipts));
  });
  await page.reload();
  await mine.getByRole('button', { name: 'Verify my vote' }).click();
  await mine.getByTestId('verify-outcome').filter({ hasText: /^Not verified/ }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'phone-verify-vote-tampered.png') });
  // The demo's rounds were closed by the seeder and published like any other.
  await page.goto(server.url + '/rounds/1/1');
  await page.getByRole('button', { name: 'Recount' }).click();
  await page.getByTestId('recount-outcome').filter({ hasText: 'Recount matches' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

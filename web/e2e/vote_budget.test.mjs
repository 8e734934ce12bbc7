// The anonymous vote budget of a network, seen in the browser: once the voters behind one
// address have used it, the next anonymous vote is rolled back and the app explains why and
// offers to sign in — and the voter who signs in votes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, returningVisitor, startAimoviez } from './harness.mjs';

let server, url, browser;

before(async () => {
  // One anonymous vote a day for the whole network (every browser here is 127.0.0.1).
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-e2e-budget-', args: ['--dev-login', '--anon-votes-per-network-per-day', '1'] });
  url = server.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone() {
  const { page, context } = await returningVisitor(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${url}/dashboard`);
  await page.getByTestId('arena-video').waitFor();
  return { page, context };
}

test('past the network budget the app asks the voter to sign in, and signed in they vote', async () => {
  const first = await phone();
  await first.page.getByRole('button', { name: 'Vote for this clip' }).click();
  try {
    await first.page.getByRole('button', { name: 'Undo vote' }).waitFor();
  } catch (err) {
    // Seen once under CI load: keep what the page showed (a refusal's toast, or nothing).
    await first.page.screenshot({ path: join(ARTIFACTS, 'vote-budget-first-vote.png') });
    const said = await first.page.locator('.toast, [role="alert"]').allTextContents();
    throw new Error(`${err.message}\npage said: ${JSON.stringify(said)}`);
  }

  const second = await phone();
  const count = second.page.getByTestId('vote-count');
  const before = Number(await count.textContent());
  await second.page.getByRole('button', { name: 'Vote for this clip' }).click();
  const prompt = second.page.getByRole('alert').filter({ hasText: /sign in/i });
  await prompt.waitFor();
  assert.match(await prompt.textContent(), /your network/i);
  // The optimistic vote was rolled back.
  await second.page.getByRole('button', { name: 'Vote for this clip' }).waitFor();
  assert.equal(Number(await count.textContent()), before);
  await second.page.screenshot({ path: join(ARTIFACTS, 'phone-network-budget.png') });

  await prompt.getByRole('link', { name: 'Sign in to vote' }).click();
  await second.page.waitForURL(/\/login/);
  await second.page.getByLabel('Email').fill('budget-voter@example.com');
  await second.page.getByRole('button', { name: 'Continue' }).click();
  await second.page.waitForURL(/onboarding/);
  await second.page.getByLabel('Username').fill('budget_voter');
  await second.page.getByText('Available').waitFor();
  await second.page.getByRole('button', { name: 'Start voting' }).click();
  await second.page.waitForURL(/dashboard/);
  await second.page.getByTestId('arena-video').waitFor();
  await second.page.getByRole('button', { name: 'Vote for this clip' }).click();
  await second.page.getByRole('button', { name: 'Undo vote' }).waitFor();
  await first.context.close();
  await second.context.close();
});

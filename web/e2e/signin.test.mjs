// Sign-in in the browser through a real OpenID provider (oidc-provider on loopback, from the
// HTTP tests' helper): click the provider's button, log in and consent on the provider's own
// pages, land on onboarding signed in, pick a username, reach the dashboard. The server runs
// without the development login, as a real deployment does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { startProvider } from '../../tests/http/oidc_provider.mjs';
import { ARTIFACTS, launchChromium, startAimoviez } from './harness.mjs';

let idp, server, url, browser, configDir;

before(async () => {
  idp = await startProvider();
  // The provider's configuration file (its secret comes from the environment, as deployed).
  configDir = mkdtempSync(join(tmpdir(), 'aimoviez-e2e-oidc-config-'));
  const config = join(configDir, 'oidc.toml');
  writeFileSync(config, `[oidc.company]\nissuer = "${idp.issuer}"\nclient_id = "${idp.clientId}"\ndisplay_name = "Company SSO"\n`, { mode: 0o600 });
  server = await startAimoviez({ prefix: 'aimoviez-e2e-oidc-', args: ['--config', config],
    env: { AIMOVIEZ_OIDC_COMPANY_CLIENT_SECRET: idp.clientSecret } });
  url = server.url;
  idp.register([`${url}/api/auth/callback/company`]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await idp?.close();
  rmSync(configDir, { recursive: true, force: true });
});

test('a new person signs in with the provider, picks a username and reaches the dashboard', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await context.addInitScript(() => { localStorage.setItem('aimoviez.introSeen', '1'); localStorage.setItem('aimoviez.tourSeen', '1'); });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(`${url}/login`);
  const button = page.getByRole('link', { name: 'Continue with Company SSO' });
  await button.waitFor();
  // A first visit shows the cookie notice; the choice is remembered.
  const notice = page.getByRole('region', { name: 'Cookie notice' });
  await notice.waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'signin-cookie-notice-phone.png') });
  await notice.getByRole('button', { name: 'Reject optional cookies' }).click();
  await page.reload();
  await button.waitFor();
  assert.equal(await notice.count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'signin-login-phone.png'), fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => v.id), [], 'axe on the login page');
  await button.click();

  // The provider's own pages: log in, then consent.
  await page.waitForURL((u) => u.toString().startsWith(idp.issuer));
  await page.locator('input[name="login"]').fill('dana');
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.waitForURL(/\/onboarding/);
  await page.getByLabel('Username').fill('dana_sso');
  await page.getByText('Available').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'signin-onboarding-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'Start voting' }).click();
  await page.waitForURL(/\/dashboard/);

  const session = await page.evaluate(() => fetch('/api/auth/session').then((r) => r.json()));
  assert.equal(session.authenticated, true);
  assert.equal(session.user.username, 'dana_sso');
  assert.equal(session.user.email, 'dana@example.com');

  // Settings lists this session as the current device.
  await page.goto(`${url}/settings`);
  await page.getByRole('region', { name: 'Where you are signed in' }).getByText('This device').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'signin-settings-sessions-phone.png'), fullPage: true });
  const settingsAxe = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(settingsAxe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), [],
    'axe on settings');

  // The data export downloads; then the account is deleted with the typed confirmation.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()]);
  const exported = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()));
  assert.equal(exported.tables.users[0].username, 'dana_sso');
  const remove = page.getByRole('button', { name: 'Delete my account' });
  assert.equal(await remove.isDisabled(), true);
  await page.getByLabel('Type DELETE MY ACCOUNT to confirm').fill('DELETE MY ACCOUNT');
  await remove.click();
  await page.waitForURL((u) => u.pathname === '/');
  const after = await page.evaluate(() => fetch('/api/auth/session').then((r) => r.json()));
  assert.equal(after.authenticated, false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refused sign-in lands on the login page with a readable reason', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // A callback this browser never started (no pending sign-in cookie).
  await page.goto(`${url}/api/auth/callback/company?code=forged&state=forged`);
  await page.waitForURL(/\/login\?error=OIDC_STATE_MISMATCH/);
  await page.getByRole('alert').filter({ hasText: 'not started in this browser' }).waitFor();
  const session = await page.evaluate(() => fetch('/api/auth/session').then((r) => r.json()));
  assert.equal(session.authenticated, false);
  await page.screenshot({ path: join(ARTIFACTS, 'signin-refused-desktop.png') });
  await context.close();
});

// The installable app: the manifest with its icons, the service worker (registered, precaching
// the shell so a page opens offline), and a pushed message shown as a notification — delivered
// to the worker through the DevTools protocol, as a push service would deliver it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, returningVisitor, startAimoviez } from './harness.mjs';

let server, browser;

before(async () => {
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-e2e-pwa-' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('manifest, service worker, offline shell and a shown push', async () => {
  const { page, context } = await returningVisitor(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await context.grantPermissions(['notifications'], { origin: server.url });
  await page.goto(`${server.url}/story`);

  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await page.request.get(server.url + manifestHref)).json();
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/dashboard');
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size);
    assert.ok(icon, `a ${size} icon`);
    const res = await page.request.get(server.url + icon.src);
    assert.equal(res.headers()['content-type'], 'image/png');
  }

  // The worker activates and takes control; the shell is then served without the network.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, `${server.url}/`);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.goto(`${server.url}/leaderboard`);
  await page.getByRole('navigation', { name: 'Main' }).first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'phone-offline-shell.png') });
  await context.setOffline(false);

  // A push reaches the worker (CDP stands in for the push service) and is shown.
  const cdp = await context.newCDPSession(page);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  for (let i = 0; i < 50 && registrations.length === 0; ++i) await page.waitForTimeout(100);
  assert.ok(registrations.length > 0, 'the worker registration is visible to DevTools');
  const payload = JSON.stringify({ id: 7, type: 'clip_won', title: 'Your clip won its slot', body: '“Harbour” is locked in.', link: '/story' });
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url + '/', registrationId: registrations[0].registrationId, data: payload });
  const shown = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    for (let i = 0; i < 50; ++i) {
      const list = await reg.getNotifications();
      if (list.length) return list.map((n) => ({ title: n.title, body: n.body, link: n.data?.link }));
      await new Promise((r) => setTimeout(r, 100));
    }
    return [];
  });
  assert.deepEqual(shown, [{ title: 'Your clip won its slot', body: '“Harbour” is locked in.', link: '/story' }]);
  await context.close();
});

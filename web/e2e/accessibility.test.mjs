// Every page of the app (issue 17 item 9), at 390×844 and 1280×800, signed in (and as an admin
// for /admin), on the demo seed:
//   - axe with its full rule set, experimental rules included (label-content-name-mismatch,
//     focus-order-semantics, …): no violation of impact serious or critical;
//   - the keyboard alone: Tab reaches every control of the page once, in turn, each one on
//     screen with a visible focus ring when it has focus, and Tab leaves no control stuck.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import { BIN, devLogin, launchChromium, returningVisitor, startAimoviez } from './harness.mjs';

const require = createRequire(import.meta.url);
// Every rule axe knows, the experimental ones too (they are off unless named).
const ALL_RULES = require('axe-core').getRules().map((r) => r.ruleId);

const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1280, height: 800 } },
};

let server, browser, pages;

before(async () => {
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-e2e-a11y-', args: ['--dev-login',
    '--rate-read-per-minute', '1000000', '--rate-api-per-minute', '1000000', '--rate-admin-sensitive-per-minute', '1000000'] });
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  for (const who of ['axe-phone', 'axe-desktop', 'keys-desktop']) {
    execFileSync(BIN, ['admin', 'grant', `${who}@example.com`, '--data-dir', server.dataDir], { stdio: 'ignore' });
  }
  const feed = await (await fetch(`${server.url}/api/vote?limit=1`)).json();
  const clip = feed.clips[0];
  pages = ['/', '/dashboard', '/story', '/watch', '/upload', '/leaderboard', '/profile', '/notifications', '/settings',
    '/about', '/privacy', '/terms', '/contact', '/genres', '/search?q=night', `/clip/${clip.id}`, `/u/${clip.username}`,
    '/rounds/1/1', '/admin'];
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function settle(page, path) {
  await page.goto(server.url + path);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

async function seriousViolations(page) {
  const results = await new AxeBuilder({ page }).withRules(ALL_RULES).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), first ${v.nodes[0]?.target} ${v.nodes[0]?.html.slice(0, 160)}`);
}

// The controls Tab should reach: enabled, rendered, not inert or hidden, tabindex not negative,
// and not inside a closed <details>. Radio groups count once (arrow keys move within one).
function tabbables() {
  const selector = 'a[href], button, input, select, textarea, video[controls], [tabindex], summary';
  const seenGroups = new Set();
  return [...document.querySelectorAll(selector)].filter((el) => {
    if (el.matches(':disabled') || el.tabIndex < 0 || el.closest('[inert], [hidden], [aria-hidden="true"]')) return false;
    if (el.type === 'hidden') return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0 && !el.matches('input[type="file"]')) return false;
    if (el.matches('input[type="file"]') && (style.display === 'none' || el.hidden)) return false;
    if (el.type === 'radio') {
      if (seenGroups.has(el.name)) return false;
      seenGroups.add(el.name);
    }
    return true;
  }).length;
}

// Presses Tab until focus comes back round (or leaves the page) and reports what it met.
async function tabThrough(page, limit) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const met = [];
  const problems = [];
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
      if (!el.dataset.tabbed) el.dataset.tabbed = String(Math.random());
      return { key: el.dataset.tabbed, name: `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}"`, ring, onScreen };
    });
    if (!info) break;  // past the last control, back to the page
    if (met.length > 0 && info.key === met[0].key) break;
    // A native player's own buttons are inside the video element: focus stays on it meanwhile.
    if (met.length > 0 && info.key === met[met.length - 1].key) continue;
    if (met.some((m) => m.key === info.key)) { problems.push(`${info.name} reached twice`); break; }
    met.push(info);
    if (!info.onScreen) problems.push(`${info.name} has focus off screen`);
    if (!info.ring) problems.push(`${info.name} has no visible focus ring`);
  }
  return { met, problems };
}

for (const [kind, options] of Object.entries(VIEWPORTS)) {
  describe(kind, () => {
    test('every page: no serious or critical axe violation with the full rule set, experimental rules included', async () => {
      const { page, context, errors } = await returningVisitor(browser, options);
      await devLogin(page, server.url, `axe-${kind}@example.com`, `axe_${kind}`);
      const found = [];
      for (const path of pages) {
        await settle(page, path);
        for (const v of await seriousViolations(page)) found.push(`${path}: ${v}`);
      }
      // Signed out: the sign-in page and the home page as a visitor meets them.
      await context.clearCookies();
      for (const path of ['/login', '/']) {
        await settle(page, path);
        for (const v of await seriousViolations(page)) found.push(`${path} (signed out): ${v}`);
      }
      assert.deepEqual(found, []);
      assert.deepEqual(errors, []);
      await context.close();
    });

    // The keyboard sweep runs at the desktop size only: keyboards are a desktop way in (a phone's
    // screen reader moves by swipes, which axe's checks of names and roles cover at both sizes),
    // and the sweep is the suite's longest walk.
    if (kind !== 'desktop') return;
    test('every page with the keyboard alone: Tab reaches each control once, on screen, with a focus ring', async () => {
      const { page, context } = await returningVisitor(browser, options);
      await devLogin(page, server.url, `keys-${kind}@example.com`, `keys_${kind}`);
      const found = [];
      for (const path of pages) {
        await settle(page, path);
        const expected = await page.evaluate(tabbables);
        // Native players hold a dozen stops of their own inside the video element.
        const { met, problems } = await tabThrough(page, expected + 40);
        for (const p of problems) found.push(`${path}: ${p}`);
        if (met.length < expected) found.push(`${path}: Tab reached ${met.length} of ${expected} controls`);
      }
      assert.deepEqual(found, []);
      await context.close();
    });
  });
}

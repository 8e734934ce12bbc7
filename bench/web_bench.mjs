// (l) The web app as a phone sees it, against the release server with the demo seed: Lighthouse
// 12 scores and paint metrics for /, /dashboard and /story (mobile emulation with Lighthouse's
// simulated slow 4G and 4x CPU slowdown), then the time until the first clip plays in the arena,
// measured in Chromium without throttling over loopback (median of 5 cold loads).
// Usage: node bench/web_bench.mjs URL
import { createRequire } from 'node:module';
import { audit } from '../tests/lighthouse/audit.mjs';

const url = process.argv[2];
const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

for (const r of await audit(url)) {
  const s = r.scores;
  const m = r.metrics;
  console.log(`(l) lighthouse ${r.path.padEnd(11)} performance ${s.performance}  accessibility ${s.accessibility}  best-practices ${s['best-practices']}  seo ${s.seo}` +
    `  | FCP ${m.fcp} ms  LCP ${m.lcp} ms  TBT ${m.tbt} ms  CLS ${m.cls.toFixed(3)}  SI ${m.si} ms`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required'] });
const times = [];
for (let i = 0; i < 5; ++i) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  // A returning visitor: no intro, tour or cookie notice in front of the clip.
  await context.addInitScript(() => { for (const k of ['aimoviez.introSeen', 'aimoviez.tourSeen']) localStorage.setItem(k, '1'); localStorage.setItem('aimoviez.cookieChoice', 'accepted'); });
  const page = await context.newPage();
  await page.goto(`${url}/dashboard`, { waitUntil: 'commit' });
  await page.waitForFunction(() => { const v = document.querySelector('[data-testid="arena-video"]'); return v && !v.paused && v.currentTime > 0; }, null, { timeout: 30000, polling: 'raf' });
  times.push(await page.evaluate(() => Math.round(performance.now())));
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`(l) first clip playing on /dashboard: median ${times[2]} ms (of ${times.join(', ')} ms; no throttling, loopback)`);

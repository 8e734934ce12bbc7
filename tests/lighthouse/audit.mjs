// Lighthouse 12 (mobile emulation, its default) against a running aimoviez, through Debian's
// Chromium. Shared by the test suite (accessibility and best-practices scores as assertions) and
// `make bench` (performance and its metrics as figures).
import lighthouse from 'lighthouse';
import { launch } from 'chrome-launcher';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PAGES = ['/', '/dashboard', '/story'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

// Lighthouse's trace of a page load sometimes misses its start on a loaded machine (NO_NAVSTART),
// and Lighthouse's own advice is to run it again: up to three tries for that error, none for any
// other.
async function auditOnce(url, port) {
  for (let attempt = 1; ; ++attempt) {
    const { lhr } = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES });
    if (!lhr.runtimeError) return lhr;
    if (lhr.runtimeError.code !== 'NO_NAVSTART' || attempt === 3) {
      throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    }
  }
}

// One Chromium for all pages, each audit in a fresh profile (Lighthouse clears storage itself),
// so every page is measured as a first visit.
export async function audit(baseUrl, pages = PAGES) {
  const profile = mkdtempSync(join(tmpdir(), 'aimoviez-lighthouse-'));
  const chrome = await launch({
    chromePath: '/usr/bin/chromium',
    userDataDir: profile,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    logLevel: 'silent',
  });
  try {
    const results = [];
    for (const path of pages) {
      const lhr = await auditOnce(baseUrl + path, chrome.port);
      const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      const ms = (id) => Math.round(lhr.audits[id]?.numericValue ?? NaN);
      // What cost points, for a failing assertion's message and the benchmark's notes.
      const failing = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
        .map((a) => `${a.id}: ${a.title}`);
      results.push({
        path,
        scores: Object.fromEntries(CATEGORIES.map((c) => [c, score(c)])),
        metrics: { fcp: ms('first-contentful-paint'), lcp: ms('largest-contentful-paint'), tbt: ms('total-blocking-time'), cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN, si: ms('speed-index') },
        failing,
      });
    }
    return results;
  } finally {
    await chrome.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}

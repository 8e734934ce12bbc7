// What the browser test files share: the real server binary started on a temporary data
// directory (optionally with the demo seed), and Debian's Chromium launched headless.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { seedDemo } from '../../tests/http/demo_seed.mjs';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = process.env.AIMOVIEZ_BIN ?? join(ROOT, 'build-debug/aimoviez');
// Screenshots go outside the repository (tests never write inside it); look at them after a run.
export const ARTIFACTS = process.env.AIMOVIEZ_ARTIFACTS ?? join(tmpdir(), 'aimoviez-test-artifacts/screenshots');
mkdirSync(ARTIFACTS, { recursive: true });

// Serves the built web app; `args` and `env` are added to the defaults. Resolves once listening.
export async function startAimoviez({ seed = false, args = [], env = {}, prefix = 'aimoviez-e2e-' } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  if (seed) seedDemo(BIN, dataDir);
  const proc = spawn(BIN, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--web-dir', join(ROOT, 'web/dist'),
    '--job-interval-seconds', '0', '--log-level', 'warn', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/\S+)/); if (m) resolve(m[1]); });
    proc.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  return {
    url,
    dataDir,
    async stop() {
      if (proc.exitCode === null) { proc.kill('SIGTERM'); await once(proc, 'exit'); }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', ...extraArgs],
  });
}

// A returning visitor's browser context: the landing intro, the tour and the cookie choice are
// behind them. `stored` adds or overrides local-storage keys; null leaves a key unset, for a test
// that meets what a newcomer sees. Page errors are collected in `errors`.
export async function returningVisitor(browser, contextOptions, stored = {}) {
  const context = await browser.newContext(contextOptions);
  // The story's typed intro is shown once per season; the demo's seasons have small ids.
  const storyIntros = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`aimoviez.storyIntro.${i + 1}`, '1']));
  const items = { 'aimoviez.introSeen': '1', 'aimoviez.tourSeen': '1', 'aimoviez.cookieChoice': 'accepted', ...storyIntros, ...stored };
  await context.addInitScript((entries) => {
    for (const [key, value] of Object.entries(entries)) if (value !== null) localStorage.setItem(key, value);
  }, items);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors };
}

// Signs in through the development login form at `url`; a username means a new account, which
// goes through onboarding first. Ends on the dashboard.
export async function devLogin(page, url, email, username) {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  if (username) {
    await page.waitForURL(/onboarding/);
    await page.getByLabel('Username').fill(username);
    await page.getByText('Available').waitFor();
    await page.getByRole('button', { name: 'Start voting' }).click();
  }
  await page.waitForURL(/dashboard/);
}

// A one-finger swipe from `from` to `to` ({x, y} in page pixels), as real touch events through
// the DevTools protocol (Playwright's touchscreen only taps). The context needs hasTouch.
export async function swipe(page, from, to, steps = 6) {
  const cdp = await page.context().newCDPSession(page);
  const point = (f) => [{ x: from.x + (to.x - from.x) * f, y: from.y + (to.y - from.y) * f }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(0) });
  for (let i = 1; i <= steps; ++i) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(i / steps) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// Lighthouse in the test suite (issue 17 item 11): the home page, the arena and the story, on the
// demo seed, as a first visit on a phone. Accessibility and best practices must score at least
// 95. Performance depends on the machine, so it is reported by `make bench`, never asserted.
//
// The server here is the binary `make test` builds (the sanitizer build) serving the production
// web bundle; neither category asserted depends on the server's speed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAimoviez } from '../../web/e2e/harness.mjs';
import { audit, PAGES } from './audit.mjs';

let server;
let results = [];

before(async () => {
  server = await startAimoviez({ seed: true, prefix: 'aimoviez-lighthouse-' });
  results = await audit(server.url);
  for (const r of results) console.log(`lighthouse ${r.path.padEnd(11)} ${JSON.stringify(r.scores)} fcp ${r.metrics.fcp} ms lcp ${r.metrics.lcp} ms`);
});

after(async () => {
  await server?.stop();
});

for (const path of PAGES) {
  test(`${path}: accessibility and best practices score at least 95 on a phone`, () => {
    const r = results.find((x) => x.path === path);
    assert.ok(r, `${path} was audited`);
    assert.ok(r.scores.accessibility >= 95, `accessibility ${r.scores.accessibility}; failing: ${r.failing.join('; ')}`);
    assert.ok(r.scores['best-practices'] >= 95, `best practices ${r.scores['best-practices']}; failing: ${r.failing.join('; ')}`);
  });
}

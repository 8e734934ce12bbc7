// Every route the server registers is in docs/openapi.yaml with its method (issue 17, item 9), so
// the reference cannot silently fall behind the code. The routes are read from the handlers'
// sources, where each is one Router::Add or AddAsync call with a literal method and path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url).pathname;

function registeredRoutes() {
  const routes = [];
  for (const file of readdirSync(`${ROOT}src/http`).filter((f) => f.endsWith('.cpp'))) {
    const text = readFileSync(`${ROOT}src/http/${file}`, 'utf8');
    for (const m of text.matchAll(/\b(?:Add|AddAsync)\(\s*"([A-Z]+)",\s*"([^"]+)"/g)) routes.push(`${m[1]} ${m[2]}`);
  }
  return routes;
}

function documentedRoutes() {
  const documented = new Set();
  let path = null;
  for (const line of readFileSync(`${ROOT}docs/openapi.yaml`, 'utf8').split('\n')) {
    const pathLine = /^ {2}(\/[^:]*):\s*$/.exec(line);
    if (pathLine) { path = pathLine[1]; continue; }
    const method = /^ {4}(get|post|put|patch|delete|head):/.exec(line);
    if (method && path) documented.add(`${method[1].toUpperCase()} ${path}`);
    if (/^\S/.test(line)) path = null;
  }
  return documented;
}

test('every registered route is documented in docs/openapi.yaml', () => {
  const routes = registeredRoutes();
  assert.ok(routes.length > 100, `found ${routes.length} routes: the pattern no longer matches the sources`);
  const documented = documentedRoutes();
  assert.deepEqual(routes.filter((r) => !documented.has(r)), []);
});

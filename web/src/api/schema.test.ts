// @vitest-environment node
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';
import committed from './schema.d.ts?raw';

// The app's API types are generated from docs/openapi.yaml; this fails when the document changed
// and `npm run api-types` was not run, so the types never drift from the reference.
describe('generated API types', () => {
  it('schema.d.ts is what openapi-typescript makes of docs/openapi.yaml today', async () => {
    const document = new URL('../../../docs/openapi.yaml', import.meta.url);
    const fresh = astToString(await openapiTS(document));
    // The file carries openapi-typescript's banner and ours above the generated declarations.
    const body = committed.slice(committed.indexOf('export '));
    expect(body.trim()).toBe(fresh.slice(fresh.indexOf('export ')).trim());
  }, 30_000);
});

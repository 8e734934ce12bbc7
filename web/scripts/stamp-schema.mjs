// Puts a header on the generated API types saying where they come from and how to remake them.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../src/api/schema.d.ts', import.meta.url);
const HEADER = '// Generated from docs/openapi.yaml by openapi-typescript: do not edit. `npm run api-types` remakes it,\n' +
  '// and src/api/schema.test.ts fails while it is out of date.\n';
const text = readFileSync(file, 'utf8');
if (!text.startsWith(HEADER)) writeFileSync(file, HEADER + text);

// The demo seed, for the many test files that start from it. Seeding encodes the demo's clips
// with ffmpeg, about 20 s under the sanitizers, and a dozen files need it: when
// AIMOVIEZ_DEMO_CACHE names a directory (scripts/run-tests.sh makes one per run and removes it
// afterwards), the first file seeds a template there and every later one copies it, so the seed
// runs once per binary. Without it, every call seeds afresh, as a single file run by hand does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_MODE, databaseOf, newDatabase } from './cluster_server.mjs';

// In the HTTP suite's cluster pass the records go to the data directory's PostgreSQL database
// (made here when it has none yet); the media and secrets stay in the directory.
function seed(bin, dataDir) {
  const where = ['--data-dir', dataDir];
  if (CLUSTER_MODE) where.push('--database-url', (databaseOf(dataDir) ?? newDatabase(dataDir)).url);
  execFileSync(bin, ['seed-demo', ...where], { stdio: 'ignore' });
}

// The template seeded by this binary: a rebuilt binary never reuses another's.
function template(bin, cache) {
  const { mtimeMs, size } = statSync(bin);
  const mode = CLUSTER_MODE ? 'cluster' : 'embedded';
  const dir = join(cache, `demo-${mode}-${createHash('sha256').update(`${bin}\n${mtimeMs}\n${size}`).digest('hex').slice(0, 16)}`);
  if (existsSync(dir)) return dir;
  const staging = mkdtempSync(join(cache, 'seeding-'));
  seed(bin, staging);
  // The cluster template's records: a database copied for each use (it names it in a file
  // outside the data directory's contents, which are copied).
  if (CLUSTER_MODE) writeFileSync(`${staging}.database`, databaseOf(staging).name);
  try {
    if (CLUSTER_MODE) renameSync(`${staging}.database`, `${dir}.database`);
    renameSync(staging, dir);  // atomic: a reader sees no template or a whole one
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });  // another process finished first
    if (!existsSync(dir)) throw e;
  }
  return dir;
}

// Fills `dataDir` (existing, empty) with the demo, as `aimoviez seed-demo --data-dir` would.
export function seedDemo(bin, dataDir) {
  const cache = process.env.AIMOVIEZ_DEMO_CACHE;
  if (!cache) return seed(bin, dataDir);
  const dir = template(bin, cache);
  if (CLUSTER_MODE) newDatabase(dataDir, readFileSync(`${dir}.database`, 'utf8'));
  // cp -a keeps the modes (the server secret stays 0600) and the timestamps.
  execFileSync('cp', ['-a', `${dir}/.`, dataDir]);
}

// The demo seed, for the many test files that start from it. Seeding encodes the demo's clips
// with ffmpeg, about 20 s under the sanitizers, and a dozen files need it: when
// AIMOVIEZ_DEMO_CACHE names a directory (scripts/run-tests.sh makes one per run and removes it
// afterwards), the first file seeds a template there and every later one copies it, so the seed
// runs once per binary. Without it, every call seeds afresh, as a single file run by hand does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function seed(bin, dataDir) {
  execFileSync(bin, ['seed-demo', '--data-dir', dataDir], { stdio: 'ignore' });
}

// The template seeded by this binary: a rebuilt binary never reuses another's.
function template(bin, cache) {
  const { mtimeMs, size } = statSync(bin);
  const dir = join(cache, `demo-${createHash('sha256').update(`${bin}\n${mtimeMs}\n${size}`).digest('hex').slice(0, 16)}`);
  if (existsSync(dir)) return dir;
  const staging = mkdtempSync(join(cache, 'seeding-'));
  seed(bin, staging);
  try {
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
  // cp -a keeps the modes (the server secret stays 0600) and the timestamps.
  execFileSync('cp', ['-a', `${template(bin, cache)}/.`, dataDir]);
}

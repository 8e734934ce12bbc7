// Upload pipeline timing (issue 5): an 8 s phone-sized clip (1080×1920, 30 fps, H.264/AAC) is
// uploaded through the real HTTP API of the release binary; reports the PUT time, the register
// time (which runs ffprobe on the upload) and the processing time (ffmpeg normalise + poster),
// for several runs. Usage: node bench/media_bench.mjs [runs]
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.AIMOVIEZ_BIN ??= new URL('../build/aimoviez', import.meta.url).pathname;
const { startServer, Client } = await import('../tests/http/helpers.mjs');

const runs = Number(process.argv[2] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'aimoviez-media-bench-'));
const sources = {};
for (const [name, size] of [['1080x1920', '1080x1920'], ['720x1280', '720x1280']]) {
  const out = join(work, `${name}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}:d=8:r=30`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:d=8', '-c:v', 'libx264', '-preset', 'medium', '-b:v', '8M',
    '-c:a', 'aac', '-shortest', out]);
  sources[name] = readFileSync(out);
}
const server = await startServer({ args: ['--dev-login', '--log-level', 'warn', '--uploads-per-minute', '1000'] });
try {
  const client = new Client(server.url);
  await client.login('bench-creator@example.com', 'bench_creator');
  for (const [name, body] of Object.entries(sources)) {
    const figures = [];
    for (let i = 0; i < runs; ++i) {
      const t0 = performance.now();
      const signed = await client.post('/api/upload/signed-url', { filename: 'b.mp4', contentType: 'video/mp4', size: body.length });
      const t1 = performance.now();
      const put = await fetch(server.url + signed.body.uploadUrl, { method: 'PUT', body, headers: { 'content-type': 'video/mp4' } });
      if (put.status !== 200) throw new Error(`PUT ${put.status}`);
      const t2 = performance.now();
      const reg = await client.post('/api/upload/register', { key: signed.body.key, genre: 'Other', title: `Bench ${i}` });
      if (reg.status !== 201) throw new Error(JSON.stringify(reg.body));
      const t3 = performance.now();
      let clip;
      do {
        await new Promise((r) => setTimeout(r, 50));
        clip = (await client.get(`/api/upload/clips/${reg.body.clip.id}`)).body.clip;
      } while (clip.processing_status !== 'ready' && clip.processing_status !== 'failed');
      const t4 = performance.now();
      if (clip.processing_status !== 'ready') throw new Error(clip.processing_error);
      figures.push({ sign: t1 - t0, put: t2 - t1, register: t3 - t2, process: t4 - t3 });
    }
    const avg = (k) => (figures.reduce((n, f) => n + f[k], 0) / figures.length).toFixed(0);
    const max = (k) => Math.max(...figures.map((f) => f[k])).toFixed(0);
    console.log(`(h) 8 s ${name} clip, ${(body.length / 1e6).toFixed(1)} MB, ${runs} runs: PUT ${avg('put')} ms, ` +
      `register+ffprobe ${avg('register')} ms (max ${max('register')}), normalise+poster ${avg('process')} ms (max ${max('process')})`);
  }
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}

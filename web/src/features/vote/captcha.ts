import { api } from '../../api/client';
import type { CaptchaJob } from './captchaWorker';

interface Challenge extends CaptchaJob { expiresAt: string; algorithm: string }
interface Prepared { token: string; expiresAt: number }

let worker: Worker | null = null;
let prepared: Promise<Prepared> | null = null;

function solveInWorker(job: CaptchaJob): Promise<string> {
  worker ??= new Worker(new URL('./captchaWorker.ts', import.meta.url), { type: 'module' });
  const w = worker;
  return new Promise((resolve, reject) => {
    w.onmessage = (e: MessageEvent<{ nonce: string }>) => resolve(e.data.nonce);
    w.onerror = (e) => { worker = null; w.terminate(); reject(new Error(e.message || 'captcha worker failed')); };
    w.postMessage(job);
  });
}

async function prepare(): Promise<Prepared> {
  const c = await api.get<Challenge>('/api/captcha/challenge');
  const nonce = await solveInWorker({ challenge: c.challenge, difficulty: c.difficulty });
  return { token: `${c.challenge}:${nonce}`, expiresAt: Date.parse(c.expiresAt) };
}

// A solved captcha token for one vote. Each token is spent by one vote, so the next one is solved
// in the background right away: the voter waits for the proof of work only on the first vote.
export async function captchaToken(): Promise<string> {
  let next = await (prepared ?? prepare()).catch(() => prepare());
  if (next.expiresAt - Date.now() < 5_000) next = await prepare();
  prepared = prepare();
  prepared.catch(() => { prepared = null; });
  return next.token;
}

// Forgets a prepared token (the voter signed in or out: challenges are bound to the voter).
export function forgetCaptcha(): void {
  prepared = null;
}

import { ApiError, api } from '../../api/client';
import type { VoteResult } from '../../api/types';
import { captchaToken, forgetCaptcha } from './captcha';

// Casts a vote, with a solved captcha when the server asks for one (require_captcha_voting):
// known from the feed up front, or learnt from a CAPTCHA_REQUIRED answer, then tried once more.
export async function castVote(clipId: number, captchaRequired: boolean): Promise<VoteResult> {
  if (!captchaRequired) {
    try {
      return await api.post<VoteResult>('/api/vote', { clipId });
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'CAPTCHA_REQUIRED') throw err;
    }
  }
  try {
    return await api.post<VoteResult>('/api/vote', { clipId, captchaToken: await captchaToken() });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'CAPTCHA_REQUIRED') throw err;
    // A token solved for another identity (signed in since) or expired: one fresh try.
    forgetCaptcha();
    return api.post<VoteResult>('/api/vote', { clipId, captchaToken: await captchaToken() });
  }
}

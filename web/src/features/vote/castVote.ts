import { ApiError, api } from '../../api/client';
import type { VoteResult } from '../../api/types';
import { captchaToken, forgetCaptcha } from './captcha';
import { saveReceipt } from '../verify/receipts';
import { localVotes } from './localVotes';

// Casts a vote, with a solved captcha when the server asks for one (require_captcha_voting):
// known from the feed up front, or learnt from a CAPTCHA_REQUIRED answer, then tried once more.
export type VoteType = 'standard' | 'super' | 'mega';

export async function castVote(clipId: number, captchaRequired: boolean, voteType: VoteType = 'standard'): Promise<VoteResult> {
  localVotes.record(clipId);
  const result = await send(clipId, captchaRequired, voteType);
  // The vote's receipt is kept so the voter can check it was counted once the round closes.
  if (result.receipt) saveReceipt(result.receipt);
  return result;
}

// Takes a vote back (the server refuses once the round has closed).
export function undoVote(clipId: number): Promise<VoteResult> {
  localVotes.record(clipId);
  return api.del<VoteResult>('/api/vote', { clipId });
}

async function send(clipId: number, captchaRequired: boolean, voteType: VoteType): Promise<VoteResult> {
  if (!captchaRequired) {
    try {
      return await api.post<VoteResult>('/api/vote', { clipId, voteType });
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'CAPTCHA_REQUIRED') throw err;
    }
  }
  try {
    return await api.post<VoteResult>('/api/vote', { clipId, voteType, captchaToken: await captchaToken() });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'CAPTCHA_REQUIRED') throw err;
    // A token solved for another identity (signed in since) or expired: one fresh try.
    forgetCaptcha();
    return api.post<VoteResult>('/api/vote', { clipId, voteType, captchaToken: await captchaToken() });
  }
}

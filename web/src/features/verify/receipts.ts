// The receipts of this browser's votes, kept in local storage (the newest 500), so the voter
// can check later that each vote was counted in its round's published log.
import type { VoteResult } from '../../api/types';

export type Receipt = NonNullable<VoteResult['receipt']>;

const KEY = 'aimoviez.receipts';
const KEEP = 500;

export function loadReceipts(): Receipt[] {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(stored) ? stored : [];
  } catch {
    return [];
  }
}

export function saveReceipt(receipt: Receipt) {
  try {
    const kept = loadReceipts().filter((r) => r.leafHash !== receipt.leafHash);
    kept.push(receipt);
    localStorage.setItem(KEY, JSON.stringify(kept.slice(-KEEP)));
  } catch {
    /* storage full or disabled: the vote still counts, only the receipt is not kept */
  }
}

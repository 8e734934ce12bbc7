import type { ComponentType } from 'react';
import { Award, CircleCheck, Clapperboard, Crown, Flame, Handshake, Medal, Megaphone, Mountain, Star, Tent, Trophy, Vote, Zap } from './icons';

// The web app draws each badge from the SVG set by its id; the API's emoji stay for plain-text
// places (push notifications). An unknown badge gets a generic award.
const BY_ID: Record<string, ComponentType<{ size?: number }>> = {
  votes_100: Vote, votes_1000: Megaphone, votes_10000: Zap, streak_3: Flame, streak_7: Tent, streak_30: Mountain,
  first_clip: Clapperboard, first_approved: CircleCheck, first_win: Trophy, referral_networker: Handshake,
  referral_influencer: Star, referral_ambassador: Medal, referral_legend: Crown,
};

export function BadgeIcon({ id, size = 30 }: { id: string; size?: number }) {
  const Icon = BY_ID[id] ?? Award;
  return <Icon size={size} />;
}

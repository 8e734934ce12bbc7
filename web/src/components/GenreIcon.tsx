import type { ComponentType } from 'react';
import { Clapperboard, Ghost, Heart, Laugh, Palette, Rocket, Skull, Zap } from './icons';

const BY_GENRE: Record<string, ComponentType<{ size?: number }>> = {
  Action: Zap, Comedy: Laugh, Thriller: Skull, 'Sci-Fi': Rocket, Romance: Heart, Animation: Palette, Horror: Ghost,
};

// A genre's mark beside its name (decorative: the name says it).
export function GenreIcon({ genre, size = 18 }: { genre: string; size?: number }) {
  const Icon = BY_GENRE[genre] ?? Clapperboard;
  return <Icon size={size} />;
}

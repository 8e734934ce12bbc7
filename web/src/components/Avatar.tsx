import type { ComponentType } from 'react';
import { Cat, Clapperboard, Flame, Gamepad2, Headphones, Moon, Rainbow, Rocket } from './icons';

// The eight built-in avatars: an icon of the app's set on the brand gradient.
const BUILTIN: Record<string, { Icon: ComponentType<{ size?: number }>; name: string }> = {
  'avatar:1': { Icon: Clapperboard, name: 'clapperboard' }, 'avatar:2': { Icon: Rocket, name: 'rocket' },
  'avatar:3': { Icon: Gamepad2, name: 'game pad' }, 'avatar:4': { Icon: Cat, name: 'cat' },
  'avatar:5': { Icon: Moon, name: 'moon' }, 'avatar:6': { Icon: Flame, name: 'flame' },
  'avatar:7': { Icon: Headphones, name: 'headphones' }, 'avatar:8': { Icon: Rainbow, name: 'rainbow' },
};
export const AVATARS = Object.keys(BUILTIN);

export function avatarName(key: string): string {
  return BUILTIN[key]?.name ?? key;
}

export function AvatarIcon({ avatar, size = 20 }: { avatar: string; size?: number }) {
  const builtin = BUILTIN[avatar];
  return builtin ? <builtin.Icon size={size} /> : null;
}

export function Avatar({ url, name, large = false }: { url?: string; name?: string | null; large?: boolean }) {
  const builtin = url ? BUILTIN[url] : undefined;
  return (
    <span className={`avatar${large ? ' avatar-lg' : ''}`} aria-hidden="true">
      {builtin ? <builtin.Icon size={large ? 34 : 20} /> : (name ? name[0]!.toUpperCase() : '?')}
    </span>
  );
}

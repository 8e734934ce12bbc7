const BUILTIN: Record<string, string> = {
  'avatar:1': '🎬', 'avatar:2': '🚀', 'avatar:3': '👾', 'avatar:4': '🦊',
  'avatar:5': '🌙', 'avatar:6': '🔥', 'avatar:7': '🎧', 'avatar:8': '🌈',
};
export const AVATARS = Object.keys(BUILTIN);

export function avatarEmoji(key: string): string | undefined {
  return BUILTIN[key];
}

export function Avatar({ url, name, large = false }: { url?: string; name?: string | null; large?: boolean }) {
  const emoji = url ? BUILTIN[url] : undefined;
  return (
    <span className={`avatar${large ? ' avatar-lg' : ''}`} aria-hidden="true">
      {emoji ?? (name ? name[0]!.toUpperCase() : '?')}
    </span>
  );
}

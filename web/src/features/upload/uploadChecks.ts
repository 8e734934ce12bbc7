// Client-side checks of a chosen file, the same limits the server enforces (the server decides;
// these only save a creator a pointless upload).
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_DURATION_SECONDS = 8.5;
export const ACCEPTED_TYPES: Record<string, string> = { mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime' };

// The eight genre cards of a clip; a season's genre is one of the first seven.
export const GENRES: Array<{ name: string }> = [
  { name: 'Action' },
  { name: 'Comedy' },
  { name: 'Thriller' },
  { name: 'Sci-Fi' },
  { name: 'Romance' },
  { name: 'Animation' },
  { name: 'Horror' },
  { name: 'Other' },
];

// The content type to declare for a file: its own when it is one of ours, else by extension
// (some phones report MOV as an empty type).
export function contentTypeOf(name: string, type: string): string | null {
  if (Object.values(ACCEPTED_TYPES).includes(type)) return type;
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return ACCEPTED_TYPES[ext] ?? null;
}

export function checkFile(name: string, type: string, size: number): string | null {
  if (!contentTypeOf(name, type)) return 'Only MP4, WebM and MOV videos are accepted.';
  if (size <= 0) return 'That file is empty.';
  if (size > MAX_UPLOAD_BYTES) return `That file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is 50 MB.`;
  return null;
}

export function checkDuration(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'The video’s length could not be read.';
  if (seconds > MAX_DURATION_SECONDS) return `Clips are at most 8 seconds; this one is ${seconds.toFixed(1)} s.`;
  return null;
}

export const SEASON_GENRES = GENRES.filter((g) => g.name !== 'Other').map((g) => g.name);

// A title from a file name: "my_clip-final.mp4" → "my clip final".
export function titleFromFileName(name: string): string {
  return name.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ').trim().slice(0, 100);
}

// Clips play as 9:16 portrait; the server centre-crops anything wider (a little slack for
// encoders that round 1080×1920 to 1088 and the like).
export function isCroppedToPortrait(width: number, height: number): boolean {
  return width > 0 && height > 0 && width / height > (9 / 16) * 1.02;
}

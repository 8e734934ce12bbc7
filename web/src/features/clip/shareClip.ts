// Shares a clip's page (/clip/{id}, which carries the preview tags): the system share sheet where
// there is one, the clipboard otherwise (then `onCopied` tells the person). A dismissed sheet is
// not an error.
export async function shareClip(clip: { id: number; title: string }, onCopied: () => void): Promise<void> {
  const url = `${location.origin}/clip/${clip.id}`;
  try {
    if (navigator.share) await navigator.share({ title: clip.title, url });
    else { await navigator.clipboard.writeText(url); onCopied(); }
  } catch { /* share dismissed */ }
}

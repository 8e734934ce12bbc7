import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { Avatar } from '../../components/Avatar';
import { useLiveChannel } from '../../live/useLive';
import { relativeTime } from './relativeTime';
import { trapTab } from '../../components/trapTab';
import { Heart, X } from '../../components/icons';

export interface CommentItem {
  id: number;
  clipId: number;
  parentCommentId: number | null;
  text: string;
  likesCount: number;
  likedByMe: boolean;
  user: { id: number; username: string; avatar_url: string };
  createdAt: string;
  replies?: CommentItem[];
}
interface Page { comments: CommentItem[]; nextCursor: string | null }

export const PRESET_EMOJIS = ['🔥', '😂', '😍', '👏', '😮', '💜', '🎬', '💯', '😢', '🚀'];
export const MAX_COMMENT = 500;

// Comments of one clip: a slide-up sheet on phones, a side panel on desktop. A modal <dialog>:
// focus moves in and stays in while it is open, Escape closes it, and the caller puts focus back
// on the button that opened it.
export function CommentPanel({ clipId, onClose, onCountChange }: { clipId: number; onClose: () => void; onCountChange?: (delta: number) => void }) {
  const { data: session } = useSession();
  const qc = useQueryClient();
  const [sort, setSort] = useState<'newest' | 'top'>('newest');
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<CommentItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = ['comments', clipId, sort];
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => api.get<Page>(`/api/comments?clipId=${clipId}&sort=${sort}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const threads = q.data?.pages.flatMap((p) => p.comments) ?? [];
  const me = session?.user;
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  // A deletion waits a few seconds for an Undo; closing the sheet sends it at once.
  const [deleting, setDeleting] = useState<{ comment: CommentItem; timer: number } | null>(null);
  const deletingRef = useRef(deleting);
  deletingRef.current = deleting;
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    closeButton.current?.focus();
    return () => d?.close();
  }, []);

  // Comments posted or deleted by anyone appear without a reload.
  useLiveChannel(`comments:${clipId}`, () => { void qc.invalidateQueries({ queryKey: ['comments', clipId] }); });

  async function post(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    setError(null);
    const body = { clipId, text, parentCommentId: replyTo?.id };
    const draft = text;
    setText('');
    setReplyTo(null);
    onCountChange?.(1);
    // Optimistic: the comment shows at once (dimmed) and is replaced by the server's copy.
    const previous = qc.getQueryData(key);
    if (me && sort === 'newest') {
      const draftItem: CommentItem = {
        id: -Date.now(), clipId, parentCommentId: replyTo?.id ?? null, text: draft, likesCount: 0, likedByMe: false,
        user: { id: me.id, username: me.username ?? '', avatar_url: me.avatar_url }, createdAt: new Date().toISOString(), replies: [],
      };
      qc.setQueryData(key, (data: { pages: Page[] } | undefined) => {
        if (!data || data.pages.length === 0) return data;
        const [first, ...rest] = data.pages;
        const comments = replyTo
          ? first!.comments.map((c) => (c.id === replyTo.id ? { ...c, replies: [...(c.replies ?? []), draftItem] } : c))
          : [draftItem, ...first!.comments];
        return { ...data, pages: [{ ...first!, comments }, ...rest] };
      });
    }
    try {
      await api.post('/api/comments', body);
      await qc.invalidateQueries({ queryKey: ['comments', clipId] });
    } catch (err) {
      qc.setQueryData(key, previous);
      setText(draft);  // roll back: give the text back
      onCountChange?.(-1);
      setError(err instanceof ApiError ? err.message : 'Could not post');
    }
  }

  async function toggleLike(c: CommentItem) {
    const like = !c.likedByMe;
    const patch = (item: CommentItem): CommentItem =>
      item.id === c.id ? { ...item, likedByMe: like, likesCount: item.likesCount + (like ? 1 : -1) } : { ...item, replies: item.replies?.map(patch) };
    const previous = qc.getQueryData(key);
    qc.setQueryData(key, (data: { pages: Page[] } | undefined) => data && { ...data, pages: data.pages.map((p) => ({ ...p, comments: p.comments.map(patch) })) });
    try {
      await api.patch('/api/comments', { commentId: c.id, action: like ? 'like' : 'unlike' });
    } catch {
      qc.setQueryData(key, previous);
    }
  }

  async function sendDelete(c: CommentItem) {
    try {
      await api.del('/api/comments', { commentId: c.id });
      onCountChange?.(-1);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not delete');
    } finally {
      await qc.invalidateQueries({ queryKey: ['comments', clipId] });
    }
  }

  function remove(c: CommentItem) {
    if (deleting) { window.clearTimeout(deleting.timer); void sendDelete(deleting.comment); }
    const timer = window.setTimeout(() => { setDeleting(null); void sendDelete(c); }, 5000);
    setDeleting({ comment: c, timer });
  }

  function undoDelete() {
    if (!deleting) return;
    window.clearTimeout(deleting.timer);
    setDeleting(null);
  }

  useEffect(() => () => {
    const d = deletingRef.current;
    if (d) { window.clearTimeout(d.timer); void sendDelete(d.comment); }
  }, []);  // eslint-disable-line react-hooks/exhaustive-deps

  function startReply(c: CommentItem) {
    setReplyTo(c);
    const prefix = `@${c.user.username} `;
    setText(prefix);
    // Straight to typing, after the mention.
    window.requestAnimationFrame(() => {
      const t = textArea.current;
      if (!t) return;
      t.focus();
      t.setSelectionRange(prefix.length, prefix.length);
    });
  }

  const renderComment = (c: CommentItem, isReply = false) => deleting?.comment.id === c.id ? null : (
    <li key={c.id} className={`stack${c.id < 0 ? ' comment-pending' : ''}`} style={{ gap: 4, marginLeft: isReply ? 28 : 0 }} data-testid="comment">
      <div className="row" style={{ gap: 8, alignItems: 'flex-start', flexWrap: 'nowrap' }}>
        <Avatar url={c.user.avatar_url} name={c.user.username} />
        <div className="stack" style={{ gap: 2, flex: 1 }}>
          <span><strong>@{c.user.username}</strong>{' '}
            <time className="muted comment-time" dateTime={c.createdAt} title={new Date(c.createdAt).toLocaleString()}>{relativeTime(c.createdAt)}</time></span>
          <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{c.text}</span>
          {/* A comment still on its way has no id yet: nothing to reply to or delete. */}
          {c.id > 0 && <span className="row" style={{ gap: 4 }}>
            {me && !isReply && <button className="btn btn-small" onClick={() => startReply(c)}>Reply</button>}
            {me && (me.id === c.user.id || me.is_admin) ? <button className="link-button comment-delete" onClick={() => remove(c)}>Delete</button> : null}
          </span>}
        </div>
        <button className="btn btn-small" aria-pressed={c.likedByMe} aria-label={`Like (${c.likesCount})`} disabled={!me} onClick={() => void toggleLike(c)}>
          <Heart size={16} fill={c.likedByMe ? 'currentColor' : 'none'} className={c.likedByMe ? 'liked' : undefined} /> {c.likesCount}
        </button>
      </div>
      {c.replies && c.replies.length > 0 && <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>{c.replies.map((r) => renderComment(r, true))}</ul>}
    </li>
  );

  return (
    // Scrolling and swiping inside the panel must not move the arena to another clip.
    <dialog ref={dialog} className="comment-panel" aria-labelledby="comments-title" data-testid="comment-sheet"
      onClose={onClose} onKeyDown={trapTab} onClick={(e) => {
        // A click on the backdrop (outside the sheet's box) closes it.
        const r = dialog.current?.getBoundingClientRect();
        if (r && e.target === dialog.current && (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom)) dialog.current?.close();
      }}
      onWheel={(e) => e.stopPropagation()} onTouchStart={(e) => e.stopPropagation()} onTouchEnd={(e) => e.stopPropagation()}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="comments-title" style={{ margin: 0, fontSize: 18 }}>Comments</h2>
        <div className="row" style={{ gap: 6 }}>
          {(['newest', 'top'] as const).map((s) => (
            <button key={s} className={`btn btn-small${sort === s ? ' btn-primary' : ''}`} aria-pressed={sort === s} onClick={() => setSort(s)}>{s === 'newest' ? 'Newest' : 'Top'}</button>
          ))}
          <button ref={closeButton} className="btn btn-small" onClick={() => dialog.current?.close()} aria-label="Close comments"><X size={18} /></button>
        </div>
      </div>
      {deleting && (
        <p className="row comment-undo" role="status" style={{ justifyContent: 'space-between', margin: 0 }}>
          Comment deleted. <button className="btn btn-small" onClick={undoDelete}>Undo</button>
        </p>
      )}
      <ul className="stack comment-list" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {q.isLoading && <li className="skeleton" style={{ height: 60 }} />}
        {!q.isLoading && threads.length === 0 && <li className="muted">No comments yet — be the first.</li>}
        {threads.map((c) => renderComment(c))}
      </ul>
      {q.hasNextPage && <button className="btn btn-small" onClick={() => void q.fetchNextPage()}>Load more</button>}
      {me ? (
        <form className="stack" style={{ gap: 6 }} onSubmit={post}>
          {replyTo && <span className="muted">Replying to @{replyTo.user.username} <button type="button" className="btn btn-small" onClick={() => { setReplyTo(null); setText(''); }}>Cancel</button></span>}
          <div className="row" style={{ gap: 4 }} aria-label="Emoji">
            {PRESET_EMOJIS.map((e) => <button type="button" key={e} className="btn btn-small" aria-label={`Insert ${e}`} onClick={() => setText((t) => (t + e).slice(0, MAX_COMMENT))}>{e}</button>)}
          </div>
          <label htmlFor="comment-text" className="sr-only">Your comment</label>
          <textarea ref={textArea} id="comment-text" className="input" rows={2} maxLength={MAX_COMMENT} value={text} onChange={(e) => setText(e.target.value)} placeholder="Add a comment…" />
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <span className="muted" style={{ fontSize: 12 }}>{text.length}/{MAX_COMMENT}</span>
            <button className="btn btn-primary btn-small" type="submit" disabled={!text.trim()}>Post</button>
          </div>
          {error && <p className="error" role="alert">{error}</p>}
        </form>
      ) : (
        <p className="muted"><Link to="/login">Sign in</Link> to comment.</p>
      )}
    </dialog>
  );
}

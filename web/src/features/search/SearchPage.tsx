import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Clip, User } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { GENRES } from '../upload/uploadChecks';
import { clipStanding } from '../leaderboard/LeaderboardPage';

interface Page { clips: Clip[]; creators: User[]; nextCursor: string | null }
type Kind = 'clips' | 'creators';

// Search and discover: clips by words of their title, description or creator (prefixes match,
// accents do not matter), filtered by genre and ordered new / top / trending; creators by name.
// The query lives in the URL, so a search can be shared and the back button returns to it.
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind: Kind = params.get('type') === 'creators' ? 'creators' : 'clips';
  const sort = params.get('sort') ?? 'top';
  const genre = params.get('genre') ?? '';
  const [typed, setTyped] = useState(q);
  // The query this page last wrote into the URL. A navigation commits after the URL has changed
  // (React Router renders it as a transition), so syncing the box from every new `q` could
  // overwrite what was typed meanwhile; the box follows the URL only when someone else changed
  // it (back button, a shared link).
  const written = useRef(q);
  useEffect(() => {
    if (q === written.current) return;
    written.current = q;
    setTyped(q);
  }, [q]);
  // The URL follows the typing after a short pause.
  useEffect(() => {
    if (typed === written.current) return undefined;
    const t = window.setTimeout(() => update({ q: typed }), 250);
    return () => window.clearTimeout(t);
  }, [typed]);  // eslint-disable-line react-hooks/exhaustive-deps

  // Starts from the address bar, not from `params`: the function form of setParams is handed the
  // params of the render it was created in, so a tab tapped just before the typing pause ended
  // would be undone when the pause wrote the query.
  function update(patch: Record<string, string>) {
    if ('q' in patch) written.current = patch.q;
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) { if (v) next.set(k, v); else next.delete(k); }
    setParams(next, { replace: true });
  }

  const results = useInfiniteQuery({
    queryKey: ['discover', kind, q, sort, genre],
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ type: kind, q, sort });
      if (genre) p.set('genre', genre);
      if (pageParam) p.set('cursor', pageParam);
      return api.get<Page>(`/api/discover?${p.toString()}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const clips = results.data?.pages.flatMap((p) => p.clips) ?? [];
  const creators = results.data?.pages.flatMap((p) => p.creators) ?? [];
  const empty = !results.isLoading && (kind === 'clips' ? clips.length === 0 : creators.length === 0);

  return (
    <div className="page" style={{ maxWidth: 900 }}>
      <h1>Search</h1>
      <form role="search" className="stack" onSubmit={(e) => { e.preventDefault(); update({ q: typed }); }}>
        <label htmlFor="search-q" className="sr-only">Search clips and creators</label>
        <input id="search-q" className="input" type="search" placeholder="Search clips and creators" autoComplete="off"
          maxLength={100} value={typed} onChange={(e) => setTyped(e.target.value)} />
      </form>
      <div className="tabs" role="tablist" aria-label="Results" style={{ marginTop: 12 }}>
        {(['clips', 'creators'] as Kind[]).map((k) => (
          <button key={k} role="tab" className="btn btn-small" aria-selected={kind === k} onClick={() => update({ type: k === 'clips' ? '' : k })}>
            {k === 'clips' ? 'Clips' : 'Creators'}
          </button>
        ))}
      </div>
      {kind === 'clips' && (
        <div className="row" style={{ marginBottom: 12 }}>
          <label className="row" style={{ gap: 6 }}>Genre
            <select className="input" style={{ width: 'auto' }} value={genre} onChange={(e) => update({ genre: e.target.value })}>
              <option value="">All</option>
              {GENRES.map((g) => <option key={g.name} value={g.name}>{g.name}</option>)}
            </select>
          </label>
          <label className="row" style={{ gap: 6 }}>Order
            <select className="input" style={{ width: 'auto' }} value={sort} onChange={(e) => update({ sort: e.target.value })}>
              <option value="top">Top</option>
              <option value="trending">Trending</option>
              <option value="new">New</option>
            </select>
          </label>
        </div>
      )}
      {results.isLoading && <div className="skeleton" style={{ height: 200 }} />}
      {empty && <p className="muted" role="status">Nothing found{q ? <> for “{q}”</> : null}.</p>}
      {kind === 'clips' ? (
        <ul className="clip-grid thumbs" aria-label="Clips found" style={{ listStyle: 'none', padding: 0 }}>
          {clips.map((c) => (
            <li key={c.id} className="glass clip-card">
              <Link to={`/clip/${c.id}`} className="stack" style={{ textDecoration: 'none', color: 'inherit' }}>
                <img src={c.thumbnail_url} alt="" />
                <span className="body"><strong>{c.title || 'Untitled'}</strong>
                  <span className="muted">@{c.username} · {clipStanding(c.status)}</span></span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <ul className="stack" aria-label="Creators found" style={{ listStyle: 'none', padding: 0 }}>
          {creators.map((u) => (
            <li key={u.id} className="glass card row">
              <Avatar url={u.avatar_url} name={u.username} />
              <Link to={`/u/${u.username}`}><strong>@{u.username}</strong></Link>
            </li>
          ))}
        </ul>
      )}
      {results.hasNextPage && <button className="btn" onClick={() => void results.fetchNextPage()} disabled={results.isFetchingNextPage}>Load more</button>}
    </div>
  );
}

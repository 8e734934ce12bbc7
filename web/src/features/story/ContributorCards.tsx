import { Link } from 'react-router-dom';
import type { Clip } from '../../api/types';
import { Trophy } from '../../components/icons';

// The people whose clips won, one card per scene: its place in the film, a still, the creator
// and the votes that put it there.
export function ContributorCards({ scenes }: { scenes: Clip[] }) {
  if (scenes.length === 0) return <p className="muted">No winners yet.</p>;
  return (
    <ul className="contributor-cards" aria-label="Contributors">
      {scenes.map((c) => (
        <li key={c.id} className="contributor-card glass">
          <Link to={`/clip/${c.id}`} className="contributor-still" aria-label={`Scene ${c.slot_position}: ${c.title}`}>
            <img src={c.thumbnail_url} alt="" loading="lazy" />
            <span className="num">{c.slot_position}</span>
          </Link>
          <span className="stack" style={{ gap: 2, minWidth: 0 }}>
            <strong className="ellipsis">{c.title || 'Untitled scene'}</strong>
            {c.username && c.username !== 'deleted user'
              ? <Link className="ellipsis" to={`/u/${c.username}`}>@{c.username}</Link>
              : <span className="muted">@{c.username || 'deleted user'}</span>}
            <span className="muted" style={{ fontSize: 13 }}><Trophy size={14} /> {c.vote_count} {c.vote_count === 1 ? 'vote' : 'votes'}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

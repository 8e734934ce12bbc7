import { Link } from 'react-router-dom';

function Shell({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="page" style={{ maxWidth: 720 }}>
      <h1>{title}</h1>
      <div className="glass card stack">{children}</div>
      <p><Link to="/">← Home</Link></p>
    </div>
  );
}

export function AboutPage() {
  return (
    <Shell title="About AiMoviez">
      <p>AiMoviez is a movie made by everyone. Each season has 75 slots. For every slot, creators upload 8-second clips and the community votes; the clip with the highest score wins and is locked into the film.</p>
      <p>Clips that do not win carry over to the next slot with their votes reset, so every upload gets several chances. When the last slot locks, the season becomes a film in the Watch library and the community votes on the next season's genre.</p>
      <p>Questions, ideas or a problem? <Link to="/contact">Write to the team</Link>.</p>
    </Shell>
  );
}

export function PrivacyPage() {
  return (
    <Shell title="Privacy">
      <p>We store your email, username and avatar, the clips you upload, and your votes. Anonymous visitors are counted by a keyed hash of their browser's request headers, never by the raw values.</p>
      <p>Cookies: a session cookie when you sign in, and a random device cookie that protects your requests against forgery. No tracking cookies, no third-party scripts.</p>
    </Shell>
  );
}

export function TermsPage() {
  return (
    <Shell title="Terms">
      <p>Upload only clips you made or have the rights to. Every clip is reviewed before it competes. One vote per clip per person; automated voting is flagged and may be removed.</p>
    </Shell>
  );
}

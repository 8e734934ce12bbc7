#include "storage/sqlite/migrations.h"

#include <spdlog/spdlog.h>

#include <set>

namespace aimoviez::sqlite {

namespace {

// Times are integer milliseconds since the Unix epoch (UTC).
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  username    TEXT UNIQUE COLLATE NOCASE,
  avatar_url  TEXT NOT NULL DEFAULT '',
  is_admin    INTEGER NOT NULL DEFAULT 0,
  is_banned   INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idx_sessions_last_seen ON sessions(last_seen_at);

CREATE TABLE seasons (
  id                     INTEGER PRIMARY KEY,
  label                  TEXT NOT NULL,
  genre                  TEXT NOT NULL DEFAULT '',
  description            TEXT NOT NULL DEFAULT '',
  status                 TEXT NOT NULL CHECK (status IN ('draft','active','finished','archived')),
  total_slots            INTEGER NOT NULL CHECK (total_slots > 0),
  voting_window_seconds  INTEGER NOT NULL CHECK (voting_window_seconds > 0),
  created_at             INTEGER NOT NULL,
  activated_at           INTEGER,
  finished_at            INTEGER
);
-- At most one season is active at a time.
CREATE UNIQUE INDEX idx_one_active_season ON seasons(status) WHERE status = 'active';

CREATE TABLE tournament_clips (
  id              INTEGER PRIMARY KEY,
  season_id       INTEGER REFERENCES seasons(id) ON DELETE CASCADE,
  slot_position   INTEGER NOT NULL DEFAULT 0,
  user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
  title           TEXT NOT NULL DEFAULT '',
  description     TEXT NOT NULL DEFAULT '',
  genre           TEXT NOT NULL DEFAULT '',
  video_url       TEXT NOT NULL DEFAULT '',
  thumbnail_url   TEXT NOT NULL DEFAULT '',
  duration_ms     INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL CHECK (status IN ('pending','active','locked','eliminated','rejected')),
  vote_count      INTEGER NOT NULL DEFAULT 0,
  weighted_score  INTEGER NOT NULL DEFAULT 0,
  view_count      INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX idx_clips_season_slot ON tournament_clips(season_id, slot_position, status);
CREATE INDEX idx_clips_status ON tournament_clips(status, created_at);
CREATE INDEX idx_clips_user ON tournament_clips(user_id);

CREATE TABLE story_slots (
  id                 INTEGER PRIMARY KEY,
  season_id          INTEGER NOT NULL REFERENCES seasons(id) ON DELETE CASCADE,
  slot_position      INTEGER NOT NULL CHECK (slot_position > 0),
  status             TEXT NOT NULL CHECK (status IN ('upcoming','voting','waiting_for_clips','locked')),
  genre              TEXT NOT NULL DEFAULT '',
  label              TEXT NOT NULL DEFAULT '',
  winner_clip_id     INTEGER REFERENCES tournament_clips(id) ON DELETE SET NULL,
  voting_started_at  INTEGER,
  voting_ends_at     INTEGER,
  locked_at          INTEGER,
  UNIQUE (season_id, slot_position)
);
CREATE INDEX idx_slots_status_ends ON story_slots(status, voting_ends_at);

-- Votes are an append-friendly log with integer keys; uniqueness per (clip, voter, round) is
-- decided by the vote engine and re-verified from these rows at start.
CREATE TABLE votes (
  id             INTEGER PRIMARY KEY,
  clip_id        INTEGER NOT NULL REFERENCES tournament_clips(id) ON DELETE CASCADE,
  voter_key      TEXT NOT NULL,
  user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  vote_weight    INTEGER NOT NULL DEFAULT 1 CHECK (vote_weight IN (1, 3, 10)),
  vote_type      TEXT NOT NULL DEFAULT 'standard' CHECK (vote_type IN ('standard','super','mega')),
  season_id      INTEGER NOT NULL,
  slot_position  INTEGER NOT NULL,
  flagged        INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL
);
CREATE INDEX idx_votes_clip_round ON votes(clip_id, slot_position);
CREATE INDEX idx_votes_season_round ON votes(season_id, slot_position);

CREATE TABLE genre_votes (
  round       INTEGER NOT NULL,
  voter_key   TEXT NOT NULL,
  genre       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (round, voter_key)
) WITHOUT ROWID;

CREATE TABLE feature_flags (
  key          TEXT PRIMARY KEY,
  enabled      INTEGER NOT NULL DEFAULT 0,
  description  TEXT NOT NULL DEFAULT '',
  category     TEXT NOT NULL DEFAULT '',
  updated_at   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO feature_flags (key, enabled, description, category, updated_at) VALUES
  ('multi_vote_enabled', 0, 'Allow voting more than once on the same clip', 'voting', 0),
  ('referral_system', 0, 'Enable referral rewards', 'growth', 0),
  ('spotlight_tour', 1, 'Show the spotlight onboarding tour', 'onboarding', 0),
  ('vote_button_progress', 1, 'Show the daily progress ring around the vote button', 'voting', 0),
  ('require_captcha_voting', 0, 'Require a captcha before voting', 'security', 0),
  ('require_auth_voting', 0, 'Only signed-in users can vote', 'security', 0);

CREATE TABLE audit_logs (
  id             INTEGER PRIMARY KEY,
  action         TEXT NOT NULL,
  resource_type  TEXT NOT NULL,
  resource_id    TEXT NOT NULL DEFAULT '',
  admin_email    TEXT NOT NULL DEFAULT '',
  admin_user_id  INTEGER,
  details        TEXT NOT NULL DEFAULT '{}',
  created_at     INTEGER NOT NULL
);

CREATE TABLE job_locks (
  name            TEXT PRIMARY KEY,
  holder          TEXT NOT NULL DEFAULT '',
  fencing_token   INTEGER NOT NULL DEFAULT 0,
  expires_at      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql";

// The vote engine: the daily cap is rebuilt from votes cast since midnight UTC (created_at is
// monotonic, so this index is append-only); impressions are logged once per voter and clip;
// power votes get their own flag.
constexpr std::string_view kVoteEngine = R"sql(
CREATE INDEX idx_votes_created ON votes(created_at);
CREATE TABLE clip_views (
  id             INTEGER PRIMARY KEY,
  clip_id        INTEGER NOT NULL REFERENCES tournament_clips(id) ON DELETE CASCADE,
  voter_key      TEXT NOT NULL,
  slot_position  INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX idx_clip_views_clip ON clip_views(clip_id, slot_position);
INSERT INTO feature_flags (key, enabled, description, category, updated_at) VALUES
  ('power_votes_enabled', 0, 'Allow one super (x3) and one mega (x10) vote per voter per slot', 'voting', 0);
)sql";

// Round queries go through the clips of a season and the (clip_id, slot_position) index; a second
// index on every vote row only slowed the vote log down.
constexpr std::string_view kDropSeasonRoundIndex = R"sql(
DROP INDEX idx_votes_season_round;
)sql";

// Profiles: a signed-in user's votes (history, stats, streak). Partial, so anonymous votes — the
// bulk of the log — do not pay for it.
constexpr std::string_view kUserVotesIndex = R"sql(
CREATE INDEX idx_votes_user ON votes(user_id, created_at) WHERE user_id IS NOT NULL;
)sql";

// Comments (spec 6): one level of replies, soft delete, moderation status, exact like counts.
// A finished season's film (issue 5): one row per season, rebuilt on request.
constexpr std::string_view kFilms = R"sql(
CREATE TABLE films (
  id             INTEGER PRIMARY KEY,
  season_id      INTEGER NOT NULL UNIQUE REFERENCES seasons(id) ON DELETE CASCADE,
  status         TEXT NOT NULL CHECK (status IN ('queued','building','ready','failed')),
  progress       INTEGER NOT NULL DEFAULT 0,
  error          TEXT NOT NULL DEFAULT '',
  video_url      TEXT NOT NULL DEFAULT '',
  chapters_json  TEXT NOT NULL DEFAULT '[]',
  duration_ms    INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
)sql";

// Uploads (issue 5): signed upload slots, and the processing state of uploaded clips. Clips
// created before this migration (seeded media) are already processed: 'ready'.
constexpr std::string_view kUploads = R"sql(
CREATE TABLE uploads (
  id              INTEGER PRIMARY KEY,
  object_key      TEXT NOT NULL UNIQUE,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  declared_size   INTEGER NOT NULL,
  content_type    TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('signed','uploaded','registered','failed')),
  received_bytes  INTEGER NOT NULL DEFAULT 0,
  clip_id         INTEGER REFERENCES tournament_clips(id) ON DELETE SET NULL,
  expires_at      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX idx_uploads_status ON uploads(status, created_at);
ALTER TABLE tournament_clips ADD COLUMN processing_status TEXT NOT NULL DEFAULT 'ready'
  CHECK (processing_status IN ('queued','processing','ready','failed'));
ALTER TABLE tournament_clips ADD COLUMN processing_progress INTEGER NOT NULL DEFAULT 100;
ALTER TABLE tournament_clips ADD COLUMN processing_error TEXT NOT NULL DEFAULT '';
ALTER TABLE tournament_clips ADD COLUMN source_key TEXT NOT NULL DEFAULT '';
CREATE INDEX idx_clips_processing ON tournament_clips(processing_status, id)
  WHERE processing_status <> 'ready';
)sql";

constexpr std::string_view kComments = R"sql(
CREATE TABLE comments (
  id                 INTEGER PRIMARY KEY,
  clip_id            INTEGER NOT NULL REFERENCES tournament_clips(id) ON DELETE CASCADE,
  user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  parent_comment_id  INTEGER REFERENCES comments(id) ON DELETE CASCADE,
  comment_text       TEXT NOT NULL,
  likes_count        INTEGER NOT NULL DEFAULT 0,
  is_deleted         INTEGER NOT NULL DEFAULT 0,
  moderation_status  TEXT NOT NULL DEFAULT 'approved'
                     CHECK (moderation_status IN ('approved','pending','rejected','flagged')),
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX idx_comments_clip ON comments(clip_id, parent_comment_id, created_at);
CREATE INDEX idx_comments_parent ON comments(parent_comment_id);
CREATE TABLE comment_likes (
  comment_id  INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (comment_id, user_id)
) WITHOUT ROWID;
)sql";

// Votes arrive in time order, almost all into the open round. An index led by the clip took a
// leaf page per clip on every group commit (most of the WAL written per batch); one led by the
// round grows at one end. Without a clip index a foreign key to the clips could not cascade
// cheaply, so it goes too: the engine only stores votes for active clips of the open round, and
// deleting a season deletes its votes by round first (SqliteStore::DeleteSeason).
// The checks are spelled as comparisons: SQLite evaluates a CHECK's `IN (list)` by building a
// temporary table for every inserted row.
constexpr std::string_view kVotesByRound = R"sql(
CREATE TABLE votes_by_round (
  id             INTEGER PRIMARY KEY,
  clip_id        INTEGER NOT NULL,
  voter_key      TEXT NOT NULL,
  user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  vote_weight    INTEGER NOT NULL DEFAULT 1
                 CHECK (vote_weight = 1 OR vote_weight = 3 OR vote_weight = 10),
  vote_type      TEXT NOT NULL DEFAULT 'standard'
                 CHECK (vote_type = 'standard' OR vote_type = 'super' OR vote_type = 'mega'),
  season_id      INTEGER NOT NULL,
  slot_position  INTEGER NOT NULL,
  flagged        INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL
);
INSERT INTO votes_by_round SELECT id, clip_id, voter_key, user_id, vote_weight, vote_type,
  season_id, slot_position, flagged, created_at FROM votes;
DROP TABLE votes;
ALTER TABLE votes_by_round RENAME TO votes;
CREATE INDEX idx_votes_round ON votes(season_id, slot_position);
CREATE INDEX idx_votes_created ON votes(created_at);
CREATE INDEX idx_votes_user ON votes(user_id, created_at) WHERE user_id IS NOT NULL;
)sql";

// Impressions (a voter saw a clip this round) were one row per clip, indexed by clip: a feed
// page of eight clips wrote eight rows into eight random index leaves. Now one row per feed answer
// lists the clips it showed for the first time, under an index led by the round (it grows at one
// end). Only the engine's rebuild at start reads them; deleting a season deletes its rows.
constexpr std::string_view kFeedImpressions = R"sql(
CREATE TABLE feed_impressions (
  id             INTEGER PRIMARY KEY,
  season_id      INTEGER NOT NULL,
  slot_position  INTEGER NOT NULL,
  voter_key      TEXT NOT NULL,
  clip_ids       TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
INSERT INTO feed_impressions (season_id, slot_position, voter_key, clip_ids, created_at)
  SELECT c.season_id, v.slot_position, v.voter_key, CAST(v.clip_id AS TEXT), v.created_at
  FROM clip_views v JOIN tournament_clips c ON c.id = v.clip_id
  WHERE c.season_id IS NOT NULL ORDER BY v.id;
DROP TABLE clip_views;
CREATE INDEX idx_feed_impressions_round ON feed_impressions(season_id, slot_position);
)sql";

// Sign-in with OpenID Connect: an account is keyed by (issuer, subject), so the email becomes
// optional (a provider may not vouch for one) and the users table is rebuilt without NOT NULL.
// Sessions get a public id (to list and revoke them without exposing the token hash) and the
// device they were opened from.
constexpr std::string_view kAccounts = R"sql(
CREATE TABLE users_rebuilt (
  id          INTEGER PRIMARY KEY,
  email       TEXT UNIQUE COLLATE NOCASE,
  username    TEXT UNIQUE COLLATE NOCASE,
  avatar_url  TEXT NOT NULL DEFAULT '',
  is_admin    INTEGER NOT NULL DEFAULT 0,
  is_banned   INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
INSERT INTO users_rebuilt (id, email, username, avatar_url, is_admin, is_banned, created_at)
  SELECT id, email, username, avatar_url, is_admin, is_banned, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;

CREATE TABLE user_identities (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issuer        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  email         TEXT NOT NULL DEFAULT '',
  name          TEXT NOT NULL DEFAULT '',
  picture       TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER NOT NULL,
  UNIQUE (issuer, subject)
);
CREATE INDEX idx_user_identities_user ON user_identities(user_id);

ALTER TABLE sessions ADD COLUMN public_id TEXT;
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
UPDATE sessions SET public_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX idx_sessions_public_id ON sessions(public_id);
CREATE INDEX idx_sessions_user ON sessions(user_id);
)sql";

// Account deletion keeps other people's replies: a deleted user's comment that has replies stays
// as an authorless, textless placeholder, so comments.user_id may now be NULL (SET NULL instead
// of CASCADE, which would also have deleted every reply beneath).
constexpr std::string_view kCommentsOutliveAuthors = R"sql(
CREATE TABLE comments_rebuilt (
  id                 INTEGER PRIMARY KEY,
  clip_id            INTEGER NOT NULL REFERENCES tournament_clips(id) ON DELETE CASCADE,
  user_id            INTEGER REFERENCES users(id) ON DELETE SET NULL,
  parent_comment_id  INTEGER REFERENCES comments(id) ON DELETE CASCADE,
  comment_text       TEXT NOT NULL,
  likes_count        INTEGER NOT NULL DEFAULT 0,
  is_deleted         INTEGER NOT NULL DEFAULT 0,
  moderation_status  TEXT NOT NULL DEFAULT 'approved'
                     CHECK (moderation_status IN ('approved','pending','rejected','flagged')),
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
INSERT INTO comments_rebuilt SELECT id, clip_id, user_id, parent_comment_id, comment_text,
  likes_count, is_deleted, moderation_status, created_at, updated_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_rebuilt RENAME TO comments;
CREATE INDEX idx_comments_clip ON comments(clip_id, parent_comment_id, created_at);
CREATE INDEX idx_comments_parent ON comments(parent_comment_id);
CREATE INDEX idx_comments_user ON comments(user_id);
-- A winning clip outlives its creator's account, credited to "deleted user".
ALTER TABLE tournament_clips ADD COLUMN creator_deleted INTEGER NOT NULL DEFAULT 0;
)sql";

// Vote-stuffing limits: an anonymous vote keeps the keyed tag of the network it came from (never
// the address), so the per-network budgets survive a restart and flagged votes can be grouped by
// network for review; flag_reason says why a vote was flagged.
constexpr std::string_view kVoteNetworks = R"sql(
ALTER TABLE votes ADD COLUMN network INTEGER;
ALTER TABLE votes ADD COLUMN flag_reason TEXT;
CREATE INDEX idx_votes_flagged ON votes(season_id, slot_position) WHERE flagged = 1;
)sql";

// Progression and notifications (spec sections 11 and 12). engagement_events is an outbox:
// services append to it inside the transaction that approved, rejected or crowned a clip, and
// the progression job consumes it (and the signed-in votes) in id order, moving a cursor in
// progress_cursors in the same transaction as the XP it awards. xp_ledger's key makes an award
// idempotent as well; idx_votes_signed_in lets the job skip anonymous votes without reading them
// (a partial index: anonymous votes, the bulk, never touch it).
constexpr std::string_view kEngagement = R"sql(
CREATE TABLE engagement_events (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  user_id     INTEGER NOT NULL,
  ref_id      INTEGER NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE TABLE progress_cursors (
  name      TEXT PRIMARY KEY,
  position  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idx_votes_signed_in ON votes(id) WHERE user_id IS NOT NULL;
CREATE TABLE user_progress (
  user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  xp               INTEGER NOT NULL DEFAULT 0,
  votes_cast       INTEGER NOT NULL DEFAULT 0,
  clips_submitted  INTEGER NOT NULL DEFAULT 0,
  clips_approved   INTEGER NOT NULL DEFAULT 0,
  clips_won        INTEGER NOT NULL DEFAULT 0,
  referrals        INTEGER NOT NULL DEFAULT 0,
  streak_days      INTEGER NOT NULL DEFAULT 0,
  best_streak      INTEGER NOT NULL DEFAULT 0,
  last_vote_day    INTEGER NOT NULL DEFAULT -1,
  votes_on_day     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE xp_ledger (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event_key   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  xp          INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, event_key)
) WITHOUT ROWID;
CREATE INDEX idx_xp_ledger_recent ON xp_ledger(user_id, created_at);
CREATE TABLE user_badges (
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  badge        TEXT NOT NULL,
  unlocked_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, badge)
) WITHOUT ROWID;
CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL DEFAULT '',
  link        TEXT NOT NULL DEFAULT '',
  dedupe_key  TEXT NOT NULL,
  read_at     INTEGER,
  created_at  INTEGER NOT NULL,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX idx_notifications_user ON notifications(user_id, id);
)sql";

// Follows and blocks (spec section 12), and the notification types a person turned off. A follow's
// id orders a person's follower list, newest first, and serves as its page cursor.
constexpr std::string_view kSocial = R"sql(
CREATE TABLE follows (
  id           INTEGER PRIMARY KEY,
  follower_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  followee_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  UNIQUE (follower_id, followee_id)
);
CREATE INDEX idx_follows_followee ON follows(followee_id, id);
CREATE TABLE blocks (
  blocker_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  blocked_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;
CREATE INDEX idx_blocks_blocked ON blocks(blocked_id);
CREATE TABLE notification_mutes (
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type     TEXT NOT NULL,
  PRIMARY KEY (user_id, type)
) WITHOUT ROWID;
)sql";

// Content reports (spec section 12). One open report per reporter and target; resolved ones stay
// as the record of what was decided.
constexpr std::string_view kReports = R"sql(
CREATE TABLE reports (
  id           INTEGER PRIMARY KEY,
  reporter_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  target_type  TEXT NOT NULL CHECK (target_type = 'clip' OR target_type = 'user' OR
                                    target_type = 'comment'),
  target_id    INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  details      TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'open',
  resolution   TEXT NOT NULL DEFAULT '',
  resolved_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  resolved_at  INTEGER
);
CREATE UNIQUE INDEX idx_reports_one_open ON reports(reporter_id, target_type, target_id)
  WHERE status = 'open';
CREATE INDEX idx_reports_target ON reports(target_type, target_id, status);
CREATE INDEX idx_reports_status ON reports(status, created_at);
)sql";

// Web Push (RFC 8030/8291/8292): browsers' subscriptions (p256dh and auth base64url, as the
// browser gives them) and the durable delivery queue the push worker drains, retrying with
// backoff.
constexpr std::string_view kWebPush = R"sql(
CREATE TABLE push_subscriptions (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint    TEXT NOT NULL UNIQUE,
  p256dh      TEXT NOT NULL,
  auth        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX idx_push_subscriptions_user ON push_subscriptions(user_id);
CREATE TABLE push_deliveries (
  id               INTEGER PRIMARY KEY,
  subscription_id  INTEGER NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
  payload          TEXT NOT NULL,
  urgency          TEXT NOT NULL DEFAULT 'normal',
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX idx_push_deliveries_due ON push_deliveries(next_attempt_at);
CREATE INDEX idx_push_deliveries_subscription ON push_deliveries(subscription_id);
)sql";

// Referrals (spec section 12): a code per user, one row per referred account (credited or
// refused), and the devices accounts signed in from (self-referral by device).
constexpr std::string_view kReferrals = R"sql(
CREATE TABLE referral_codes (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  code        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);
CREATE TABLE referrals (
  id           INTEGER PRIMARY KEY,
  referrer_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  referred_id  INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  status       TEXT NOT NULL CHECK (status = 'credited' OR status = 'refused'),
  reason       TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
);
CREATE INDEX idx_referrals_referrer ON referrals(referrer_id, status);
CREATE TABLE user_devices (
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_key    TEXT NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, device_key)
) WITHOUT ROWID;
)sql";

// Notifications for everyone (a new voting round, an admin's announcement): one row per
// broadcast, fanned out to users in id order by the job, its cursor moving with each batch.
constexpr std::string_view kBroadcasts = R"sql(
CREATE TABLE notification_broadcasts (
  id            INTEGER PRIMARY KEY,
  type          TEXT NOT NULL,
  title         TEXT NOT NULL,
  body          TEXT NOT NULL,
  link          TEXT NOT NULL,
  dedupe_key    TEXT NOT NULL UNIQUE,
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  next_user_id  INTEGER NOT NULL DEFAULT 0,
  delivered     INTEGER NOT NULL DEFAULT 0,
  finished_at   INTEGER
);
CREATE INDEX idx_broadcasts_pending ON notification_broadcasts(id) WHERE finished_at IS NULL;
)sql";

// Search (GET /api/discover): an FTS5 index of public text of clips (title, description, the
// creator's name) with diacritics folded, kept in step by triggers, so no service has to.
constexpr std::string_view kSearch = R"sql(
CREATE VIRTUAL TABLE clip_search USING fts5(title, description, creator,
  tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO clip_search (rowid, title, description, creator)
  SELECT c.id, c.title, c.description,
         CASE WHEN c.creator_deleted = 1 THEN '' ELSE COALESCE(u.username, '') END
  FROM tournament_clips c LEFT JOIN users u ON u.id = c.user_id;
CREATE TRIGGER clip_search_insert AFTER INSERT ON tournament_clips BEGIN
  INSERT INTO clip_search (rowid, title, description, creator)
  VALUES (new.id, new.title, new.description,
          COALESCE((SELECT username FROM users WHERE id = new.user_id), ''));
END;
CREATE TRIGGER clip_search_update AFTER UPDATE OF title, description, user_id, creator_deleted
  ON tournament_clips BEGIN
  DELETE FROM clip_search WHERE rowid = old.id;
  INSERT INTO clip_search (rowid, title, description, creator)
  VALUES (new.id, new.title, new.description,
          CASE WHEN new.creator_deleted = 1 THEN ''
               ELSE COALESCE((SELECT username FROM users WHERE id = new.user_id), '') END);
END;
CREATE TRIGGER clip_search_delete AFTER DELETE ON tournament_clips BEGIN
  DELETE FROM clip_search WHERE rowid = old.id;
END;
CREATE TRIGGER clip_search_creator AFTER UPDATE OF username ON users BEGIN
  UPDATE clip_search SET creator = COALESCE(new.username, '')
  WHERE rowid IN (SELECT id FROM tournament_clips WHERE user_id = new.id AND creator_deleted = 0);
END;
)sql";

// The contact form's inbox (spec section 16).
constexpr std::string_view kContact = R"sql(
CREATE TABLE contact_messages (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
  name        TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'read', 'archived')),
  created_at  INTEGER NOT NULL
);
CREATE INDEX idx_contact_status ON contact_messages(status, id);
)sql";

// Verifiable rounds (docs/VERIFIABILITY.md): each closed round's published log and a frozen copy
// of its leaves; the leaf hash index serves inclusion proofs by receipt.
constexpr std::string_view kRoundLogs = R"sql(
CREATE TABLE round_logs (
  season_id        INTEGER NOT NULL,
  slot_position    INTEGER NOT NULL,
  revision         INTEGER NOT NULL,
  tree_size        INTEGER NOT NULL,
  root_hash        BLOB NOT NULL,
  winner_clip_id   INTEGER,
  winner_assigned  INTEGER NOT NULL DEFAULT 0,
  tally_json       TEXT NOT NULL,
  alarm            TEXT NOT NULL DEFAULT '',
  published_at     INTEGER NOT NULL,
  season_log_index INTEGER NOT NULL,
  PRIMARY KEY (season_id, slot_position, revision),
  UNIQUE (season_id, season_log_index)
);
CREATE TABLE round_leaves (
  season_id     INTEGER NOT NULL,
  slot_position INTEGER NOT NULL,
  revision      INTEGER NOT NULL,
  leaf_index    INTEGER NOT NULL,
  leaf          BLOB NOT NULL,
  leaf_hash     BLOB NOT NULL,
  clip_id       INTEGER NOT NULL,
  weight        INTEGER NOT NULL,
  PRIMARY KEY (season_id, slot_position, revision, leaf_index)
) WITHOUT ROWID;
CREATE INDEX idx_round_leaves_hash ON round_leaves(leaf_hash);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial_schema", kInitialSchema},
    {2, "vote_engine", kVoteEngine},
    {3, "drop_votes_season_round_index", kDropSeasonRoundIndex},
    {4, "user_votes_index", kUserVotesIndex},
    {5, "comments", kComments},
    {6, "uploads", kUploads},
    {7, "films", kFilms},
    {8, "votes_by_round", kVotesByRound},
    {9, "feed_impressions", kFeedImpressions},
    {10, "accounts", kAccounts, /*rebuilds_tables=*/true},
    {11, "comments_outlive_authors", kCommentsOutliveAuthors, /*rebuilds_tables=*/true},
    {12, "vote_networks", kVoteNetworks},
    {13, "engagement", kEngagement},
    {14, "social", kSocial},
    {15, "reports", kReports},
    {16, "web_push", kWebPush},
    {17, "referrals", kReferrals},
    {18, "broadcasts", kBroadcasts},
    {19, "search", kSearch},
    {20, "contact", kContact},
    {21, "round_logs", kRoundLogs},
};

}  // namespace

std::span<const Migration> AllMigrations() {
  return kMigrations;
}

int ApplyMigrations(Database& db) {
  std::lock_guard guard(db.lock());
  db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL)");
  int applied = 0;
  for (const auto& m : kMigrations) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes starting together apply each
    // migration exactly once: the second sees the version recorded and skips it.
    // Rebuilding a referenced table needs foreign keys off (SQLite's documented procedure:
    // otherwise dropping the old table would cascade); the pragma is a no-op inside a
    // transaction, so it is set around it, and the result is checked before commit.
    if (m.rebuilds_tables) db.Exec("PRAGMA foreign_keys=OFF");
    db.Exec("BEGIN IMMEDIATE");
    try {
      auto& check = db.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      check.Bind(1, m.version);
      const bool done = check.Step();
      check.Reset();
      if (!done) {
        db.Exec(m.sql);
        if (m.rebuilds_tables) {
          auto& violations = db.Prepare("PRAGMA foreign_key_check");
          const bool broken = violations.Step();
          violations.Reset();
          if (broken) throw std::runtime_error("migration broke a foreign key");
        }
        db.Prepare(
              "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
              "CAST(strftime('%s','now') AS INTEGER) * 1000)")
            .BindAll(m.version, m.name)
            .Run();
        ++applied;
        spdlog::info("applied migration {:04d}_{}", m.version, m.name);
      }
      db.Exec("COMMIT");
    } catch (...) {
      db.Exec("ROLLBACK");
      if (m.rebuilds_tables) db.Exec("PRAGMA foreign_keys=ON");
      throw;
    }
    if (m.rebuilds_tables) db.Exec("PRAGMA foreign_keys=ON");
  }
  return applied;
}

}  // namespace aimoviez::sqlite

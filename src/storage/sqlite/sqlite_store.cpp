#include "storage/sqlite/sqlite_store.h"

#include <charconv>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/rows.h"

namespace aimoviez::sqlite {

namespace {

// ---- Named queries ---------------------------------------------------------------------------
constexpr std::string_view kUserColumns =
    "SELECT id, COALESCE(email, ''), COALESCE(username, ''), avatar_url, is_admin, is_banned, "
    "created_at "
    "FROM users ";
constexpr std::string_view kSeasonColumns =
    "SELECT id, label, genre, description, status, total_slots, voting_window_seconds, "
    "created_at, activated_at, finished_at FROM seasons ";
constexpr std::string_view kSlotColumns =
    "SELECT id, season_id, slot_position, status, genre, label, winner_clip_id, "
    "voting_started_at, voting_ends_at, locked_at FROM story_slots ";
constexpr std::string_view kClipColumns =
    "SELECT c.id, c.season_id, c.slot_position, c.user_id, "
    "CASE WHEN c.creator_deleted = 1 THEN 'deleted user' ELSE COALESCE(u.username, '') END, "
    "COALESCE(u.avatar_url, ''), c.title, c.description, c.genre, c.video_url, c.thumbnail_url, "
    "c.duration_ms, c.status, c.vote_count, c.weighted_score, c.view_count, c.created_at, "
    "c.processing_status, c.processing_progress, c.processing_error, c.source_key "
    "FROM tournament_clips c LEFT JOIN users u ON u.id = c.user_id ";
constexpr std::string_view kFilmColumns =
    "SELECT id, season_id, status, progress, error, video_url, chapters_json, duration_ms, "
    "created_at, updated_at FROM films ";
constexpr std::string_view kUploadColumns =
    "SELECT id, object_key, user_id, declared_size, content_type, status, received_bytes, "
    "clip_id, expires_at, created_at, updated_at FROM uploads ";
constexpr std::string_view kClipFilter =
    "WHERE (?1 IS NULL OR c.season_id = ?1) AND (?2 IS NULL OR c.slot_position = ?2) "
    "AND (?3 IS NULL OR c.status = ?3) AND (?4 IS NULL OR c.user_id = ?4) ";

User ReadUser(const Statement& st) {
  User u;
  u.id = st.Int(0);
  u.email = st.Text(1);
  u.username = st.Text(2);
  u.avatar_url = st.Text(3);
  u.is_admin = st.Int(4) != 0;
  u.is_banned = st.Int(5) != 0;
  u.created_at = st.Int(6);
  return u;
}

Season ReadSeason(const Statement& st) {
  Season s;
  s.id = st.Int(0);
  s.label = st.Text(1);
  s.genre = st.Text(2);
  s.description = st.Text(3);
  s.status = ParseSeasonStatus(st.Text(4)).value_or(SeasonStatus::kDraft);
  s.total_slots = static_cast<int>(st.Int(5));
  s.voting_window_seconds = st.Int(6);
  s.created_at = st.Int(7);
  s.activated_at = st.OptInt(8);
  s.finished_at = st.OptInt(9);
  return s;
}

Slot ReadSlot(const Statement& st) {
  Slot s;
  s.id = st.Int(0);
  s.season_id = st.Int(1);
  s.position = static_cast<int>(st.Int(2));
  s.status = ParseSlotStatus(st.Text(3)).value_or(SlotStatus::kUpcoming);
  s.genre = st.Text(4);
  s.label = st.Text(5);
  s.winner_clip_id = st.OptInt(6);
  s.voting_started_at = st.OptInt(7);
  s.voting_ends_at = st.OptInt(8);
  s.locked_at = st.OptInt(9);
  return s;
}

Clip ReadClip(const Statement& st) {
  Clip c;
  c.id = st.Int(0);
  c.season_id = st.Int(1);
  c.slot_position = static_cast<int>(st.Int(2));
  c.user_id = st.OptInt(3);
  c.username = st.Text(4);
  c.avatar_url = st.Text(5);
  c.title = st.Text(6);
  c.description = st.Text(7);
  c.genre = st.Text(8);
  c.video_url = st.Text(9);
  c.thumbnail_url = st.Text(10);
  c.duration_ms = st.Int(11);
  c.status = ParseClipStatus(st.Text(12)).value_or(ClipStatus::kPending);
  c.vote_count = st.Int(13);
  c.weighted_score = st.Int(14);
  c.view_count = st.Int(15);
  c.created_at = st.Int(16);
  c.processing = ParseProcessingStatus(st.Text(17)).value_or(ProcessingStatus::kReady);
  c.processing_progress = static_cast<int>(st.Int(18));
  c.processing_error = st.Text(19);
  c.source_key = st.Text(20);
  return c;
}

Film ReadFilm(const Statement& st) {
  Film f;
  f.id = st.Int(0);
  f.season_id = st.Int(1);
  f.status = ParseFilmStatus(st.Text(2)).value_or(FilmStatus::kFailed);
  f.progress = static_cast<int>(st.Int(3));
  f.error = st.Text(4);
  f.video_url = st.Text(5);
  f.chapters_json = st.Text(6);
  f.duration_ms = st.Int(7);
  f.created_at = st.Int(8);
  f.updated_at = st.Int(9);
  return f;
}

Upload ReadUpload(const Statement& st) {
  Upload u;
  u.id = st.Int(0);
  u.object_key = st.Text(1);
  u.user_id = st.Int(2);
  u.declared_size = st.Int(3);
  u.content_type = st.Text(4);
  u.status = ParseUploadStatus(st.Text(5)).value_or(UploadStatus::kFailed);
  u.received_bytes = st.Int(6);
  u.clip_id = st.OptInt(7);
  u.expires_at = st.Int(8);
  u.created_at = st.Int(9);
  u.updated_at = st.Int(10);
  return u;
}

// A clip not yet placed in a season (pending upload) stores NULL, not 0, for the foreign key.
std::optional<Id> SeasonRef(Id season_id) {
  return season_id > 0 ? std::optional<Id>(season_id) : std::nullopt;
}

void BindClipFilter(Statement& st, const ClipQuery& q) {
  st.Bind(1, q.season_id);
  st.Bind(2, q.slot_position);
  if (q.status) {
    st.Bind(3, ToString(*q.status));
  } else {
    st.BindNull(3);
  }
  st.Bind(4, q.user_id);
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : path_(path), db_(path) {}

void SqliteStore::StartBackgroundCheckpoints() {
  if (checkpointer_) return;
  db_.Exec("PRAGMA wal_autocheckpoint=0");
  checkpointer_ = std::make_unique<Checkpointer>(path_, std::chrono::milliseconds(500));
}

int SqliteStore::Migrate() {
  return ApplyMigrations(db_);
}

void SqliteStore::Transaction(const std::function<void()>& work) {
  Guard g(db_.lock());
  if (transaction_depth_ > 0) {
    // Nested call: already inside the outer transaction, which commits or rolls back as a whole.
    work();
    return;
  }
  db_.Exec("BEGIN IMMEDIATE");
  ++transaction_depth_;
  try {
    work();
    db_.Exec("COMMIT");
    --transaction_depth_;
  } catch (...) {
    --transaction_depth_;
    db_.Exec("ROLLBACK");
    throw;
  }
}

// ---- Users -----------------------------------------------------------------------------------

std::optional<User> SqliteStore::FindUser(Id id) {
  Guard g(db_.lock());
  return One<User>(db_.Prepare(Sql(kUserColumns, "WHERE id = ?")).BindAll(id), ReadUser);
}

std::optional<User> SqliteStore::FindUserByEmail(std::string_view email) {
  Guard g(db_.lock());
  return One<User>(db_.Prepare(Sql(kUserColumns, "WHERE email = ?")).BindAll(email), ReadUser);
}

std::optional<User> SqliteStore::FindUserByUsername(std::string_view username) {
  Guard g(db_.lock());
  return One<User>(db_.Prepare(Sql(kUserColumns, "WHERE username = ?")).BindAll(username),
                   ReadUser);
}

Result<User> SqliteStore::CreateUser(std::string_view email, std::string_view username,
                                     EpochMs now) {
  Guard g(db_.lock());
  try {
    auto& st = db_.Prepare("INSERT INTO users (email, username, created_at) VALUES (?, ?, ?)");
    // An account whose provider vouches for no email has none (NULL: not unique-checked).
    if (email.empty()) {
      st.BindNull(1);
    } else {
      st.Bind(1, email);
    }
    if (username.empty()) {
      st.BindNull(2);
    } else {
      st.Bind(2, username);
    }
    st.Bind(3, now).Run();
  } catch (const SqliteError& e) {
    if (!e.IsConstraint()) throw;
    return Error::Conflict("USERNAME_TAKEN", "That username is already taken");
  }
  return *FindUser(db_.LastInsertId());
}

Result<User> SqliteStore::RenameUser(Id id, std::string_view username) {
  Guard g(db_.lock());
  try {
    db_.Prepare("UPDATE users SET username = ? WHERE id = ?").BindAll(username, id).Run();
  } catch (const SqliteError& e) {
    if (!e.IsConstraint()) throw;
    return Error::Conflict("USERNAME_TAKEN", "That username is already taken");
  }
  auto user = FindUser(id);
  if (!user) return Error::NotFound("User");
  return *user;
}

void SqliteStore::SetUserAdmin(Id id, bool is_admin) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE users SET is_admin = ? WHERE id = ?").BindAll(is_admin, id).Run();
}

void SqliteStore::SetUserAvatar(Id id, std::string_view avatar_url) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE users SET avatar_url = ? WHERE id = ?").BindAll(avatar_url, id).Run();
}

void SqliteStore::SetUserBanned(Id id, bool is_banned) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE users SET is_banned = ? WHERE id = ?").BindAll(is_banned, id).Run();
  if (is_banned) db_.Prepare("DELETE FROM sessions WHERE user_id = ?").BindAll(id).Run();
}

std::vector<User> SqliteStore::SearchUsers(std::string_view query, int limit, int offset) {
  Guard g(db_.lock());
  // LIKE wildcards in the query are escaped so a search for "a_b" means exactly that.
  std::string pattern = "%";
  for (char c : query) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  auto& st = db_.Prepare(Sql(kUserColumns,
                             "WHERE username LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\' "
                             "ORDER BY id LIMIT ?2 OFFSET ?3"));
  st.BindAll(pattern, limit, offset);
  return All<User>(st, ReadUser);
}

std::int64_t SqliteStore::CountUsers() {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT COUNT(*) FROM users");
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

std::int64_t SqliteStore::CountCreators() {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare("SELECT COUNT(DISTINCT user_id) FROM tournament_clips WHERE user_id IS NOT NULL");
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

// Sessions: sqlite_sessions.cpp. Identities: sqlite_identities.cpp.

// ---- Seasons and slots -----------------------------------------------------------------------

std::vector<Season> SqliteStore::ListSeasons() {
  Guard g(db_.lock());
  return All<Season>(db_.Prepare(Sql(kSeasonColumns, "ORDER BY id")), ReadSeason);
}

std::optional<Season> SqliteStore::FindSeason(Id id) {
  Guard g(db_.lock());
  return One<Season>(db_.Prepare(Sql(kSeasonColumns, "WHERE id = ?")).BindAll(id), ReadSeason);
}

std::optional<Season> SqliteStore::FindActiveSeason() {
  Guard g(db_.lock());
  return One<Season>(db_.Prepare(Sql(kSeasonColumns, "WHERE status = 'active'")), ReadSeason);
}

Season SqliteStore::CreateSeason(const Season& season) {
  Guard g(db_.lock());
  Season created = season;
  Transaction([&] {
    db_.Prepare(
           "INSERT INTO seasons (label, genre, description, status, total_slots, "
           "voting_window_seconds, created_at) VALUES (?,?,?,?,?,?,?)")
        .BindAll(season.label, season.genre, season.description, ToString(season.status),
                 season.total_slots, season.voting_window_seconds, season.created_at)
        .Run();
    created.id = db_.LastInsertId();
    auto& slot = db_.Prepare(
        "INSERT INTO story_slots (season_id, slot_position, status, genre, label) "
        "VALUES (?, ?, 'upcoming', ?, ?)");
    for (int pos = 1; pos <= season.total_slots; ++pos) {
      slot.Reset();
      slot.BindAll(created.id, pos, season.genre, "Slot " + std::to_string(pos)).Run();
    }
  });
  return created;
}

void SqliteStore::UpdateSeason(const Season& s) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE seasons SET label = ?, genre = ?, description = ?, status = ?, "
         "voting_window_seconds = ?, activated_at = ?, finished_at = ? WHERE id = ?")
      .BindAll(s.label, s.genre, s.description, ToString(s.status), s.voting_window_seconds,
               s.activated_at, s.finished_at, s.id)
      .Run();
}

void SqliteStore::DeleteSeason(Id id) {
  Guard g(db_.lock());
  Transaction([&] {
    // Votes carry no foreign key (see migration 8), so the season's votes go by round first.
    db_.Prepare("DELETE FROM votes WHERE season_id = ?").BindAll(id).Run();
    db_.Prepare("DELETE FROM feed_impressions WHERE season_id = ?").BindAll(id).Run();
    db_.Prepare("UPDATE story_slots SET winner_clip_id = NULL WHERE season_id = ?")
        .BindAll(id)
        .Run();
    db_.Prepare("DELETE FROM seasons WHERE id = ?").BindAll(id).Run();
  });
}

std::vector<Slot> SqliteStore::ListSlots(Id season_id) {
  Guard g(db_.lock());
  return All<Slot>(db_.Prepare(Sql(kSlotColumns, "WHERE season_id = ? ORDER BY slot_position"))
                       .BindAll(season_id),
                   ReadSlot);
}

std::optional<Slot> SqliteStore::FindSlot(Id slot_id) {
  Guard g(db_.lock());
  return One<Slot>(db_.Prepare(Sql(kSlotColumns, "WHERE id = ?")).BindAll(slot_id), ReadSlot);
}

std::optional<Slot> SqliteStore::FindSlotAt(Id season_id, int position) {
  Guard g(db_.lock());
  return One<Slot>(db_.Prepare(Sql(kSlotColumns, "WHERE season_id = ? AND slot_position = ?"))
                       .BindAll(season_id, position),
                   ReadSlot);
}

std::optional<Slot> SqliteStore::FindOpenSlot(Id season_id) {
  Guard g(db_.lock());
  return One<Slot>(
      db_.Prepare(Sql(kSlotColumns,
                      "WHERE season_id = ? AND status IN ('voting', 'waiting_for_clips') "
                      "ORDER BY slot_position LIMIT 1"))
          .BindAll(season_id),
      ReadSlot);
}

std::vector<Slot> SqliteStore::ListVotingSlotsEndingBefore(EpochMs cutoff) {
  Guard g(db_.lock());
  return All<Slot>(db_.Prepare(Sql(kSlotColumns,
                                   "WHERE status = 'voting' AND voting_ends_at <= ? "
                                   "ORDER BY voting_ends_at"))
                       .BindAll(cutoff),
                   ReadSlot);
}

void SqliteStore::UpdateSlot(const Slot& s) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE story_slots SET status = ?, genre = ?, label = ?, winner_clip_id = ?, "
         "voting_started_at = ?, voting_ends_at = ?, locked_at = ? WHERE id = ?")
      .BindAll(ToString(s.status), s.genre, s.label, s.winner_clip_id, s.voting_started_at,
               s.voting_ends_at, s.locked_at, s.id)
      .Run();
}

// ---- Clips -----------------------------------------------------------------------------------

std::optional<Clip> SqliteStore::FindClip(Id id) {
  Guard g(db_.lock());
  return One<Clip>(db_.Prepare(Sql(kClipColumns, "WHERE c.id = ?")).BindAll(id), ReadClip);
}

std::vector<Clip> SqliteStore::ListClips(const ClipQuery& q) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(Sql(kClipColumns, kClipFilter),
                             "ORDER BY c.slot_position, c.created_at, c.id LIMIT ?5 OFFSET ?6"));
  BindClipFilter(st, q);
  st.Bind(5, q.limit).Bind(6, q.offset);
  return All<Clip>(st, ReadClip);
}

std::int64_t SqliteStore::CountClips(const ClipQuery& q) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql("SELECT COUNT(*) FROM tournament_clips c ", kClipFilter));
  BindClipFilter(st, q);
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

Clip SqliteStore::InsertClip(const Clip& c) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO tournament_clips (season_id, slot_position, user_id, title, description, "
         "genre, video_url, thumbnail_url, duration_ms, status, vote_count, weighted_score, "
         "view_count, created_at, updated_at, processing_status, processing_progress, "
         "processing_error, source_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .BindAll(SeasonRef(c.season_id), c.slot_position, c.user_id, c.title, c.description, c.genre,
               c.video_url, c.thumbnail_url, c.duration_ms, ToString(c.status), c.vote_count,
               c.weighted_score, c.view_count, c.created_at, c.created_at, ToString(c.processing),
               c.processing_progress, c.processing_error, c.source_key)
      .Run();
  return *FindClip(db_.LastInsertId());
}

void SqliteStore::UpdateClip(const Clip& c) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE tournament_clips SET season_id = ?, slot_position = ?, title = ?, "
         "description = ?, genre = ?, video_url = ?, thumbnail_url = ?, status = ?, "
         "updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(SeasonRef(c.season_id), c.slot_position, c.title, c.description, c.genre,
               c.video_url, c.thumbnail_url, ToString(c.status), c.id)
      .Run();
}

std::vector<ClipStanding> SqliteStore::SlotStandings(Id season_id, int position) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT c.id, COALESCE(t.n, 0), COALESCE(t.score, 0), c.created_at "
      "FROM tournament_clips c LEFT JOIN "
      "(SELECT clip_id, COUNT(*) AS n, SUM(vote_weight) AS score FROM votes "
      " WHERE season_id = ?1 AND slot_position = ?2 GROUP BY clip_id) t ON t.clip_id = c.id "
      "WHERE c.season_id = ?1 AND c.slot_position = ?2 AND c.status = 'active' ORDER BY c.id");
  st.BindAll(season_id, position);
  return All<ClipStanding>(st, [](const Statement& s) {
    return ClipStanding{s.Int(0), s.Int(1), s.Int(2), s.Int(3)};
  });
}

void SqliteStore::CarryClips(const std::vector<Id>& clip_ids, int new_position) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "UPDATE tournament_clips SET slot_position = ?, status = 'active', vote_count = 0, "
      "weighted_score = 0 WHERE id = ?");
  for (Id id : clip_ids) {
    st.Reset();
    st.BindAll(new_position, id).Run();
  }
}

void SqliteStore::SetClipsStatus(const std::vector<Id>& clip_ids, ClipStatus status) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("UPDATE tournament_clips SET status = ? WHERE id = ?");
  for (Id id : clip_ids) {
    st.Reset();
    st.BindAll(ToString(status), id).Run();
  }
}

void SqliteStore::SnapshotCounters(const std::vector<ClipStanding>& standings) {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare("UPDATE tournament_clips SET vote_count = ?, weighted_score = ? WHERE id = ?");
  for (const auto& s : standings) {
    st.Reset();
    st.BindAll(s.vote_count, s.weighted_score, s.clip_id).Run();
  }
}

void SqliteStore::SetProcessing(Id clip_id, ProcessingStatus status, int progress,
                                std::string_view error) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE tournament_clips SET processing_status = ?, processing_progress = ?, "
         "processing_error = ?, updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 "
         "WHERE id = ?")
      .BindAll(ToString(status), progress, error, clip_id)
      .Run();
}

void SqliteStore::FinishProcessing(Id clip_id, std::string_view video_url,
                                   std::string_view thumbnail_url, std::int64_t duration_ms) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE tournament_clips SET video_url = ?, thumbnail_url = ?, duration_ms = ?, "
         "processing_status = 'ready', processing_progress = 100, processing_error = '', "
         "source_key = '', updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(video_url, thumbnail_url, duration_ms, clip_id)
      .Run();
}

std::optional<Clip> SqliteStore::NextClipToProcess() {
  Guard g(db_.lock());
  return One<Clip>(
      db_.Prepare(Sql(kClipColumns, "WHERE c.processing_status = 'queued' ORDER BY c.id LIMIT 1")),
      ReadClip);
}

void SqliteStore::RequeueInterruptedProcessing() {
  Guard g(db_.lock());
  db_.Exec(
      "UPDATE tournament_clips SET processing_status = 'queued', processing_progress = 0 "
      "WHERE processing_status = 'processing'");
  db_.Exec("UPDATE films SET status = 'queued', progress = 0 WHERE status = 'building'");
}

// ---- Films -----------------------------------------------------------------------------------

Film SqliteStore::RequestFilm(Id season_id, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO films (season_id, status, created_at, updated_at) VALUES (?1, 'queued', ?2, "
         "?2) "
         "ON CONFLICT(season_id) DO UPDATE SET status = 'queued', progress = 0, error = '', "
         "updated_at = ?2")
      .BindAll(season_id, now)
      .Run();
  return *FindFilm(season_id);
}

std::optional<Film> SqliteStore::FindFilm(Id season_id) {
  Guard g(db_.lock());
  return One<Film>(db_.Prepare(Sql(kFilmColumns, "WHERE season_id = ?")).BindAll(season_id),
                   ReadFilm);
}

std::optional<Film> SqliteStore::NextFilmToBuild() {
  Guard g(db_.lock());
  return One<Film>(
      db_.Prepare(Sql(kFilmColumns, "WHERE status = 'queued' ORDER BY updated_at LIMIT 1")),
      ReadFilm);
}

void SqliteStore::UpdateFilm(const Film& f) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE films SET status = ?, progress = ?, error = ?, video_url = ?, chapters_json = ?, "
         "duration_ms = ?, updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(ToString(f.status), f.progress, f.error, f.video_url, f.chapters_json, f.duration_ms,
               f.id)
      .Run();
}

std::vector<Id> SqliteStore::FinishedSeasonsWithoutFilm() {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT s.id FROM seasons s WHERE s.status = 'finished' AND NOT EXISTS "
      "(SELECT 1 FROM films f WHERE f.season_id = s.id) ORDER BY s.id");
  std::vector<Id> ids;
  while (st.Step()) ids.push_back(st.Int(0));
  st.Reset();
  return ids;
}

// ---- Uploads ---------------------------------------------------------------------------------

Upload SqliteStore::InsertUpload(const Upload& u) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO uploads (object_key, user_id, declared_size, content_type, status, "
         "received_bytes, clip_id, expires_at, created_at, updated_at) "
         "VALUES (?,?,?,?,?,?,?,?,?,?)")
      .BindAll(u.object_key, u.user_id, u.declared_size, u.content_type, ToString(u.status),
               u.received_bytes, u.clip_id, u.expires_at, u.created_at, u.created_at)
      .Run();
  return *FindUpload(u.object_key);
}

std::optional<Upload> SqliteStore::FindUpload(std::string_view object_key) {
  Guard g(db_.lock());
  return One<Upload>(db_.Prepare(Sql(kUploadColumns, "WHERE object_key = ?")).BindAll(object_key),
                     ReadUpload);
}

void SqliteStore::UpdateUpload(const Upload& u) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE uploads SET status = ?, received_bytes = ?, clip_id = ?, "
         "updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(ToString(u.status), u.received_bytes, u.clip_id, u.id)
      .Run();
}

std::vector<Upload> SqliteStore::ListAbandonedUploads(EpochMs before, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      Sql(kUploadColumns, "WHERE status <> 'registered' AND created_at < ? ORDER BY id LIMIT ?"));
  st.BindAll(before, limit);
  return All<Upload>(st, ReadUpload);
}

void SqliteStore::DeleteUpload(Id id) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM uploads WHERE id = ?").BindAll(id).Run();
}

void SqliteStore::CancelSignedUploads(Id user_id) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE uploads SET status = 'failed', updated_at = CAST(strftime('%s','now') AS "
         "INTEGER) * 1000 WHERE user_id = ? AND status = 'signed'")
      .BindAll(user_id)
      .Run();
}

bool SqliteStore::IsKeyReferenced(std::string_view object_key) {
  Guard g(db_.lock());
  const std::string url = "/media/" + std::string(object_key);
  auto& st = db_.Prepare(
      "SELECT 1 FROM tournament_clips WHERE source_key = ?1 OR video_url = ?2 OR "
      "thumbnail_url = ?2 LIMIT 1");
  st.BindAll(object_key, url);
  const bool found = st.Step();
  st.Reset();
  return found;
}

// ---- Votes -----------------------------------------------------------------------------------

namespace {
// Signed-in votes have no network and most votes no flag reason: stored as NULL.
std::optional<std::int64_t> NetworkColumn(const VoteRecord& v) {
  return v.network != 0 ? std::optional<std::int64_t>(v.network) : std::nullopt;
}
std::optional<std::string_view> FlagReasonColumn(const VoteRecord& v) {
  return v.flag_reason.empty() ? std::nullopt : std::optional<std::string_view>(v.flag_reason);
}
}  // namespace

void SqliteStore::InsertVotes(const std::vector<VoteRecord>& votes) {
  Guard g(db_.lock());
  Transaction([&] {
    auto& st = db_.Prepare(
        "INSERT INTO votes (clip_id, voter_key, user_id, vote_weight, vote_type, season_id, "
        "slot_position, flagged, created_at, network, flag_reason) "
        "SELECT ?1, ?2, ?3, ?4, ?5, c.season_id, ?6, ?7, ?8, ?9, ?10 FROM tournament_clips c "
        "WHERE c.id = ?1");
    for (const auto& v : votes) {
      st.Reset();
      st.BindAll(v.clip_id, v.voter_key, v.user_id, v.weight, v.vote_type, v.slot_position,
                 v.flagged, v.created_at, NetworkColumn(v), FlagReasonColumn(v))
          .Run();
    }
  });
}

std::int64_t SqliteStore::DeleteVotesAt(Id season_id, int position) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM votes WHERE season_id = ? AND slot_position = ?")
      .BindAll(season_id, position)
      .Run();
  return db_.Changes();
}

namespace {

// Rows go in multi-row INSERT statements of up to this many rows: a row costs less inside one
// statement than as a statement of its own (the table and index cursors stay open between rows).
constexpr std::size_t kRowsPerInsert = 16;

// `head` is "INSERT INTO t (a, b, ...) VALUES "; `bind(statement, first_parameter, row)` binds
// one row's `columns` values from `first_parameter` on. Runs inside the caller's transaction.
template <typename Row, typename BindRow>
void InsertRows(Database& db, std::string_view head, int columns, const std::vector<Row>& rows,
                BindRow bind) {
  auto statement_for = [&](std::size_t n) {
    std::string tuple = "(";
    for (int c = 0; c < columns; ++c) tuple += c == 0 ? "?" : ",?";
    tuple += ")";
    std::string sql(head);
    for (std::size_t i = 0; i < n; ++i) sql += (i == 0 ? "" : ",") + tuple;
    return sql;
  };
  const std::string full = statement_for(kRowsPerInsert);
  const std::string single = statement_for(1);
  std::size_t i = 0;
  while (i < rows.size()) {
    const std::size_t n = rows.size() - i >= kRowsPerInsert ? kRowsPerInsert : 1;
    auto& st = db.Prepare(n == kRowsPerInsert ? full : single);
    for (std::size_t k = 0; k < n; ++k) bind(st, static_cast<int>(k) * columns + 1, rows[i + k]);
    st.Run();
    i += n;
  }
}

void InsertVoteRows(Database& db, const std::vector<const VoteRecord*>& rows) {
  InsertRows(db,
             "INSERT INTO votes (id, clip_id, voter_key, user_id, vote_weight, vote_type, "
             "season_id, slot_position, flagged, created_at, network, flag_reason) VALUES ",
             12, rows, [](Statement& st, int p, const VoteRecord* v) {
               st.Bind(p, v->id).Bind(p + 1, v->clip_id).Bind(p + 2, v->voter_key);
               st.Bind(p + 3, v->user_id).Bind(p + 4, v->weight).Bind(p + 5, v->vote_type);
               st.Bind(p + 6, v->season_id).Bind(p + 7, v->slot_position);
               st.Bind(p + 8, v->flagged).Bind(p + 9, v->created_at);
               st.Bind(p + 10, NetworkColumn(*v)).Bind(p + 11, FlagReasonColumn(*v));
             });
}

std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (Id id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

}  // namespace

void SqliteStore::ApplyVoteBatch(const std::vector<VoteWrite>& writes,
                                 const std::vector<ViewRecord>& views,
                                 const std::vector<ClipCounterSnapshot>& counters) {
  Guard g(db_.lock());
  Transaction([&] {
    // In order: a revocation may follow the cast it removes within one batch.
    std::vector<const VoteRecord*> inserts;
    for (const auto& w : writes) {
      if (!w.is_delete) {
        inserts.push_back(&w.record);
        continue;
      }
      InsertVoteRows(db_, inserts);
      inserts.clear();
      db_.Prepare("DELETE FROM votes WHERE id = ?").BindAll(w.row_id).Run();
    }
    InsertVoteRows(db_, inserts);
    InsertRows(db_,
               "INSERT INTO feed_impressions (season_id, slot_position, voter_key, clip_ids, "
               "created_at) VALUES ",
               5, views, [](Statement& st, int p, const ViewRecord& v) {
                 st.Bind(p, v.season_id).Bind(p + 1, v.slot_position).Bind(p + 2, v.voter_key);
                 st.Bind(p + 3, JoinIds(v.clip_ids)).Bind(p + 4, v.created_at);
               });
    for (const auto& c : counters) {
      db_.Prepare(
             "UPDATE tournament_clips SET vote_count = ?, weighted_score = ?, view_count = ? "
             "WHERE id = ?")
          .BindAll(c.vote_count, c.weighted_score, c.view_count, c.clip_id)
          .Run();
    }
  });
}

Id SqliteStore::MaxVoteId() {
  Guard g(db_.lock());
  // Past the progression job's cursor too: a revoked last vote frees its id, and a new vote
  // reusing an id the job has already passed would never earn its XP.
  auto& st = db_.Prepare(
      "SELECT MAX(COALESCE((SELECT MAX(id) FROM votes), 0), "
      "COALESCE((SELECT position FROM progress_cursors WHERE name = 'votes'), 0))");
  st.Step();
  const Id id = st.Int(0);
  st.Reset();
  return id;
}

void SqliteStore::ForEachVoteAt(Id season_id, int position,
                                const std::function<void(const StoredVote&)>& visit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, clip_id, voter_key, vote_weight, vote_type, created_at, network, "
      "instr(flag_reason, 'unverified_device') > 0 FROM votes "
      "WHERE season_id = ?1 AND slot_position = ?2");
  st.BindAll(season_id, position);
  StoredVote v;
  while (st.Step()) {
    v.id = st.Int(0);
    v.clip_id = st.Int(1);
    v.voter_key.assign(st.TextView(2));
    v.weight = static_cast<int>(st.Int(3));
    v.vote_type = st.Text(4);
    v.created_at = st.Int(5);
    v.network = st.IsNull(6) ? 0 : st.Int(6);
    v.unverified_device = !st.IsNull(7) && st.Int(7) != 0;
    visit(v);
  }
  st.Reset();
}

std::optional<std::pair<Id, Id>> SqliteStore::OnlyRoundInIdRange(Id season_id, int position) {
  // The lowest and highest ids come from the round index (one lookup each; asked together,
  // SQLite would scan the round).
  auto& lowest =
      db_.Prepare("SELECT MIN(id) FROM votes WHERE season_id = ?1 AND slot_position = ?2");
  lowest.BindAll(season_id, position);
  const bool any = lowest.Step() && !lowest.IsNull(0);
  const Id first = any ? lowest.Int(0) : 0;
  lowest.Reset();
  if (!any) return std::nullopt;
  auto& highest =
      db_.Prepare("SELECT MAX(id) FROM votes WHERE season_id = ?1 AND slot_position = ?2");
  highest.BindAll(season_id, position);
  highest.Step();
  const Id last = highest.Int(0);
  highest.Reset();
  auto& other = db_.Prepare(
      "SELECT EXISTS (SELECT 1 FROM votes WHERE id BETWEEN ?1 AND ?2 "
      "AND NOT (season_id = ?3 AND slot_position = ?4))");
  other.BindAll(first, last, season_id, position);
  other.Step();
  const bool interleaved = other.Int(0) != 0;
  other.Reset();
  if (interleaved) return std::nullopt;
  return std::make_pair(first, last);
}

void SqliteStore::ForEachVoteSince(
    EpochMs since, std::optional<std::pair<Id, int>> except_round,
    const std::function<void(std::string_view, std::int64_t)>& visit) {
  Guard g(db_.lock());
  // Streams the rows through the created_at index and lets the caller count: grouping a million
  // random text keys in SQL needs a sort that costs more than hashing them.
  if (except_round) {
    // Usually today's votes are mostly the open round's, which the caller has counted already;
    // telling them apart by season and position means reading each row from the table (0.3 s
    // of a restart with a million votes). The round's votes have ids in one range, and when no
    // other round's vote lies inside that range (rounds follow one another) the id alone,
    // which the created_at index holds, tells them apart.
    if (const auto range = OnlyRoundInIdRange(except_round->first, except_round->second)) {
      auto& st = db_.Prepare(
          "SELECT voter_key, network FROM votes WHERE created_at >= ?1 AND (id < ?2 OR id > ?3)");
      st.BindAll(since, range->first, range->second);
      while (st.Step()) visit(st.TextView(0), st.IsNull(1) ? 0 : st.Int(1));
      st.Reset();
      return;
    }
  }
  auto& st = db_.Prepare(
      "SELECT voter_key, network FROM votes WHERE created_at >= ?1 "
      "AND NOT (season_id IS ?2 AND slot_position IS ?3)");
  st.BindAll(since, except_round ? std::optional<Id>(except_round->first) : std::nullopt,
             except_round ? std::optional<std::int64_t>(except_round->second) : std::nullopt);
  while (st.Step()) visit(st.TextView(0), st.IsNull(1) ? 0 : st.Int(1));
  st.Reset();
}

void SqliteStore::ForEachViewAt(Id season_id, int position,
                                const std::function<void(Id, std::string_view)>& visit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT clip_ids, voter_key FROM feed_impressions WHERE season_id = ? AND slot_position = ?");
  st.BindAll(season_id, position);
  while (st.Step()) {
    const std::string_view ids = st.TextView(0);
    const std::string_view voter = st.TextView(1);
    std::size_t pos = 0;
    while (pos < ids.size()) {
      auto comma = ids.find(',', pos);
      if (comma == std::string_view::npos) comma = ids.size();
      Id id = 0;
      const auto [end, ec] = std::from_chars(ids.data() + pos, ids.data() + comma, id);
      if (ec == std::errc() && end == ids.data() + comma) visit(id, voter);
      pos = comma + 1;
    }
  }
  st.Reset();
}

// ---- Genre votes -----------------------------------------------------------------------------

void SqliteStore::UpsertGenreVote(Id round, std::string_view voter_key, std::string_view genre,
                                  EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO genre_votes (round, voter_key, genre, created_at, updated_at) "
         "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (round, voter_key) "
         "DO UPDATE SET genre = excluded.genre, updated_at = excluded.updated_at")
      .BindAll(round, voter_key, genre, now)
      .Run();
}

bool SqliteStore::DeleteGenreVote(Id round, std::string_view voter_key) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM genre_votes WHERE round = ? AND voter_key = ?")
      .BindAll(round, voter_key)
      .Run();
  return db_.Changes() > 0;
}

std::optional<std::string> SqliteStore::FindGenreVote(Id round, std::string_view voter_key) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT genre FROM genre_votes WHERE round = ? AND voter_key = ?");
  st.BindAll(round, voter_key);
  return One<std::string>(st, [](const Statement& s) { return s.Text(0); });
}

std::vector<GenreTally> SqliteStore::TallyGenreVotes(Id round) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT genre, COUNT(*) FROM genre_votes WHERE round = ? GROUP BY genre ORDER BY genre");
  st.BindAll(round);
  return All<GenreTally>(st, [](const Statement& s) { return GenreTally{s.Text(0), s.Int(1)}; });
}

Id SqliteStore::LatestFinishedSeasonId() {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT COALESCE(MAX(id), 0) FROM seasons WHERE status IN ('finished', 'archived')");
  st.Step();
  const Id id = st.Int(0);
  st.Reset();
  return id;
}

// ---- Feature flags ---------------------------------------------------------------------------

namespace {
FeatureFlag ReadFlag(const Statement& s) {
  return FeatureFlag{s.Text(0), s.Int(1) != 0, s.Text(2), s.Text(3), s.Int(4)};
}
}  // namespace

std::vector<FeatureFlag> SqliteStore::ListFlags() {
  Guard g(db_.lock());
  return All<FeatureFlag>(
      db_.Prepare("SELECT key, enabled, description, category, updated_at FROM feature_flags "
                  "ORDER BY category, key"),
      ReadFlag);
}

std::optional<FeatureFlag> SqliteStore::FindFlag(std::string_view key) {
  Guard g(db_.lock());
  return One<FeatureFlag>(
      db_.Prepare("SELECT key, enabled, description, category, updated_at FROM feature_flags "
                  "WHERE key = ?")
          .BindAll(key),
      ReadFlag);
}

void SqliteStore::SetFlag(std::string_view key, bool enabled, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE feature_flags SET enabled = ?, updated_at = ? WHERE key = ?")
      .BindAll(enabled, now, key)
      .Run();
}

// ---- Audit log -------------------------------------------------------------------------------

void SqliteStore::AppendAudit(const AuditEntry& e) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO audit_logs (action, resource_type, resource_id, admin_email, "
         "admin_user_id, details, created_at) VALUES (?,?,?,?,?,?,?)")
      .BindAll(e.action, e.resource_type, e.resource_id, e.admin_email, e.admin_user_id,
               e.details_json, e.created_at)
      .Run();
}

AuditPage SqliteStore::ListAudit(std::optional<Id> before_id, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, action, resource_type, resource_id, admin_email, admin_user_id, details, "
      "created_at FROM audit_logs WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2");
  st.Bind(1, before_id).Bind(2, limit + 1);
  AuditPage page;
  page.entries = All<AuditEntry>(st, [](const Statement& s) {
    return AuditEntry{s.Int(0),  s.Text(1),   s.Text(2), s.Text(3),
                      s.Text(4), s.OptInt(5), s.Text(6), s.Int(7)};
  });
  if (static_cast<int>(page.entries.size()) > limit) {
    page.entries.pop_back();
    page.next_cursor = page.entries.back().id;
  }
  return page;
}

// ---- Job locks -------------------------------------------------------------------------------

std::optional<std::int64_t> SqliteStore::TryAcquireLock(std::string_view name,
                                                        std::string_view holder, EpochMs now,
                                                        EpochMs ttl_ms) {
  Guard g(db_.lock());
  std::optional<std::int64_t> token;
  Transaction([&] {
    db_.Prepare("INSERT OR IGNORE INTO job_locks (name) VALUES (?)").BindAll(name).Run();
    db_.Prepare(
           "UPDATE job_locks SET holder = ?2, fencing_token = fencing_token + 1, "
           "expires_at = ?3 WHERE name = ?1 AND (expires_at <= ?4 OR holder = '')")
        .BindAll(name, holder, now + ttl_ms, now)
        .Run();
    if (db_.Changes() == 0) return;
    auto& st = db_.Prepare("SELECT fencing_token FROM job_locks WHERE name = ?");
    st.BindAll(name);
    token = One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); });
  });
  return token;
}

bool SqliteStore::IsLockTokenCurrent(std::string_view name, std::int64_t token, EpochMs now) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT 1 FROM job_locks WHERE name = ? AND fencing_token = ? AND expires_at > ?");
  st.BindAll(name, token, now);
  const bool current = st.Step();
  st.Reset();
  return current;
}

void SqliteStore::ReleaseLock(std::string_view name, std::int64_t token) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE job_locks SET holder = '', expires_at = 0 WHERE name = ? AND fencing_token = ?")
      .BindAll(name, token)
      .Run();
}

// ---- Leaderboards and profiles ------------------------------------------------------------------

namespace {
// Ranked aggregates with keyset pagination: ?2/?3 are the last row's (score, id), NULL on the
// first page.
// (HAVING names the grouped expressions, not aliases: SQLite would resolve an alias such as `id`
// to a table column of the same name.)
// Rejected and pending clips are never public: they rank nowhere, and their votes count for
// no creator.
constexpr std::string_view kTopClips =
    "SELECT v.clip_id, COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id "
    "WHERE v.created_at >= ?1 AND v.created_at < ?5 AND c.status != 'rejected' AND "
    "c.status != 'pending' GROUP BY v.clip_id "
    "HAVING ?2 IS NULL OR COUNT(*) < ?2 OR (COUNT(*) = ?2 AND v.clip_id > ?3) "
    "ORDER BY COUNT(*) DESC, v.clip_id LIMIT ?4";
constexpr std::string_view kTopVoters =
    "SELECT v.user_id, COUNT(*) FROM votes v WHERE v.created_at >= ?1 AND v.created_at < ?5 AND "
    "v.user_id IS NOT NULL "
    "GROUP BY v.user_id HAVING ?2 IS NULL OR COUNT(*) < ?2 OR (COUNT(*) = ?2 AND v.user_id > ?3) "
    "ORDER BY COUNT(*) DESC, v.user_id LIMIT ?4";
constexpr std::string_view kTopCreators =
    "SELECT c.user_id, COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id "
    "WHERE v.created_at >= ?1 AND v.created_at < ?5 AND c.user_id IS NOT NULL AND "
    "c.status != 'rejected' AND "
    "c.status != 'pending' GROUP BY c.user_id "
    "HAVING ?2 IS NULL OR COUNT(*) < ?2 OR (COUNT(*) = ?2 AND c.user_id > ?3) "
    "ORDER BY COUNT(*) DESC, c.user_id LIMIT ?4";
}  // namespace

std::vector<RankedEntry> SqliteStore::TopRanked(Board board, EpochMs since, EpochMs until,
                                                const std::optional<RankCursor>& after, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(board == Board::kClips    ? kTopClips
                         : board == Board::kVoters ? kTopVoters
                                                   : kTopCreators);
  st.Bind(1, since);
  if (after) {
    st.Bind(2, after->score).Bind(3, after->id);
  } else {
    st.BindNull(2).BindNull(3);
  }
  st.Bind(4, limit);
  st.Bind(5, until);
  return All<RankedEntry>(st, [](const Statement& r) { return RankedEntry{r.Int(0), r.Int(1)}; });
}

ProfileStats SqliteStore::StatsFor(Id user_id, EpochMs today_start) {
  Guard g(db_.lock());
  ProfileStats p;
  auto& votes = db_.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(created_at >= ?2), 0) FROM votes WHERE user_id = ?1");
  votes.BindAll(user_id, today_start);
  if (votes.Step()) {
    p.votes_total = votes.Int(0);
    p.votes_today = votes.Int(1);
  }
  votes.Reset();
  auto& clips = db_.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'active'), 0), "
      "COALESCE(SUM(status = 'locked'), 0) FROM tournament_clips WHERE user_id = ?");
  clips.BindAll(user_id);
  if (clips.Step()) {
    p.clips_total = clips.Int(0);
    p.clips_pending = clips.Int(1);
    p.clips_active = clips.Int(2);
    p.clips_locked = clips.Int(3);
  }
  clips.Reset();
  if (p.votes_total > 0) {
    auto& rank = db_.Prepare(
        "SELECT COUNT(*) + 1 FROM (SELECT user_id FROM votes WHERE user_id IS NOT NULL "
        "GROUP BY user_id HAVING COUNT(*) > ?)");
    rank.BindAll(p.votes_total);
    if (rank.Step()) p.rank = rank.Int(0);
    rank.Reset();
  }
  auto& days = db_.Prepare(
      "SELECT DISTINCT created_at / 86400000 AS d FROM votes WHERE user_id = ? ORDER BY d DESC "
      "LIMIT 366");
  days.BindAll(user_id);
  while (days.Step()) p.vote_days.push_back(days.Int(0));
  days.Reset();
  return p;
}

std::vector<VoteHistoryEntry> SqliteStore::VoteHistory(Id user_id, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, clip_id, vote_type, vote_weight, created_at FROM votes WHERE user_id = ? "
      "ORDER BY id DESC LIMIT ?");
  st.BindAll(user_id, limit);
  struct Row {
    Id id, clip;
    std::string type;
    int weight;
    EpochMs at;
  };
  const auto rows = All<Row>(st, [](const Statement& r) {
    return Row{r.Int(0), r.Int(1), r.Text(2), static_cast<int>(r.Int(3)), r.Int(4)};
  });
  std::vector<VoteHistoryEntry> out;
  for (const auto& r : rows) {
    auto clip = FindClip(r.clip);
    if (!clip) continue;
    out.push_back(VoteHistoryEntry{r.id, r.type, r.weight, r.at, *clip});
  }
  return out;
}

// ---- Comments --------------------------------------------------------------------------------

namespace {
// ?9 is the viewer (NULL when anonymous) for liked_by_me.
constexpr std::string_view kCommentColumns =
    "SELECT m.id, m.clip_id, m.user_id, "
    "CASE WHEN m.user_id IS NULL THEN 'deleted user' ELSE COALESCE(u.username, '') END, "
    "COALESCE(u.avatar_url, ''), "
    "m.parent_comment_id, m.comment_text, m.likes_count, "
    "EXISTS (SELECT 1 FROM comment_likes l WHERE l.comment_id = m.id AND l.user_id = ?9), "
    "m.is_deleted, m.moderation_status, m.created_at "
    "FROM comments m LEFT JOIN users u ON u.id = m.user_id ";
// Visible: not deleted and approved (pending, flagged and rejected comments wait for, or failed,
// moderation), and (for replies) the parent is visible too.
constexpr std::string_view kVisible = "m.is_deleted = 0 AND m.moderation_status = 'approved' ";
// Comments by people the viewer blocked are hidden from the viewer.
constexpr std::string_view kNotBlockedByViewer =
    "AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = ?9 AND b.blocked_id = m.user_id) ";

Comment ReadComment(const Statement& st) {
  Comment c;
  c.id = st.Int(0);
  c.clip_id = st.Int(1);
  c.user_id = st.Int(2);
  c.username = st.Text(3);
  c.avatar_url = st.Text(4);
  c.parent_id = st.OptInt(5);
  c.text = st.Text(6);
  c.likes = st.Int(7);
  c.liked_by_me = st.Int(8) != 0;
  c.deleted = st.Int(9) != 0;
  c.status = ParseCommentStatus(st.Text(10)).value_or(CommentStatus::kApproved);
  c.created_at = st.Int(11);
  return c;
}

// Id lists travel as one JSON array parameter (json_each), so the statement text — and the
// prepared-statement cache — does not vary with the list.
std::string IdArrayJson(const std::vector<Id>& ids) {
  std::string out = "[";
  for (Id id : ids) {
    if (out.size() > 1) out += ",";
    out += std::to_string(id);
  }
  return out + "]";
}
}  // namespace

Comment SqliteStore::InsertComment(const Comment& c) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO comments (clip_id, user_id, parent_comment_id, comment_text, created_at, "
         "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)")
      .BindAll(c.clip_id, c.user_id, c.parent_id, c.text, c.created_at)
      .Run();
  return *FindComment(db_.LastInsertId());
}

std::optional<Comment> SqliteStore::FindComment(Id id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kCommentColumns, "WHERE m.id = ?1"));
  st.Bind(1, id).BindNull(9);
  return One<Comment>(st, ReadComment);
}

std::vector<Comment> SqliteStore::ListTopLevel(Id clip_id, Order order,
                                               const std::optional<CommentCursor>& after, int limit,
                                               std::optional<Id> viewer) {
  Guard g(db_.lock());
  const std::string where = "WHERE m.clip_id = ?1 AND m.parent_comment_id IS NULL AND " +
                            std::string(kVisible) + std::string(kNotBlockedByViewer);
  const std::string sql =
      order == Order::kNewest
          ? Sql(kCommentColumns,
                where +
                    "AND (?2 IS NULL OR m.created_at < ?2 OR (m.created_at = ?2 AND m.id < ?3)) "
                    "ORDER BY m.created_at DESC, m.id DESC LIMIT ?4")
          : Sql(kCommentColumns,
                where +
                    "AND (?2 IS NULL OR m.likes_count < ?2 OR (m.likes_count = ?2 AND m.id < ?3)) "
                    "ORDER BY m.likes_count DESC, m.id DESC LIMIT ?4");
  auto& st = db_.Prepare(sql);
  st.Bind(1, clip_id);
  if (after) {
    st.Bind(2, after->key).Bind(3, after->id);
  } else {
    st.BindNull(2).BindNull(3);
  }
  st.Bind(4, limit).Bind(9, viewer);
  return All<Comment>(st, ReadComment);
}

std::vector<Comment> SqliteStore::ListReplies(const std::vector<Id>& parent_ids,
                                              std::optional<Id> viewer) {
  if (parent_ids.empty()) return {};
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      Sql(kCommentColumns, "WHERE m.parent_comment_id IN (SELECT value FROM json_each(?1)) AND " +
                               std::string(kVisible) + std::string(kNotBlockedByViewer) +
                               "ORDER BY m.created_at, m.id"));
  st.Bind(1, IdArrayJson(parent_ids)).Bind(9, viewer);
  return All<Comment>(st, ReadComment);
}

bool SqliteStore::AddLike(Id comment_id, Id user_id, EpochMs now) {
  Guard g(db_.lock());
  bool added = false;
  Transaction([&] {
    db_.Prepare(
           "INSERT OR IGNORE INTO comment_likes (comment_id, user_id, created_at) VALUES (?,?,?)")
        .BindAll(comment_id, user_id, now)
        .Run();
    added = db_.Changes() == 1;
    if (added) {
      db_.Prepare("UPDATE comments SET likes_count = likes_count + 1 WHERE id = ?")
          .BindAll(comment_id)
          .Run();
    }
  });
  return added;
}

bool SqliteStore::RemoveLike(Id comment_id, Id user_id) {
  Guard g(db_.lock());
  bool removed = false;
  Transaction([&] {
    db_.Prepare("DELETE FROM comment_likes WHERE comment_id = ? AND user_id = ?")
        .BindAll(comment_id, user_id)
        .Run();
    removed = db_.Changes() == 1;
    if (removed) {
      db_.Prepare("UPDATE comments SET likes_count = likes_count - 1 WHERE id = ?")
          .BindAll(comment_id)
          .Run();
    }
  });
  return removed;
}

void SqliteStore::SoftDeleteComment(Id id) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE comments SET is_deleted = 1, updated_at = CAST(strftime('%s','now') AS INTEGER) * "
         "1000 WHERE id = ?")
      .BindAll(id)
      .Run();
}

void SqliteStore::SetCommentStatus(Id id, CommentStatus status) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE comments SET moderation_status = ? WHERE id = ?")
      .BindAll(ToString(status), id)
      .Run();
}

std::vector<std::pair<Id, std::int64_t>> SqliteStore::CountComments(
    const std::vector<Id>& clip_ids) {
  if (clip_ids.empty()) return {};
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT m.clip_id, COUNT(*) FROM comments m WHERE m.clip_id IN "
      "(SELECT value FROM json_each(?1)) AND " +
      std::string(kVisible) + "GROUP BY m.clip_id");
  st.Bind(1, IdArrayJson(clip_ids));
  return All<std::pair<Id, std::int64_t>>(
      st, [](const Statement& r) { return std::make_pair(r.Int(0), r.Int(1)); });
}

std::vector<Comment> SqliteStore::ListCommentsByStatus(std::optional<CommentStatus> status,
                                                       int limit, int offset) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kCommentColumns,
                             "WHERE m.is_deleted = 0 AND (?1 IS NULL OR m.moderation_status = ?1) "
                             "ORDER BY m.id DESC LIMIT ?2 OFFSET ?3"));
  if (status) {
    st.Bind(1, ToString(*status));
  } else {
    st.BindNull(1);
  }
  st.Bind(2, limit).Bind(3, offset).BindNull(9);
  return All<Comment>(st, ReadComment);
}

}  // namespace aimoviez::sqlite

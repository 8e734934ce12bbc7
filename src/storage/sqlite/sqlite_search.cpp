// Search on SQLite (migration 19): FTS5 for clip text, a LIKE prefix for creator names.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kPublic = "c.status IN ('active', 'locked', 'eliminated')";

std::string_view OrderBy(SearchSort sort) {
  switch (sort) {
    case SearchSort::kNew:
      return "ORDER BY c.created_at DESC, c.id DESC ";
    case SearchSort::kTrending:
      // Votes per hour of age, softened so a clip a minute old does not top everything.
      return "ORDER BY c.vote_count / ((?5 - c.created_at) / 3600000.0 + 2.0) DESC, c.id DESC ";
    case SearchSort::kTop:
      break;
  }
  return "ORDER BY c.vote_count DESC, c.id DESC ";
}

// The FTS5 query: each word quoted (so it is never FTS5 syntax) and made a prefix, all required
// ("rain gla" → "rain"* "gla"*).
std::string FtsMatch(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out.push_back(' ');
    out.push_back('"');
    for (char c : word) {
      if (c == '"') out.push_back('"');  // doubled, as FTS5 escapes a quote inside a string
      out.push_back(c);
    }
    out.append("\"*");
  }
  return out;
}

}  // namespace

std::vector<Id> SqliteStore::SearchClips(const ClipSearch& q) {
  Guard g(db_.lock());
  std::string sql = "SELECT c.id FROM tournament_clips c WHERE ";
  sql += kPublic;
  sql +=
      " AND (?1 = '' OR c.id IN (SELECT rowid FROM clip_search WHERE clip_search MATCH ?1)) "
      "AND (?2 IS NULL OR c.genre = ?2) ";
  sql += OrderBy(q.sort);
  sql += "LIMIT ?3 OFFSET ?4";
  auto& st = db_.Prepare(sql);
  st.BindAll(FtsMatch(q.words), q.genre, q.limit, q.offset);
  if (q.sort == SearchSort::kTrending) st.Bind(5, q.now);
  return All<Id>(st, [](const Statement& s) { return s.Int(0); });
}

std::vector<User> SqliteStore::SearchCreators(std::string_view prefix, int offset, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT u.id, u.username, u.avatar_url, u.created_at FROM users u "
      "WHERE u.username IS NOT NULL AND u.username <> '' AND u.is_banned = 0 "
      "AND lower(u.username) LIKE ?1 || '%' ESCAPE '\\' "
      "AND EXISTS (SELECT 1 FROM tournament_clips c WHERE c.user_id = u.id AND "
      "c.creator_deleted = 0 AND c.status IN ('active', 'locked', 'eliminated')) "
      "ORDER BY lower(u.username) LIMIT ?2 OFFSET ?3");
  st.BindAll(prefix, limit, offset);
  return All<User>(st, [](const Statement& s) {
    User u;
    u.id = s.Int(0);
    u.username = s.Text(1);
    u.avatar_url = s.Text(2);
    u.created_at = s.Int(3);
    return u;
  });
}

}  // namespace aimoviez::sqlite

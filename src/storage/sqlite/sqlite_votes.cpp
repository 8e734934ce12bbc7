// Votes on SQLite: the engine's batched writes, a round's rows for recounts and logs, and views.
#include <charconv>

#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/vote_columns.h"

namespace aimoviez::sqlite {

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

}  // namespace aimoviez::sqlite

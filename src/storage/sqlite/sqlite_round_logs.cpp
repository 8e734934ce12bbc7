// Verifiable rounds on SQLite (migration 21): published round logs and their frozen leaves.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kRoundLogColumns =
    "SELECT season_id, slot_position, revision, tree_size, root_hash, winner_clip_id, "
    "winner_assigned, tally_json, alarm, published_at, season_log_index FROM round_logs ";

merkle::Hash HashColumn(const Statement& s, int col) {
  auto hash = merkle::FromBytes(s.TextView(col));
  return hash ? *hash : merkle::Hash{};
}

std::string_view HashBytes(const merkle::Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

RoundLogRecord ReadRoundLog(const Statement& s) {
  RoundLogRecord r;
  r.season_id = s.Int(0);
  r.slot = static_cast<int>(s.Int(1));
  r.revision = static_cast<int>(s.Int(2));
  r.tree_size = static_cast<std::uint64_t>(s.Int(3));
  r.root = HashColumn(s, 4);
  r.winner_clip_id = s.OptInt(5);
  r.winner_assigned = s.Int(6) != 0;
  r.tally_json = s.Text(7);
  r.alarm = s.Text(8);
  r.published_at = s.Int(9);
  r.season_log_index = static_cast<std::uint64_t>(s.Int(10));
  return r;
}

}  // namespace

void SqliteStore::InsertRoundLog(const RoundLogRecord& r,
                                 const std::vector<StoredRoundLeaf>& leaves) {
  Transaction([&] {
    db_.Prepare(
           "INSERT INTO round_logs (season_id, slot_position, revision, tree_size, root_hash, "
           "winner_clip_id, winner_assigned, tally_json, alarm, published_at, season_log_index) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, r.season_id)
        .Bind(2, r.slot)
        .Bind(3, r.revision)
        .Bind(4, static_cast<std::int64_t>(r.tree_size))
        .BindBlob(5, HashBytes(r.root))
        .Bind(6, r.winner_clip_id)
        .Bind(7, r.winner_assigned)
        .Bind(8, r.tally_json)
        .Bind(9, r.alarm)
        .Bind(10, r.published_at)
        .Bind(11, static_cast<std::int64_t>(r.season_log_index))
        .Run();
    auto& insert = db_.Prepare(
        "INSERT INTO round_leaves (season_id, slot_position, revision, leaf_index, leaf, "
        "leaf_hash, clip_id, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& leaf : leaves) {
      insert.Reset();
      insert.Bind(1, r.season_id)
          .Bind(2, r.slot)
          .Bind(3, r.revision)
          .Bind(4, static_cast<std::int64_t>(leaf.index))
          .BindBlob(5, leaf.leaf)
          .BindBlob(6, HashBytes(leaf.leaf_hash))
          .Bind(7, leaf.clip_id)
          .Bind(8, leaf.weight)
          .Run();
    }
  });
}

std::optional<RoundLogRecord> SqliteStore::FindRoundLog(Id season_id, int slot) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kRoundLogColumns,
                             "WHERE season_id = ? AND slot_position = ? "
                             "ORDER BY revision DESC LIMIT 1"));
  st.BindAll(season_id, slot);
  return One<RoundLogRecord>(st, ReadRoundLog);
}

std::vector<RoundLogRecord> SqliteStore::ListSeasonLog(Id season_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kRoundLogColumns, "WHERE season_id = ? ORDER BY season_log_index"));
  st.BindAll(season_id);
  return All<RoundLogRecord>(st, ReadRoundLog);
}

std::vector<StoredRoundLeaf> SqliteStore::ListRoundLeaves(Id season_id, int slot, int revision,
                                                          std::uint64_t from, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT leaf_index, leaf, leaf_hash, clip_id, weight FROM round_leaves "
      "WHERE season_id = ? AND slot_position = ? AND revision = ? AND leaf_index >= ? "
      "ORDER BY leaf_index LIMIT ?");
  st.BindAll(season_id, slot, revision, static_cast<std::int64_t>(from), limit);
  return All<StoredRoundLeaf>(st, [](const Statement& s) {
    return StoredRoundLeaf{static_cast<std::uint64_t>(s.Int(0)), s.Text(1), HashColumn(s, 2),
                           s.Int(3), static_cast<int>(s.Int(4))};
  });
}

void SqliteStore::ForEachRoundLeafHash(Id season_id, int slot, int revision,
                                       const std::function<void(const merkle::Hash&)>& visit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT leaf_hash FROM round_leaves WHERE season_id = ? AND slot_position = ? "
      "AND revision = ? ORDER BY leaf_index");
  st.BindAll(season_id, slot, revision);
  while (st.Step()) visit(HashColumn(st, 0));
  st.Reset();
}

std::optional<std::uint64_t> SqliteStore::FindRoundLeafIndex(Id season_id, int slot, int revision,
                                                             const merkle::Hash& leaf_hash) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT leaf_index FROM round_leaves WHERE season_id = ? AND slot_position = ? "
      "AND revision = ? AND leaf_hash = ?");
  st.BindAll(season_id, slot, revision);
  st.BindBlob(4, HashBytes(leaf_hash));
  return One<std::uint64_t>(
      st, [](const Statement& s) { return static_cast<std::uint64_t>(s.Int(0)); });
}

}  // namespace aimoviez::sqlite

#include "storage/postgres/pg_round_logs.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// Leaves written per statement, and read per round trip when a round's tree is rebuilt.
constexpr std::size_t kLeavesPerStatement = 5'000;
constexpr int kLeafPage = 10'000;

constexpr std::string_view kRoundLogColumns =
    "SELECT season_id, slot_position, revision, tree_size, root_hash, winner_clip_id, "
    "winner_assigned, tally_json, alarm, published_at, season_log_index FROM round_logs ";

std::string_view HashBytes(const merkle::Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

merkle::Hash HashColumn(const Rows& r, int i, int col) {
  return merkle::FromBytes(r.Bytes(i, col)).value_or(merkle::Hash{});
}

RoundLogRecord ReadRoundLog(const Rows& r, int i) {
  RoundLogRecord log;
  log.season_id = r.Int(i, 0);
  log.slot = static_cast<int>(r.Int(i, 1));
  log.revision = static_cast<int>(r.Int(i, 2));
  log.tree_size = static_cast<std::uint64_t>(r.Int(i, 3));
  log.root = HashColumn(r, i, 4);
  log.winner_clip_id = r.OptInt(i, 5);
  log.winner_assigned = r.Bool(i, 6);
  log.tally_json = r.Text(i, 7);
  log.alarm = r.Text(i, 8);
  log.published_at = r.Int(i, 9);
  log.season_log_index = static_cast<std::uint64_t>(r.Int(i, 10));
  return log;
}

}  // namespace

void PgRoundLogRepository::InsertRoundLog(const RoundLogRecord& r,
                                          const std::vector<StoredRoundLeaf>& leaves) {
  db_.Transaction([&] {
    Params log;
    log.Add(r.season_id).Add(r.slot).Add(r.revision).Add(static_cast<std::int64_t>(r.tree_size));
    log.AddBytes(HashBytes(r.root)).Add(r.winner_clip_id).Add(r.winner_assigned);
    log.Add(r.tally_json).Add(r.alarm).Add(r.published_at);
    log.Add(static_cast<std::int64_t>(r.season_log_index));
    db_.Exec(
        "INSERT INTO round_logs (season_id, slot_position, revision, tree_size, root_hash, "
        "winner_clip_id, winner_assigned, tally_json, alarm, published_at, season_log_index) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        log);
    // The leaves in a few large statements: a round can have millions.
    for (std::size_t start = 0; start < leaves.size(); start += kLeavesPerStatement) {
      const std::size_t end = std::min(leaves.size(), start + kLeavesPerStatement);
      ArrayLiteral index, leaf, hash, clip, weight;
      for (std::size_t k = start; k < end; ++k) {
        index.Int(static_cast<std::int64_t>(leaves[k].index));
        leaf.Bytes(leaves[k].leaf);
        hash.Bytes(HashBytes(leaves[k].leaf_hash));
        clip.Int(leaves[k].clip_id);
        weight.Int(leaves[k].weight);
      }
      db_.Exec(
          "INSERT INTO round_leaves (season_id, slot_position, revision, leaf_index, leaf, "
          "leaf_hash, clip_id, weight) SELECT $1, $2, $3, * FROM unnest($4::bigint[], "
          "$5::bytea[], $6::bytea[], $7::bigint[], $8::int[])",
          Params(r.season_id, r.slot, r.revision, index, leaf, hash, clip, weight));
    }
  });
}

std::optional<RoundLogRecord> PgRoundLogRepository::FindRoundLog(Id season_id, int slot) {
  return ReadFirst<RoundLogRecord>(
      db_.Exec(std::string(kRoundLogColumns) +
                   "WHERE season_id = $1 AND slot_position = $2 ORDER BY revision DESC LIMIT 1",
               Params(season_id, slot)),
      ReadRoundLog);
}

std::vector<RoundLogRecord> PgRoundLogRepository::ListSeasonLog(Id season_id) {
  return ReadAll<RoundLogRecord>(
      db_.Exec(std::string(kRoundLogColumns) + "WHERE season_id = $1 ORDER BY season_log_index",
               Params(season_id)),
      ReadRoundLog);
}

std::vector<StoredRoundLeaf> PgRoundLogRepository::ListRoundLeaves(Id season_id, int slot,
                                                                   int revision, std::uint64_t from,
                                                                   int limit) {
  return ReadAll<StoredRoundLeaf>(
      db_.Exec("SELECT leaf_index, leaf, leaf_hash, clip_id, weight FROM round_leaves "
               "WHERE season_id = $1 AND slot_position = $2 AND revision = $3 AND "
               "leaf_index >= $4 ORDER BY leaf_index LIMIT $5",
               Params(season_id, slot, revision, static_cast<std::int64_t>(from), limit)),
      [](const Rows& r, int i) {
        return StoredRoundLeaf{static_cast<std::uint64_t>(r.Int(i, 0)), r.Bytes(i, 1),
                               HashColumn(r, i, 2), r.Int(i, 3), static_cast<int>(r.Int(i, 4))};
      });
}

void PgRoundLogRepository::ForEachRoundLeafHash(
    Id season_id, int slot, int revision, const std::function<void(const merkle::Hash&)>& visit) {
  std::int64_t from = 0;
  for (;;) {
    const auto rows = db_.Exec(
        "SELECT leaf_hash, leaf_index FROM round_leaves WHERE season_id = $1 AND "
        "slot_position = $2 AND revision = $3 AND leaf_index >= $4 ORDER BY leaf_index LIMIT $5",
        Params(season_id, slot, revision, from, kLeafPage));
    for (int i = 0; i < rows.size(); ++i) visit(HashColumn(rows, i, 0));
    if (rows.size() < kLeafPage) return;
    from = rows.Int(rows.size() - 1, 1) + 1;
  }
}

std::optional<std::uint64_t> PgRoundLogRepository::FindRoundLeafIndex(
    Id season_id, int slot, int revision, const merkle::Hash& leaf_hash) {
  Params params(season_id, slot, revision);
  params.AddBytes(HashBytes(leaf_hash));
  return ReadFirst<std::uint64_t>(
      db_.Exec("SELECT leaf_index FROM round_leaves WHERE season_id = $1 AND slot_position = $2 "
               "AND revision = $3 AND leaf_hash = $4",
               params),
      [](const Rows& r, int i) { return static_cast<std::uint64_t>(r.Int(i, 0)); });
}

}  // namespace aimoviez::pg

// Storage port for verifiable rounds: each published round log (its root, tally and winner) with
// a frozen copy of its leaves, so what was published stays recountable whatever later happens to
// the vote rows (account deletion, a slot reset), and the season logs that chain the roots.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/merkle.h"
#include "domain/model.h"

namespace aimoviez {

struct RoundLogRecord {
  Id season_id = 0;
  int slot = 0;
  int revision = 1;  // 1 for the first closing; an admin's unlock and re-close adds one
  std::uint64_t tree_size = 0;
  merkle::Hash root{};
  std::optional<Id> winner_clip_id;
  bool winner_assigned = false;  // an admin's choice rather than the winner rule's
  std::string tally_json;        // [{clipId, votes, score, submittedAt}] in the rule's order
  std::string alarm;             // empty, or why the tally disagrees with what was locked
  EpochMs published_at = 0;
  std::uint64_t season_log_index = 0;  // this round's leaf in its season's log
};

struct StoredRoundLeaf {
  std::uint64_t index = 0;
  std::string leaf;  // the canonical bytes (round_log.h)
  merkle::Hash leaf_hash{};
  Id clip_id = 0;
  int weight = 1;
};

class RoundLogRepository {
 public:
  virtual ~RoundLogRepository() = default;
  // One transaction: the record (its revision and season_log_index as given) and its leaves.
  virtual void InsertRoundLog(const RoundLogRecord& record,
                              const std::vector<StoredRoundLeaf>& leaves) = 0;
  // The latest revision of a round's log.
  virtual std::optional<RoundLogRecord> FindRoundLog(Id season_id, int slot) = 0;
  // Every round published for the season, in season-log order.
  virtual std::vector<RoundLogRecord> ListSeasonLog(Id season_id) = 0;
  // Leaves from index `from`, in tree order.
  virtual std::vector<StoredRoundLeaf> ListRoundLeaves(Id season_id, int slot, int revision,
                                                       std::uint64_t from, int limit) = 0;
  virtual void ForEachRoundLeafHash(Id season_id, int slot, int revision,
                                    const std::function<void(const merkle::Hash&)>& visit) = 0;
  virtual std::optional<std::uint64_t> FindRoundLeafIndex(Id season_id, int slot, int revision,
                                                          const merkle::Hash& leaf_hash) = 0;
};

}  // namespace aimoviez

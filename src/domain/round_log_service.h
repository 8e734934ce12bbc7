// Publishes each closed round's log and answers the questions an auditor asks of it: the
// record (root, tally, winner), the leaves to recount, a receipt's inclusion proof, and the
// season log with consistency proofs between its sizes (docs/VERIFIABILITY.md).
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/merkle.h"
#include "common/time.h"
#include "domain/errors.h"
#include "domain/ports.h"
#include "domain/round_log.h"

namespace aimoviez {

struct InclusionAnswer {
  RoundLogRecord record;
  std::uint64_t leaf_index = 0;
  std::vector<merkle::Hash> audit_path;
};

struct SeasonLogAnswer {
  std::vector<RoundLogRecord> entries;  // every published round, in log order
  std::vector<std::string> leaves;      // each entry's season-log leaf (canonical bytes)
  merkle::Hash root{};                  // of all entries
  // Asked for with from/to: the proof that the log of `from` entries is a prefix of `to`'s.
  std::optional<std::uint64_t> from;
  std::optional<std::uint64_t> to;
  merkle::Hash from_root{};
  merkle::Hash to_root{};
  std::vector<merkle::Hash> consistency;
};

class RoundLogService {
 public:
  RoundLogService(Store& store, const Clock& clock, std::string secret)
      : store_(store), clock_(clock), secret_(std::move(secret)) {}

  // The log of a round that has just closed: its stored votes (revoked and invalidated ones
  // are gone from them) as leaves in vote order, the tally they imply over the round's `clips`,
  // and the locked winner, checked against the winner rule unless an admin `assigned` it. A
  // disagreement is published with the record as its alarm and logged as an error.
  RoundLogRecord Publish(Id season_id, int slot, const std::vector<ClipStanding>& clips,
                         std::optional<Id> locked_winner, bool assigned);

  std::optional<RoundLogRecord> Find(Id season_id, int slot) {
    return store_.FindRoundLog(season_id, slot);
  }
  std::vector<StoredRoundLeaf> Leaves(const RoundLogRecord& record, std::uint64_t from, int limit) {
    return store_.ListRoundLeaves(record.season_id, record.slot, record.revision, from, limit);
  }
  Result<InclusionAnswer> Proof(Id season_id, int slot, const merkle::Hash& leaf_hash);
  Result<SeasonLogAnswer> SeasonLog(Id season_id, std::optional<std::uint64_t> from,
                                    std::optional<std::uint64_t> to);

  // The voter pseudonym key of a round (receipts are made with it when votes are cast).
  std::string PseudonymKey(Id season_id, int slot) const {
    return RoundPseudonymKey(secret_, season_id, slot);
  }
  // Rounds published with an alarm since start.
  std::uint64_t alarms() const { return alarms_.load(); }

 private:
  // The round's tree, from a small cache of the latest ones (a large round's tree is rebuilt
  // from its stored leaf hashes once, not for every proof).
  std::shared_ptr<const merkle::Tree> TreeOf(const RoundLogRecord& record);
  void Remember(const RoundLogRecord& record, std::shared_ptr<const merkle::Tree> tree);

  Store& store_;
  const Clock& clock_;
  const std::string secret_;
  std::mutex publish_mutex_;
  std::atomic<std::uint64_t> alarms_{0};

  struct CachedTree {
    Id season_id;
    int slot;
    int revision;
    std::shared_ptr<const merkle::Tree> tree;
  };
  static constexpr std::size_t kCachedTrees = 2;
  std::mutex cache_mutex_;
  std::list<CachedTree> cache_;  // most recent first
};

}  // namespace aimoviez

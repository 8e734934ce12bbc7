// The embedded vote engine: the open slot's state in memory (clip counters, impressions, the
// voted and seen sets, per-voter day counts and rate windows, per-IP windows), authoritative for
// every decision, with group commit to the system of record. A vote is answered only after the
// transaction holding it has committed; a failed commit undoes its votes in memory and answers
// 503. Owns no HTTP types; reaches storage only through the VoteRepository port.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "domain/ports.h"
#include "domain/rate_limit.h"
#include "domain/vote_engine.h"
#include "engine/local/network_budget.h"
#include "engine/local/sharded_table.h"
#include "engine/local/voter_id.h"

namespace aimoviez::engine {

struct EngineStats {
  std::uint64_t batches = 0;
  std::uint64_t rows = 0;
  std::uint64_t largest_batch = 0;
  double commit_seconds = 0;  // time spent in the store committing batches
  std::uint64_t views = 0;    // impression rows written
  std::uint64_t duplicate_rows_at_load = 0;
  double last_load_seconds = 0;
  std::uint64_t voters = 0;           // voters and readers held in memory
  std::uint64_t network_entries = 0;  // today's per-network counts
};

class LocalVoteEngine final : public VoteEngine {
 public:
  LocalVoteEngine(Store& store, const Clock& clock, VotePolicy policy);
  ~LocalVoteEngine() override;

  void Load() override;
  void Exclusive(const std::function<void()>& work) override;
  void Cast(const CastRequest& request, VoteCallback done) override;
  void Revoke(const RevokeRequest& request, VoteCallback done) override;
  VoterFeed Feed(const FeedRequest& request) override;
  std::optional<ClipCounts> Counts(Id clip_id) override;
  std::optional<OpenRound> Round() override;

  // Reloads when another process changed the open slot (the CLI job, an admin on another node);
  // true when it did.
  bool ReloadIfRoundChanged() override;
  // Stops the writer after committing everything queued.
  void Shutdown() override;
  EngineStats Stats();

 private:
  struct ClipState {
    std::shared_ptr<const Clip> clip;  // as loaded; shared with feed answers
    std::uint32_t index = 0;           // dense index used in the voted/seen keys
    std::int64_t votes = 0;
    std::int64_t score = 0;
    std::int64_t impressions = 0;
    bool dirty = false;
  };
  struct VoteRef {
    Id row_id = 0;
    int weight = 1;
    VoteType type = VoteType::kStandard;
    EpochMs created_at = 0;
  };
  struct VoterState {
    EpochMs day_start = 0;
    int day_count = 0;
    RateWindow rate;
    EpochMs last_vote_at = 0;
    int rapid_streak = 0;
    std::uint8_t power_used = 0;  // bit 0: super, bit 1: mega (this round)
    // Clips of the open round this voter has been shown: bit i is the clip with dense index i.
    // A few words per voter, where a hash set of (voter, clip) keys took ~40 bytes per entry and
    // a node allocation per impression.
    std::vector<std::uint64_t> seen;

    bool Seen(std::uint32_t clip) const {
      const std::size_t word = clip / 64;
      return word < seen.size() && ((seen[word] >> (clip % 64)) & 1U) != 0;
    }
    // Marks the clip seen; false when it already was.
    bool MarkSeen(std::uint32_t clip) {
      const std::size_t word = clip / 64;
      if (word >= seen.size()) seen.resize(word + 1, 0);
      const std::uint64_t bit = std::uint64_t{1} << (clip % 64);
      if ((seen[word] & bit) != 0) return false;
      seen[word] |= bit;
      return true;
    }
  };
  struct PendingWrite {
    VoteWrite write;
    VoteCallback done;
    VoteOutcome outcome;
    RateLimitInfo rate;
    std::function<void()> undo;  // reverts the memory change if the commit fails
  };

  void LoadLocked();
  // The state lock, taken once no round change (Exclusive) is in progress.
  std::unique_lock<std::mutex> LockWhenNoRoundChange();
  // The open slot's clip, or why it cannot take (or give back) a vote now.
  Result<ClipState*> FindVotableClip(Id clip_id, EpochMs now, bool check_deadline);
  // The voter's dense index, added (with a fresh state) when first seen.
  std::uint32_t VoterIndex(std::string_view key);
  std::uint32_t VoterIndex(const VoterId& id);
  static std::uint64_t Key(std::uint32_t voter, std::uint32_t clip_index) {
    return (static_cast<std::uint64_t>(voter) << 32) | clip_index;
  }
  // Counts this attempt in the window; false (with the info filled) when over the limit.
  static bool Admit(RateWindow& w, int limit, EpochMs now, RateLimitInfo& info);
  void RollDay(VoterState& v, EpochMs now) const;
  void Enqueue(PendingWrite pending);
  void WriterLoop();
  VoteOutcome OutcomeFor(const ClipState& clip, const VoterState& voter) const;

  Store& store_;
  const Clock& clock_;
  VotePolicy policy_;

  std::mutex mutex_;  // guards everything below
  std::condition_variable writer_cv_;
  std::condition_variable idle_cv_;
  bool paused_ = false;
  bool stopping_ = false;
  bool writing_ = false;
  std::optional<OpenRound> round_;
  bool voting_open_ = false;  // the open slot is `voting` (not waiting for clips)
  std::unordered_map<Id, ClipState> clips_;
  std::vector<Id> clip_order_;
  // Per-voter state lives in deques (growing one never moves what is there) and the tables that
  // grow with voters are sharded, so no growth step holds the lock for long. They are Boost's
  // open-addressing maps: with std::unordered_map, adding a voter (a node allocation and a walk
  // of a bucket chain) was ~7 % of a vote's instructions in the benchmark, where every vote is a
  // new voter.
  ShardedTable<boost::unordered_flat_map<VoterId, std::uint32_t, VoterIdHash>> voter_ids_;
  std::deque<VoterState> voters_;
  EpochMs day_of_new_voters_ = 0;  // the UTC day a voter first seen starts in (set at load)
  ShardedTable<boost::unordered_flat_map<std::uint64_t, VoteRef>> votes_;
  std::unordered_multimap<std::uint64_t, VoteRef> extra_votes_;  // multi-vote beyond the first
  KeyedWindows ip_windows_;
  NetworkBudget network_budget_;  // anonymous votes per network today
  Id next_row_id_ = 1;
  std::deque<PendingWrite> queue_;
  std::vector<ViewRecord> pending_views_;
  std::chrono::steady_clock::time_point views_pending_since_;
  EngineStats stats_;
  EpochMs last_snapshot_ = 0;
  std::mt19937_64 rng_{std::random_device{}()};
  std::thread writer_;
};

}  // namespace aimoviez::engine

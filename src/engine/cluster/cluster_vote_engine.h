// Cluster mode's vote engine, one per node. Where the embedded engine decides every vote in its
// own memory, this one decides none: each node's writer hands its batch of votes to the shared
// VoteLedger (PostgreSQL), which decides one vote per voter, clip and round, the daily cap and
// the power votes against what every node has stored, and commits the batch in one
// transaction. A vote is answered only after that commit. The per-voter and per-IP rate windows
// are the shared RateWindows (Redis); when they cannot be checked the vote is refused with 503
// LIMITS_UNAVAILABLE, never let through unchecked.
//
// What the node keeps is a cache: the open round and its clips, and their tallies, read from the
// ledger every tally interval (so every node shows the stored counts within one interval) and
// moved at once by the node's own accepted votes. The feed asks the ledger what the voter has
// voted for and been shown, and records impressions there, so exposure is shared by all nodes.
//
// Per node still (docs/ARCHITECTURE.md): the anonymous per-network budgets.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "domain/ports.h"
#include "domain/rate_windows.h"
#include "domain/vote_engine.h"
#include "domain/vote_ledger.h"
#include "engine/local/network_budget.h"

namespace aimoviez::engine {

struct ClusterEngineOptions {
  // How often the node reads the kept tallies and the open slot from the ledger.
  int tally_interval_ms = 500;
  // How often the node recounts the open round's stored votes against the kept tallies and
  // repairs any drift (a repair is logged and counted). The recount holds the round's slot row,
  // so every node's batches wait for it: not often.
  int reconcile_interval_ms = 5 * 60 * 1000;
  // A vote for a clip (or a round) the cached state does not know makes the node read the open
  // slot again before refusing: another node may have just approved the clip or opened the
  // round. Such reads start at most this often, so unknown clip ids cannot keep a node reading.
  int miss_refresh_spacing_ms = 20;
};

struct ClusterEngineStats {
  std::uint64_t batches = 0;
  std::uint64_t accepted = 0;
  std::uint64_t refused_by_ledger = 0;  // decided against by the ledger after a node let it by
  std::uint64_t failed_commits = 0;
  std::uint64_t refreshes = 0;
  // Reads of the open slot asked for on demand: by a vote the cache refused, by a feed that
  // found its round older than the stored one.
  std::uint64_t demand_refreshes = 0;
  std::uint64_t tally_repairs = 0;  // kept tallies the reconciler found wrong and set right
};

class ClusterVoteEngine final : public VoteEngine {
 public:
  ClusterVoteEngine(Store& store, VoteLedger& ledger, RateWindows& windows, const Clock& clock,
                    VotePolicy policy, ClusterEngineOptions options = {});
  ~ClusterVoteEngine() override;

  void Load() override;
  void Exclusive(const std::function<void()>& work) override;
  void Cast(const CastRequest& request, VoteCallback done) override;
  void Revoke(const RevokeRequest& request, VoteCallback done) override;
  VoterFeed Feed(const FeedRequest& request) override;
  std::optional<ClipCounts> Counts(Id clip_id) override;
  std::optional<OpenRound> Round() override;
  // The open slot is read every tally interval: this says whether a read found it changed by
  // someone other than this node's own round gate.
  bool ReloadIfRoundChanged() override;

  // Reads the open slot and the kept tallies now, as the writer does every tally interval.
  void Refresh();
  // Recounts the open round's stored votes and repairs the kept tallies that differ, as the
  // writer does every reconcile interval; returns how many it repaired.
  std::size_t Reconcile();
  // Stops the writer after committing everything queued.
  void Shutdown() override;
  ClusterEngineStats Stats();

 private:
  struct ClipState {
    std::shared_ptr<const Clip> clip;
    std::uint32_t index = 0;  // dense, for the per-network budget
    ClipTally tally;
  };
  // The open round as last read from storage.
  struct RoundState {
    std::optional<OpenRound> round;
    bool voting_open = false;
    std::unordered_map<Id, ClipState> clips;
    std::vector<Id> clip_order;
    std::int64_t version = 0;  // the ledger's round version read before the round was
  };
  struct Pending {
    bool revoke = false;
    CastRequest cast;
    RevokeRequest withdraw;
    VoteCallback done;
    RateLimitInfo rate;
  };

  RoundState ReadRound();
  // The feed for the round as cached; nullopt when the ledger's round version says another node
  // changed the round since this node read it. Sets *stored_version to the ledger's round version.
  std::optional<VoterFeed> FeedFromCache(const FeedRequest& request, bool accept_stale,
                                         std::int64_t* stored_version = nullptr);
  // Replaces the cached round (when it changed) and its tallies.
  void Install(RoundState fresh, const std::vector<ClipTally>& tallies);
  // The open slot's clip, or why it cannot take (or give back) a vote now. Under the lock.
  Result<ClipState*> FindVotableClip(Id clip_id, EpochMs now, bool check_deadline);
  // FindVotableClip, and when the cache refuses, again after a read of the open slot that began
  // after the refusal (one read at a time, shared by every vote waiting for it). Holds `lock`
  // on return, with no round change in progress.
  Result<ClipState*> FindVotableClipFresh(std::unique_lock<std::mutex>& lock, Id clip_id,
                                          EpochMs now, bool check_deadline);
  // Returns once a read of the open slot that began after the call has finished. One read at a
  // time, shared by every caller waiting for it, and spaced miss_refresh_spacing_ms apart, so a
  // burst of refused votes or of feeds that found their round old costs one or two reads.
  // Holds `lock` on return.
  void RefreshBegunAfterNow(std::unique_lock<std::mutex>& lock);
  // Counts the vote in the shared windows; an Error (rate limited, limits unavailable) or none.
  std::optional<Error> AdmitToWindows(const CastRequest& req, EpochMs now, RateLimitInfo& rate);
  void WriterLoop();
  // Commits a batch of casts in the cached round and answers each. `may_carry`: casts the ledger
  // refused because another node had changed the round meanwhile are committed once more in
  // the new round, when their clip competes there.
  void CommitCasts(std::vector<Pending>& casts, bool may_carry = true);
  // The indices of `casts` whose refusal came from a round another node has changed since this
  // node read it, and whose clip competes in the round as read now (RoundMovedOnFrom).
  std::vector<std::size_t> CastsForANewerRound(const std::vector<Pending>& casts,
                                               const std::vector<LedgerDecision>& decisions,
                                               const OpenRound& committed_in, EpochMs now);
  // Withdraws one vote in the cached round; `may_retry`: when the round holds no such vote and
  // another node has changed the round since this node read it, once more in the new round.
  void CommitRevoke(Pending& pending, bool may_retry = true);
  // Whether the open round is now another than `used`: the ledger's round version is read, and
  // the round itself only when that version is newer than this node's. For refusals a round
  // change elsewhere may explain, so a refusal costs one small read, not a reload.
  bool RoundMovedOnFrom(const OpenRound& used);
  VoteOutcome OutcomeFor(Id clip_id);
  bool Remembers(const FeedRequest& request, const VoterStanding& standing, EpochMs now);

  Store& store_;
  VoteLedger& ledger_;
  RateWindows& windows_;
  const Clock& clock_;
  VotePolicy policy_;
  ClusterEngineOptions options_;

  std::mutex mutex_;  // guards everything below
  std::condition_variable writer_cv_;
  std::condition_variable idle_cv_;
  bool paused_ = false;
  bool stopping_ = false;
  bool writing_ = false;
  bool round_changed_ = false;  // by another process, since ReloadIfRoundChanged last said so
  bool demand_refreshing_ = false;
  std::uint64_t demand_refreshes_started_ = 0;
  std::uint64_t demand_refreshes_done_ = 0;
  std::chrono::steady_clock::time_point last_demand_refresh_{};
  std::condition_variable demand_cv_;
  RoundState state_;
  std::deque<Pending> queue_;
  std::vector<ViewRecord> pending_views_;
  ClusterEngineStats stats_;
  std::thread writer_;
};

}  // namespace aimoviez::engine

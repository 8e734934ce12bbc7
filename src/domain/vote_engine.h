// The vote engine port: the authority for vote decisions on the open slot (dedup, daily cap,
// rate limits, counters). Implemented in memory with group commit by engine/local (embedded
// mode), and in front of the shared vote ledger by engine/cluster (cluster mode).
#pragma once

#include <functional>
#include <optional>

#include "domain/errors.h"
#include "domain/vote_types.h"

namespace aimoviez {

// Round-changing work (advance, unlock, reset, approval) runs through the gate: no vote is
// accepted meanwhile, every accepted vote is durable before the work starts, and the engine
// reloads the open slot from storage after it.
class RoundGate {
 public:
  virtual ~RoundGate() = default;
  virtual void Exclusive(const std::function<void()>& work) = 0;
};

class NoRoundGate final : public RoundGate {
 public:
  void Exclusive(const std::function<void()>& work) override { work(); }
};

using VoteCallback = std::function<void(Result<VoteOutcome>, const RateLimitInfo&)>;

class VoteEngine : public RoundGate {
 public:
  // `done` runs exactly once: at once for a refusal, or after the vote's batch is durable.
  virtual void Cast(const CastRequest& request, VoteCallback done) = 0;
  virtual void Revoke(const RevokeRequest& request, VoteCallback done) = 0;
  // Ranks the open slot for the voter (FeedRanker) and records the page's clips as seen by
  // this voter (once per voter and clip; stored asynchronously).
  virtual VoterFeed Feed(const FeedRequest& request) = 0;
  // Live counts for a clip of the open slot; nullopt for any other clip.
  virtual std::optional<ClipCounts> Counts(Id clip_id) = 0;
  virtual std::optional<OpenRound> Round() = 0;
  // Rebuilds everything from storage (at start).
  virtual void Load() = 0;
  // Whether another process changed the open slot (the CLI job, an admin on another node) since
  // the last call; the engine has taken the change in by the time it says so.
  virtual bool ReloadIfRoundChanged() = 0;
  // Answers everything queued (committed, or refused if the commit fails), then stops taking
  // votes.
  virtual void Shutdown() = 0;
};

}  // namespace aimoviez

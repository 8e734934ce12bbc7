// What one network may add by anonymous votes in a UTC day: at most so many votes per clip (and
// fewer from clients without the signed device cookie, whose identity is only a fingerprint)
// and so many over all clips. A new device cookie or User-Agent is free to make; a network is
// not, so this is what bounds vote stuffing from one place. Signed-in votes are not counted:
// past a budget the answer asks the voter to sign in, so a household or a campus behind one
// address is never simply shut out. Part of the engine's state (guarded by its lock).
#pragma once

#include <cstdint>
#include <optional>

#include <boost/unordered/unordered_flat_map.hpp>

#include "domain/errors.h"
#include "domain/model.h"

namespace aimoviez::engine {

struct NetworkBudgetPolicy {
  int per_clip = 20;
  int unverified_per_clip = 5;
  int per_day = 2000;
  int new_readers_per_day = 200;
};

// Which of a network's budgets a vote went past.
enum class NetworkBudgetSpent { kDay, kClip, kUnverifiedClip };

// The answer to a vote past a budget: 401 AUTH_REQUIRED with the reason the app shows, the limit
// and when it resets. Cluster mode decides the budgets in the ledger and answers with this too.
Error NetworkBudgetRefusal(NetworkBudgetSpent spent, const NetworkBudgetPolicy& policy,
                           EpochMs now);

class NetworkBudget {
 public:
  explicit NetworkBudget(NetworkBudgetPolicy policy) : policy_(policy) {}

  // Forgets every count; `today` is the UTC day start the counts will be for.
  void Reset(EpochMs today);
  // Why a vote from `network` on the clip (dense index of the open round) must be refused now,
  // or nullopt. Records nothing.
  std::optional<Error> Refusal(std::uint64_t network, std::uint32_t clip, bool verified,
                               EpochMs now);
  // Counts an accepted vote; returns the network's votes on the clip today, this one included.
  int Count(std::uint64_t network, std::uint32_t clip, bool verified, EpochMs now);
  // Takes back a vote Count added (its batch failed to commit) if still the same day.
  void Uncount(std::uint64_t network, std::uint32_t clip, bool verified, EpochMs day);
  // At load: a stored vote of today, on a clip of the open round or (clip unset) another round.
  void Restore(std::uint64_t network, std::optional<std::uint32_t> clip, bool verified);
  // Whether another new anonymous reader from the network may be remembered today (counted
  // when yes). Not rebuilt at load: after a restart a network may add that many again.
  bool AdmitNewReader(std::uint64_t network, EpochMs now);
  // Half the per-clip budget used: the network's votes are flagged for review from there on.
  bool Busy(int votes_on_clip) const { return votes_on_clip * 2 > policy_.per_clip; }
  std::size_t entries() const { return per_clip_.size() + per_day_.size() + new_readers_.size(); }

 private:
  struct ClipCount {
    int all = 0;
    int unverified = 0;
  };
  static std::uint64_t ClipKey(std::uint64_t network, std::uint32_t clip) {
    // Network tags are uniformly random bits; mixing in the clip index keeps the pair unique
    // up to a 64-bit collision between two networks, which at worst merges their budgets.
    return network ^ (static_cast<std::uint64_t>(clip + 1) * 0x9E3779B97F4A7C15ULL);
  }
  void RollDay(EpochMs now);

  NetworkBudgetPolicy policy_;
  EpochMs day_ = 0;
  boost::unordered_flat_map<std::uint64_t, ClipCount> per_clip_;
  boost::unordered_flat_map<std::uint64_t, int> per_day_;
  boost::unordered_flat_map<std::uint64_t, int> new_readers_;
};

}  // namespace aimoviez::engine

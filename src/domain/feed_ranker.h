// Orders the open slot's clips for one voter (spec section 8), pure and seedable:
//   1. unvoted and unseen, 2. unvoted but seen, 3. already voted (filler);
//   within a group: clips younger than `fresh_ms` first, then fewest impressions, with ties
//   broken at random — so exposure stays even across clips instead of merely looking random.
#pragma once

#include <random>
#include <unordered_set>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

struct FeedCandidate {
  Id id = 0;
  EpochMs created_at = 0;
  std::int64_t impressions = 0;
  std::int64_t view_count = 0;  // the stored counter the spec's original ordering used
  bool voted = false;
  bool seen = false;
};

struct RankedFeed {
  std::vector<Id> ids;
  bool has_more = false;
};

RankedFeed RankFeed(const std::vector<FeedCandidate>& candidates,
                    const std::unordered_set<Id>& exclude, std::size_t limit, EpochMs now,
                    EpochMs fresh_ms, std::mt19937_64& rng);

// The spec's original ordering (view_count plus random jitter), kept for the fairness benchmark.
RankedFeed RankFeedByViewCountJitter(const std::vector<FeedCandidate>& candidates,
                                     const std::unordered_set<Id>& exclude, std::size_t limit,
                                     double jitter, std::mt19937_64& rng);

}  // namespace aimoviez

#include "domain/feed_ranker.h"

#include <algorithm>
#include <tuple>

namespace aimoviez {

namespace {
int Group(const FeedCandidate& c) {
  if (!c.voted && !c.seen) return 0;
  if (!c.voted) return 1;
  return 2;
}

template <typename KeyT>
RankedFeed TakeTop(std::vector<std::pair<KeyT, Id>>& keyed, std::size_t limit) {
  const std::size_t take = std::min(limit, keyed.size());
  std::partial_sort(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(take), keyed.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; });
  RankedFeed out;
  out.has_more = keyed.size() > take;
  out.ids.reserve(take);
  for (std::size_t i = 0; i < take; ++i) out.ids.push_back(keyed[i].second);
  return out;
}
}  // namespace

RankedFeed RankFeed(const std::vector<FeedCandidate>& candidates,
                    const std::unordered_set<Id>& exclude, std::size_t limit, EpochMs now,
                    EpochMs fresh_ms, std::mt19937_64& rng) {
  using Key = std::tuple<int, int, std::int64_t, std::uint64_t>;
  std::vector<std::pair<Key, Id>> keyed;
  keyed.reserve(candidates.size());
  for (const auto& c : candidates) {
    if (exclude.count(c.id)) continue;
    const int stale = now - c.created_at < fresh_ms ? 0 : 1;
    keyed.push_back({{Group(c), stale, c.impressions, rng()}, c.id});
  }
  return TakeTop(keyed, limit);
}

RankedFeed RankFeedByViewCountJitter(const std::vector<FeedCandidate>& candidates,
                                     const std::unordered_set<Id>& exclude, std::size_t limit,
                                     double jitter, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> noise(0.0, jitter);
  std::vector<std::pair<double, Id>> keyed;
  keyed.reserve(candidates.size());
  for (const auto& c : candidates) {
    if (exclude.count(c.id)) continue;
    keyed.emplace_back(static_cast<double>(c.view_count) + noise(rng), c.id);
  }
  return TakeTop(keyed, limit);
}

}  // namespace aimoviez

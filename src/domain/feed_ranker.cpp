#include "domain/feed_ranker.h"

#include <algorithm>
#include <cstdint>

#include "common/splitmix.h"

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
  // The page's worth picked in linear time, then ordered (a partial sort's heap cost more).
  const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  const auto page_end = keyed.begin() + static_cast<std::ptrdiff_t>(take);
  if (take < keyed.size()) std::nth_element(keyed.begin(), page_end, keyed.end(), by_key);
  std::sort(keyed.begin(), page_end, by_key);
  RankedFeed out;
  out.has_more = keyed.size() > take;
  out.ids.reserve(take);
  for (std::size_t i = 0; i < take; ++i) out.ids.push_back(keyed[i].second);
  return out;
}

// The ordering as one integer, compared in one instruction (comparing a tuple of four fields was
// most of the ranking's cost): group in the top two bits, then staleness, then impressions
// (saturated at 2^37 - 1, far beyond any slot's exposure), then 24 random bits that break ties.
std::uint64_t RankKey(const FeedCandidate& c, EpochMs now, EpochMs fresh_ms, std::uint64_t random) {
  constexpr int kRandomBits = 24;
  constexpr std::uint64_t kMaxImpressions = (std::uint64_t{1} << 37) - 1;
  const auto group = static_cast<std::uint64_t>(Group(c));
  const std::uint64_t stale = now - c.created_at < fresh_ms ? 0 : 1;
  const auto impressions = std::min(
      static_cast<std::uint64_t>(std::max<std::int64_t>(c.impressions, 0)), kMaxImpressions);
  return group << 62 | stale << 61 | impressions << kRandomBits |
         (random & ((std::uint64_t{1} << kRandomBits) - 1));
}

}  // namespace

RankedFeed RankFeed(const std::vector<FeedCandidate>& candidates,
                    const std::unordered_set<Id>& exclude, std::size_t limit, EpochMs now,
                    EpochMs fresh_ms, std::mt19937_64& rng) {
  std::vector<std::pair<std::uint64_t, Id>> keyed;
  keyed.reserve(candidates.size());
  // One draw from the caller's generator seeds the tie-breaking bits of the whole page: a Mersenne
  // Twister draw per candidate cost a fifth of the ranking.
  std::uint64_t jitter = rng();
  for (const auto& c : candidates) {
    if (!exclude.empty() && exclude.count(c.id)) continue;
    keyed.emplace_back(RankKey(c, now, fresh_ms, SplitMix64(jitter)), c.id);
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

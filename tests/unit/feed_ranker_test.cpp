#include <gtest/gtest.h>

#include <algorithm>

#include "domain/feed_ranker.h"

namespace aimoviez {
namespace {

constexpr EpochMs kNow = 10 * 3'600'000;
constexpr EpochMs kFresh = 2 * 3'600'000;

FeedCandidate C(Id id, std::int64_t impressions, bool voted = false, bool seen = false,
                EpochMs age_ms = 5 * 3'600'000) {
  return FeedCandidate{id, kNow - age_ms, impressions, 0, voted, seen};
}

TEST(FeedRanker, UnvotedUnseenThenSeenThenVoted) {
  std::mt19937_64 rng(1);
  const auto r =
      RankFeed({C(1, 0, true), C(2, 0, false, true), C(3, 5)}, {}, 10, kNow, kFresh, rng);
  EXPECT_EQ(r.ids, (std::vector<Id>{3, 2, 1}));
  EXPECT_FALSE(r.has_more);
}

TEST(FeedRanker, FreshClipsLeadTheirGroup) {
  std::mt19937_64 rng(1);
  const auto r =
      RankFeed({C(1, 0), C(2, 50, false, false, 30 * 60'000)}, {}, 10, kNow, kFresh, rng);
  EXPECT_EQ(r.ids.front(), 2);
}

TEST(FeedRanker, LeastExposedFirstAndExcludesRespected) {
  std::mt19937_64 rng(1);
  const auto r = RankFeed({C(1, 9), C(2, 3), C(3, 1), C(4, 0)}, {4}, 2, kNow, kFresh, rng);
  EXPECT_EQ(r.ids, (std::vector<Id>{3, 2}));
  EXPECT_TRUE(r.has_more);
}

// The ordering is packed into one integer: impressions past what its field holds must neither
// spill into the group and freshness bits nor stop ordering below that point.
TEST(FeedRanker, HugeImpressionCountsStayInTheirGroupAndOrder) {
  std::mt19937_64 rng(1);
  constexpr std::int64_t kHuge = std::int64_t{1} << 40;
  const auto r = RankFeed({C(1, 0, true), C(2, kHuge), C(3, kHuge - 5), C(4, 1, false, true),
                           C(5, (std::int64_t{1} << 37) - 2)},
                          {}, 10, kNow, kFresh, rng);
  ASSERT_EQ(r.ids.size(), 5u);
  EXPECT_EQ(r.ids.front(), 5);  // below the saturation point: strictly fewer impressions
  // 2 and 3 are both past it: either order.
  EXPECT_EQ(std::min(r.ids[1], r.ids[2]), 2);
  EXPECT_EQ(std::max(r.ids[1], r.ids[2]), 3);
  EXPECT_EQ(r.ids[3], 4);  // the seen clip after every unseen one, however exposed
  EXPECT_EQ(r.ids[4], 1);  // the voted one last
  std::mt19937_64 fresh_rng(2);
  const auto fresh =
      RankFeed({C(1, 0), C(2, kHuge, false, false, 30 * 60'000)}, {}, 10, kNow, kFresh, fresh_rng);
  EXPECT_EQ(fresh.ids.front(), 2);  // a fresh clip still leads, however exposed
}

TEST(FeedRanker, TiesAreBrokenAtRandom) {
  std::mt19937_64 rng(7);
  std::map<Id, int> firsts;
  for (int i = 0; i < 400; ++i) {
    firsts[RankFeed({C(1, 0), C(2, 0), C(3, 0), C(4, 0)}, {}, 1, kNow, kFresh, rng).ids[0]]++;
  }
  ASSERT_EQ(firsts.size(), 4u);
  for (const auto& [id, n] : firsts) EXPECT_GT(n, 60) << id;
}

TEST(FeedRanker, ServingTheTopKeepsExposureEven) {
  // 50 clips, 2 000 voters each shown a page of 8 that is then counted as impressions.
  std::vector<FeedCandidate> clips;
  for (Id id = 1; id <= 50; ++id) clips.push_back(C(id, 0));
  std::mt19937_64 rng(3);
  for (int voter = 0; voter < 2000; ++voter) {
    for (Id id : RankFeed(clips, {}, 8, kNow, kFresh, rng).ids) ++clips[id - 1].impressions;
  }
  const auto [lo, hi] = std::minmax_element(
      clips.begin(), clips.end(), [](auto& a, auto& b) { return a.impressions < b.impressions; });
  EXPECT_LE(hi->impressions - lo->impressions, 1);
}

}  // namespace
}  // namespace aimoviez

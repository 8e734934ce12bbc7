// Fairness simulation (issue 3 (e)): 10 000 voters visit a 100-clip slot one after another; 20 of
// the clips arrive when half the voters have come. Each voter is served one page of 8 clips,
// counted as impressions. Compares our FeedRanker with the spec's original ordering
// (view_count + random jitter in [0, 50)). Prints max/min impressions, the Gini coefficient,
// and how long late clips take to reach the original clips' median exposure.
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include "domain/feed_ranker.h"

using aimoviez::EpochMs;
using aimoviez::FeedCandidate;
using aimoviez::Id;

namespace {

constexpr int kVoters = 10'000;
constexpr int kInitialClips = 80;
constexpr int kLateClips = 20;
constexpr std::size_t kPage = 8;
constexpr double kWindowHours = 24.0;
constexpr EpochMs kHour = 3'600'000;

double Gini(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  const double n = static_cast<double>(v.size());
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (sum == 0) return 0;
  double weighted = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    weighted += (static_cast<double>(i) + 1) * static_cast<double>(v[i]);
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

struct Report {
  std::int64_t max = 0, min = 0;
  double gini = 0;
  double late_catch_up_voters =
      0;  // mean voters after arrival until a late clip reaches the median
  int late_never = 0;
};

template <typename Rank>
Report Simulate(Rank rank, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<FeedCandidate> clips;
  const EpochMs start = 100 * kHour;
  for (Id id = 1; id <= kInitialClips; ++id)
    clips.push_back({id, start - 3 * kHour, 0, 0, false, false});
  std::vector<int> caught_up_at(kLateClips, -1);
  const int arrival = kVoters / 2;
  for (int voter = 0; voter < kVoters; ++voter) {
    const EpochMs now = start + static_cast<EpochMs>(voter * (kWindowHours * kHour / kVoters));
    if (voter == arrival) {
      for (int i = 0; i < kLateClips; ++i) {
        clips.push_back({static_cast<Id>(kInitialClips + i + 1), now, 0, 0, false, false});
      }
    }
    for (Id id : rank(clips, now, rng)) {
      auto& c = clips[static_cast<std::size_t>(id - 1)];
      ++c.impressions;
      ++c.view_count;
    }
    if (voter >= arrival) {
      std::vector<std::int64_t> original;
      for (int i = 0; i < kInitialClips; ++i)
        original.push_back(clips[static_cast<std::size_t>(i)].impressions);
      std::nth_element(original.begin(), original.begin() + kInitialClips / 2, original.end());
      const auto median = original[kInitialClips / 2];
      for (int i = 0; i < kLateClips; ++i) {
        if (caught_up_at[static_cast<std::size_t>(i)] < 0 &&
            clips[static_cast<std::size_t>(kInitialClips + i)].impressions >= median) {
          caught_up_at[static_cast<std::size_t>(i)] = voter - arrival + 1;
        }
      }
    }
  }
  Report r;
  std::vector<std::int64_t> all;
  for (const auto& c : clips) all.push_back(c.impressions);
  r.max = *std::max_element(all.begin(), all.end());
  r.min = *std::min_element(all.begin(), all.end());
  r.gini = Gini(all);
  double total = 0;
  int counted = 0;
  for (int v : caught_up_at) {
    if (v < 0) {
      ++r.late_never;
    } else {
      total += v;
      ++counted;
    }
  }
  r.late_catch_up_voters = counted ? total / counted : -1;
  return r;
}

void Print(const char* name, const Report& r) {
  const double hours_per_voter = kWindowHours / kVoters;
  std::printf(
      "%-34s impressions max %5lld min %5lld  gini %.4f  late clips reach median after %7.1f "
      "voters (%5.2f h)%s\n",
      name, static_cast<long long>(r.max), static_cast<long long>(r.min), r.gini,
      r.late_catch_up_voters, r.late_catch_up_voters * hours_per_voter,
      r.late_never ? "  [some never did]" : "");
}

}  // namespace

int main() {
  std::printf(
      "fairness: %d voters, %d clips (+%d arriving at voter %d), page of %zu, %.0f h window\n",
      kVoters, kInitialClips + kLateClips, kLateClips, kVoters / 2, kPage, kWindowHours);
  const std::unordered_set<Id> none;
  auto ours = [&](const std::vector<FeedCandidate>& c, EpochMs now, std::mt19937_64& rng) {
    return aimoviez::RankFeed(c, none, kPage, now, 2 * kHour, rng).ids;
  };
  auto spec = [&](const std::vector<FeedCandidate>& c, EpochMs, std::mt19937_64& rng) {
    return aimoviez::RankFeedByViewCountJitter(c, none, kPage, 50.0, rng).ids;
  };
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
    Print("  aimoviez FeedRanker", Simulate(ours, seed));
    Print("  spec: view_count + jitter(0..50)", Simulate(spec, seed));
  }
  return 0;
}

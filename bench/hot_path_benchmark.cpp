// Google Benchmark figures for pieces of the vote and feed paths that the end-to-end runs can only
// show as instruction counts: the feed's ranking, voter-key packing, request-target splitting and
// JSON key writing. `make bench` runs them as section m (`./build/micro_benchmarks`).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/json_writer.h"
#include "domain/feed_ranker.h"
#include "engine/local/voter_id.h"
#include "http/request_target.h"

namespace aimoviez {
namespace {

constexpr EpochMs kNow = 10 * 3'600'000;
constexpr EpochMs kFresh = 2 * 3'600'000;

std::vector<FeedCandidate> CandidatesOfASlot(int clips) {
  std::vector<FeedCandidate> slot;
  for (int i = 0; i < clips; ++i) {
    slot.push_back(FeedCandidate{i + 1, 0, 1000 + (i * 7919) % 13, 0, false, false});
  }
  return slot;
}

// A page of 8 from a slot of N clips, impressions growing as pages are served (as in the feed).
void BM_RankFeed(benchmark::State& state) {
  auto slot = CandidatesOfASlot(static_cast<int>(state.range(0)));
  const std::unordered_set<Id> none;
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    const auto page = RankFeed(slot, none, 8, kNow, kFresh, rng);
    for (Id id : page.ids) ++slot[static_cast<std::size_t>(id - 1)].impressions;
    benchmark::DoNotOptimize(page.ids.data());
  }
}
BENCHMARK(BM_RankFeed)->Arg(50)->Arg(500);

// The spec's original ordering (view_count plus jitter), for comparison.
void BM_RankFeedByViewCountJitter(benchmark::State& state) {
  auto slot = CandidatesOfASlot(static_cast<int>(state.range(0)));
  const std::unordered_set<Id> none;
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    const auto page = RankFeedByViewCountJitter(slot, none, 8, 50.0, rng);
    for (Id id : page.ids) ++slot[static_cast<std::size_t>(id - 1)].view_count;
    benchmark::DoNotOptimize(page.ids.data());
  }
}
BENCHMARK(BM_RankFeedByViewCountJitter)->Arg(50)->Arg(500);

void BM_PackVoterKey(benchmark::State& state) {
  const std::string key =
      state.range(0) == 0 ? "device_00112233445566778899aabbccddeeff" : "seeded voter 12345";
  for (auto _ : state) benchmark::DoNotOptimize(engine::PackVoterKey(key));
  state.SetLabel(state.range(0) == 0 ? "issued device key" : "other text (SHA-256)");
}
BENCHMARK(BM_PackVoterKey)->Arg(0)->Arg(1);

void BM_ParseRequestTarget(benchmark::State& state) {
  const std::string target =
      state.range(0) == 0 ? "/api/vote?limit=8&excludeIds=1,2,3" : "/api/vote?limit=8&q=a%20b";
  for (auto _ : state) {
    std::string path;
    http::HeaderMap query;
    benchmark::DoNotOptimize(http::ParseRequestTarget(target, path, query));
  }
  state.SetLabel(state.range(0) == 0 ? "plain (split directly)" : "escaped (Boost.URL)");
}
BENCHMARK(BM_ParseRequestTarget)->Arg(0)->Arg(1);

// The feed answer's own members (clips aside): literal keys, no escaping at run time.
void BM_JsonWriterFeedEnvelope(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    json::JsonWriter w(out);
    w.BeginObject().Key("clips").BeginArray().EndArray();
    w.Key("totalVotesToday").Int(12).Key("remainingVotes").BeginObject();
    w.Key("standard").Int(188).EndObject();
    w.Key("votedClipIds").BeginArray().Int(3).Int(9).EndArray();
    w.Key("currentSlot").Int(4).Key("totalSlots").Int(75).Key("totalClipsInSlot").Int(50);
    w.Key("hasMoreClips").Bool(true).Key("votingOpen").Bool(true);
    w.Key("votingEndsAt").String("2026-11-23T12:00:00.000Z").Key("seasonId").Int(2);
    w.Key("seasonLabel").String("Season 2").Key("captchaRequired").Bool(false).EndObject();
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_JsonWriterFeedEnvelope);

}  // namespace
}  // namespace aimoviez

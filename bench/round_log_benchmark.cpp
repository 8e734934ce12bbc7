// Closing a round with verifiable results (docs/VERIFIABILITY.md): what publishing the log of a
// round of N votes costs - reading the votes, making the leaves (a keyed pseudonym each), the
// Merkle tree, the tally check and storing the frozen leaves - and the tree alone. `make bench`
// runs these in section m; the 1 000 000-vote case is the figure issue 20 asks for.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/merkle.h"
#include "common/time.h"
#include "domain/round_log_service.h"
#include "domain/season_service.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez {
namespace {

class FixedClock final : public Clock {
 public:
  EpochMs NowMs() const override { return 1'795'000'000'000; }
};

void BM_MerkleTreeRoot(benchmark::State& state) {
  std::vector<merkle::Hash> leaves;
  for (int i = 0; i < state.range(0); ++i) leaves.push_back(merkle::LeafHash(std::to_string(i)));
  for (auto _ : state) {
    merkle::Tree tree(leaves);
    benchmark::DoNotOptimize(tree.Root());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MerkleTreeRoot)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// One round of N votes over 20 clips, stored as the engine stores them; each iteration publishes
// it again (a new revision), which is the work a closing round does.
void BM_PublishRound(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("aimoviez-bench-round-" + crypto::ToHex(crypto::RandomBytes(6)));
  std::filesystem::create_directories(dir);
  {
    FixedClock clock;
    sqlite::SqliteStore store((dir / "bench.db").string());
    store.Migrate();
    SeasonService seasons(store, clock, SeasonLimits{});
    const AuditActor admin{1, "bench@example.com"};
    const Id season = seasons.CreateSeason(SeasonDraft{"Bench", "Action", "", 3, 3600}, admin)->id;
    if (!seasons.ActivateSeason(season, admin).ok()) {
      state.SkipWithError("season did not activate");
      return;
    }
    std::vector<Id> clips;
    for (int i = 0; i < 20; ++i) {
      Clip c;
      c.title = "clip";
      c.status = ClipStatus::kPending;
      c.created_at = clock.NowMs() + i;
      clips.push_back(store.InsertClip(c).id);
      if (!seasons.ApproveClip(clips.back(), admin).ok()) {
        state.SkipWithError("clip not approved");
        return;
      }
    }
    const auto votes = state.range(0);
    std::vector<VoteWrite> batch;
    for (std::int64_t i = 0; i < votes; ++i) {
      VoteWrite w;
      w.record.id = i + 1;
      w.record.clip_id = clips[static_cast<std::size_t>((i * 7) % 20)];
      w.record.season_id = season;
      w.record.voter_key = "device_" + std::to_string(i);
      w.record.slot_position = 1;
      w.record.created_at = clock.NowMs();
      batch.push_back(std::move(w));
      if (batch.size() == 50'000 || i + 1 == votes) {
        store.ApplyVoteBatch(batch, {}, {});
        batch.clear();
      }
    }
    const auto standings = store.SlotStandings(season, 1);
    RoundLogService logs(store, clock, "bench secret");
    for (auto _ : state) {
      auto record = logs.Publish(season, 1, standings, PickWinner(standings), false);
      if (!record.alarm.empty()) state.SkipWithError(record.alarm.c_str());
      benchmark::DoNotOptimize(record.root);
    }
    state.SetItemsProcessed(state.iterations() * votes);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_PublishRound)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace aimoviez

// The vote log (what the vote engine writes in batches and reads back at start) behaves the same
// on every backend: each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "store_backends.h"

namespace aimoviez {
namespace {

class VoteRepositoryContract : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Season s;
    s.label = "S";
    s.total_slots = 3;
    s.voting_window_seconds = 60;
    season_ = seasons().CreateSeason(s).id;
    for (const char* title : {"a", "b"}) {
      Clip c;
      c.season_id = season_;
      c.slot_position = 1;
      c.title = title;
      c.status = ClipStatus::kActive;
      c.created_at = 1;
      clip_ids_.push_back(clips().InsertClip(c).id);
    }
  }

  static VoteWrite Cast(Id id, Id clip, Id season, int position, const std::string& voter,
                        EpochMs at, int weight = 1) {
    VoteWrite w;
    w.record.id = id;
    w.record.clip_id = clip;
    w.record.season_id = season;
    w.record.slot_position = position;
    w.record.voter_key = voter;
    w.record.weight = weight;
    w.record.vote_type = weight == 1 ? "standard" : weight == 3 ? "super" : "mega";
    w.record.created_at = at;
    return w;
  }
  static VoteWrite Revoke(Id id) {
    VoteWrite w;
    w.is_delete = true;
    w.row_id = id;
    return w;
  }

  std::map<Id, std::pair<int, int>> CountAt(int position) {  // clip -> (votes, score)
    std::map<Id, std::pair<int, int>> out;
    votes().ForEachVoteAt(season_, position, [&](const StoredVote& v) {
      out[v.clip_id].first += 1;
      out[v.clip_id].second += v.weight;
    });
    return out;
  }

  Id season_ = 0;
  std::vector<Id> clip_ids_;
};

TEST_P(VoteRepositoryContract, ABatchAppliesCastsAndRevocationsInOrderWithViewsAndCounters) {
  const Id a = clip_ids_[0];
  const Id b = clip_ids_[1];
  auto flagged = Cast(3, b, season_, 1, "anon:xyz", 12);
  flagged.record.flagged = true;
  flagged.record.network = 77;
  flagged.record.flag_reason = "rapid unverified_device";
  auto signed_in = Cast(1, a, season_, 1, "user:5", 10, 10);
  votes().ApplyVoteBatch({signed_in, Cast(2, a, season_, 1, "anon:\"quoted\", {braced}", 11),
                          flagged, Revoke(2), Cast(4, a, season_, 1, "user:6", 13)},
                         {ViewRecord{"user:5", season_, 1, {a, b}, 9}},
                         {ClipCounterSnapshot{a, 2, 11, 1}, ClipCounterSnapshot{b, 1, 1, 1}});

  EXPECT_EQ(votes().MaxVoteId(), 4);
  const auto counts = CountAt(1);
  EXPECT_EQ(counts.at(a), std::make_pair(2, 11));
  EXPECT_EQ(counts.at(b), std::make_pair(1, 1));
  std::map<Id, StoredVote> stored;
  votes().ForEachVoteAt(season_, 1, [&](const StoredVote& v) { stored[v.id] = v; });
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_TRUE(stored.at(3).unverified_device);
  EXPECT_EQ(stored.at(3).network, 77);
  EXPECT_EQ(stored.at(3).voter_key, "anon:xyz");
  EXPECT_FALSE(stored.at(1).unverified_device);
  EXPECT_EQ(stored.at(1).vote_type, "mega");
  EXPECT_EQ(stored.at(1).created_at, 10);

  const auto clip_a = *clips().FindClip(a);
  EXPECT_EQ(clip_a.vote_count, 2);
  EXPECT_EQ(clip_a.weighted_score, 11);
  EXPECT_EQ(clip_a.view_count, 1);

  std::multiset<std::pair<Id, std::string>> views;
  votes().ForEachViewAt(season_, 1,
                        [&](Id clip, std::string_view voter) { views.emplace(clip, voter); });
  EXPECT_EQ(views, (std::multiset<std::pair<Id, std::string>>{{a, "user:5"}, {b, "user:5"}}));
}

TEST_P(VoteRepositoryContract, VoterKeysWithQuotesCommasAndBracesAreStoredAsGiven) {
  const std::string odd = R"(anon:"a", {b} \c NULL)";
  votes().ApplyVoteBatch({Cast(1, clip_ids_[0], season_, 1, odd, 5)}, {}, {});
  std::string seen;
  votes().ForEachVoteAt(season_, 1, [&](const StoredVote& v) { seen = v.voter_key; });
  EXPECT_EQ(seen, odd);
}

TEST_P(VoteRepositoryContract, ARoundOfMoreThanOnePageIsReadWhole) {
  // Past the PostgreSQL store's page of 10 000 rows, so the paging itself is tested.
  std::vector<VoteWrite> batch;
  for (int i = 1; i <= 10'050; ++i) {
    batch.push_back(Cast(i, clip_ids_[i % 2], season_, 1, "v" + std::to_string(i), 100 + i));
  }
  votes().ApplyVoteBatch(batch, {}, {});
  const auto counts = CountAt(1);
  EXPECT_EQ(counts.at(clip_ids_[0]).first + counts.at(clip_ids_[1]).first, 10'050);
  std::set<std::string> voters;
  votes().ForEachVoteSince(0, std::nullopt,
                           [&](std::string_view voter, std::int64_t) { voters.emplace(voter); });
  EXPECT_EQ(voters.size(), 10'050u);
}

TEST_P(VoteRepositoryContract, TheDaysVotersCanLeaveOutTheRoundAlreadyCounted) {
  auto other = Cast(3, clip_ids_[1], season_, 2, "n:1", 500);
  other.record.network = 42;
  votes().ApplyVoteBatch({Cast(1, clip_ids_[0], season_, 1, "old", 50),
                          Cast(2, clip_ids_[0], season_, 1, "today", 150), other},
                         {}, {});
  std::vector<std::pair<std::string, std::int64_t>> seen;
  const auto collect = [&](std::string_view voter, std::int64_t network) {
    seen.emplace_back(voter, network);
  };
  votes().ForEachVoteSince(100, std::nullopt, collect);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::int64_t>>{{"n:1", 42}, {"today", 0}}));
  seen.clear();
  votes().ForEachVoteSince(100, std::make_pair(season_, 1), collect);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::int64_t>>{{"n:1", 42}}));
}

TEST_P(VoteRepositoryContract, FlaggedVotesAreGroupedForReviewLargestFirst) {
  const Id a = clip_ids_[0];
  const Id b = clip_ids_[1];
  std::vector<VoteWrite> batch;
  Id id = 0;
  const auto add = [&](Id clip, const std::string& voter, std::int64_t network,
                       const std::string& reason, EpochMs at) {
    auto w = Cast(++id, clip, season_, 1, voter, at);
    w.record.flagged = true;
    w.record.network = network;
    w.record.flag_reason = reason;
    batch.push_back(w);
  };
  add(a, "n1", 9, "busy_network", 10);
  add(a, "n2", 9, "busy_network", 20);
  add(a, "n2", 9, "busy_network", 30);
  add(b, "s1", 0, "", 15);  // flagged with no stated reason reads as "rapid"
  batch.push_back(Cast(++id, b, season_, 1, "fine", 16));
  votes().ApplyVoteBatch(batch, {}, {});

  const auto groups = votes().ListFlaggedVotes(season_, 1, 10);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].clip_id, a);
  EXPECT_EQ(groups[0].clip_title, "a");
  EXPECT_EQ(groups[0].network, 9);
  EXPECT_EQ(groups[0].reasons, "busy_network");
  EXPECT_EQ(groups[0].votes, 3);
  EXPECT_EQ(groups[0].voters, 2);
  EXPECT_EQ(groups[0].first_at, 10);
  EXPECT_EQ(groups[0].last_at, 30);
  EXPECT_EQ(groups[1].reasons, "rapid");
  EXPECT_EQ(votes().ListFlaggedVotes(season_, 1, 1).size(), 1u);

  const auto rows = votes().ListFlaggedVoteRows(season_, 1, a, 9, "busy_network", 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].row_id, 1);
  EXPECT_EQ(rows[1].voter_key, "n2");
  EXPECT_EQ(votes().ListFlaggedVoteRows(season_, 1, b, 0, "rapid", 10).size(), 1u);
  EXPECT_TRUE(votes().ListFlaggedVoteRows(season_, 1, b, 0, "busy_network", 10).empty());
}

TEST_P(VoteRepositoryContract, SeededVotesTakeTheirSeasonFromTheClipAndARoundCanBeCleared) {
  VoteRecord v;
  v.clip_id = clip_ids_[0];
  v.voter_key = "seed:1";
  v.slot_position = 1;
  v.created_at = 5;
  VoteRecord w = v;
  w.voter_key = "seed:2";
  w.clip_id = clip_ids_[1];
  votes().InsertVotes({v, w});
  EXPECT_EQ(CountAt(1).size(), 2u);
  EXPECT_EQ(votes().MaxVoteId(), 2);
  EXPECT_EQ(votes().DeleteVotesAt(season_, 1), 2);
  EXPECT_TRUE(CountAt(1).empty());
  EXPECT_EQ(votes().DeleteVotesAt(season_, 1), 0);
}

AIMOVIEZ_ON_EVERY_BACKEND(VoteRepositoryContract);

}  // namespace
}  // namespace aimoviez

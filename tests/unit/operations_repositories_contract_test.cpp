// The operational repositories (genre votes, feature flags, the audit log, job locks) behave the
// same on every backend: each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include "store_backends.h"

namespace aimoviez {
namespace {

class OperationsRepositoriesContract : public testing::BackendTest {};

TEST_P(OperationsRepositoriesContract, AGenreVoteIsOnePerVoterPerRoundAndTallied) {
  genre_votes().UpsertGenreVote(0, "user:1", "Horror", 10);
  genre_votes().UpsertGenreVote(0, "user:2", "Horror", 11);
  genre_votes().UpsertGenreVote(0, "user:3", "Comedy", 12);
  genre_votes().UpsertGenreVote(0, "user:1", "Comedy", 13);  // a change of mind
  genre_votes().UpsertGenreVote(7, "user:1", "Drama", 14);   // another round
  EXPECT_EQ(genre_votes().FindGenreVote(0, "user:1"), "Comedy");
  EXPECT_FALSE(genre_votes().FindGenreVote(0, "user:9").has_value());
  const auto tally = genre_votes().TallyGenreVotes(0);
  ASSERT_EQ(tally.size(), 2u);
  EXPECT_EQ(tally[0].genre, "Comedy");
  EXPECT_EQ(tally[0].votes, 2);
  EXPECT_EQ(tally[1].votes, 1);
  EXPECT_TRUE(genre_votes().DeleteGenreVote(0, "user:1"));
  EXPECT_FALSE(genre_votes().DeleteGenreVote(0, "user:1"));
  EXPECT_EQ(genre_votes().TallyGenreVotes(0)[0].votes, 1);

  EXPECT_EQ(genre_votes().LatestFinishedSeasonId(), 0);
  Season s;
  s.label = "Done";
  s.total_slots = 1;
  s.voting_window_seconds = 60;
  auto done = seasons().CreateSeason(s);
  done.status = SeasonStatus::kFinished;
  seasons().UpdateSeason(done);
  seasons().CreateSeason(s);  // a draft after it does not count
  EXPECT_EQ(genre_votes().LatestFinishedSeasonId(), done.id);
}

TEST_P(OperationsRepositoriesContract, FeatureFlagsStartWithTheirDefaultsAndCanBeFlipped) {
  const auto all = flags().ListFlags();
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all.front().category, "growth");  // by category, then key
  const auto tour = flags().FindFlag("spotlight_tour");
  ASSERT_TRUE(tour.has_value());
  EXPECT_TRUE(tour->enabled);
  EXPECT_FALSE(flags().FindFlag("require_auth_voting")->enabled);
  flags().SetFlag("require_auth_voting", true, 500);
  const auto flipped = *flags().FindFlag("require_auth_voting");
  EXPECT_TRUE(flipped.enabled);
  EXPECT_EQ(flipped.updated_at, 500);
  EXPECT_EQ(flipped.description, "Only signed-in users can vote");
  EXPECT_FALSE(flags().FindFlag("no_such_flag").has_value());
}

TEST_P(OperationsRepositoriesContract, TheAuditLogPagesNewestFirst) {
  for (int i = 1; i <= 5; ++i) {
    audit().AppendAudit(AuditEntry{0, "season.update", "season", std::to_string(i),
                                   "admin@example.com",
                                   i == 5 ? std::nullopt : std::optional<Id>(1),
                                   R"({"n":)" + std::to_string(i) + "}", 100 + i});
  }
  const auto first = audit().ListAudit(std::nullopt, 2);
  ASSERT_EQ(first.entries.size(), 2u);
  EXPECT_EQ(first.entries[0].resource_id, "5");
  EXPECT_FALSE(first.entries[0].admin_user_id.has_value());
  EXPECT_EQ(first.entries[1].details_json, R"({"n":4})");
  ASSERT_TRUE(first.next_cursor.has_value());
  const auto second = audit().ListAudit(first.next_cursor, 2);
  EXPECT_EQ(second.entries[0].resource_id, "3");
  const auto last = audit().ListAudit(second.next_cursor, 2);
  ASSERT_EQ(last.entries.size(), 1u);
  EXPECT_EQ(last.entries[0].created_at, 101);
  EXPECT_FALSE(last.next_cursor.has_value());
}

TEST_P(OperationsRepositoriesContract, AJobLockHasOneHolderAndItsTokenGrowsWithEachTaker) {
  const auto first = locks().TryAcquireLock("auto-advance", "node-a", 1000, 500);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(locks().TryAcquireLock("auto-advance", "node-b", 1200, 500).has_value());
  EXPECT_TRUE(locks().TryAcquireLock("film-build", "node-b", 1200, 500).has_value());
  EXPECT_TRUE(locks().IsLockTokenCurrent("auto-advance", *first, 1400));
  EXPECT_FALSE(locks().IsLockTokenCurrent("auto-advance", *first, 1500));  // expired

  // Expired: another node takes it, and the first holder's token is stale from then on.
  const auto second = locks().TryAcquireLock("auto-advance", "node-b", 1600, 500);
  ASSERT_TRUE(second.has_value());
  EXPECT_GT(*second, *first);
  EXPECT_FALSE(locks().IsLockTokenCurrent("auto-advance", *first, 1601));
  locks().ReleaseLock("auto-advance", *first);  // a stale release changes nothing
  EXPECT_TRUE(locks().IsLockTokenCurrent("auto-advance", *second, 1602));
  locks().ReleaseLock("auto-advance", *second);
  EXPECT_FALSE(locks().IsLockTokenCurrent("auto-advance", *second, 1603));
  const auto third = locks().TryAcquireLock("auto-advance", "node-a", 1604, 500);
  ASSERT_TRUE(third.has_value());
  EXPECT_GT(*third, *second);
}

TEST_P(OperationsRepositoriesContract, ALeaseIsRenewedOnlyByItsHolderBeforeItLapses) {
  const auto held = locks().TryAcquireLock("media", "node-a", 1000, 500);
  ASSERT_TRUE(held.has_value());
  EXPECT_TRUE(locks().RenewLock("media", *held, 1400, 500));  // now held until 1900
  EXPECT_FALSE(locks().TryAcquireLock("media", "node-b", 1800, 500).has_value());
  EXPECT_TRUE(locks().IsLockTokenCurrent("media", *held, 1899));
  EXPECT_FALSE(locks().RenewLock("media", *held + 1, 1850, 500));  // not its token

  // Lapsed: a renewal comes too late, and the lock goes to the next taker.
  EXPECT_FALSE(locks().RenewLock("media", *held, 1900, 500));
  const auto next = locks().TryAcquireLock("media", "node-b", 1901, 500);
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(locks().RenewLock("media", *held, 1902, 500))
      << "the old holder cannot take it back";
  EXPECT_TRUE(locks().IsLockTokenCurrent("media", *next, 1903));
}

TEST_P(OperationsRepositoriesContract, ExpiringEveryLockLetsTheNextTakerInAndFencesTheOldHolders) {
  const auto media = locks().TryAcquireLock("media", "dead-process", 1000, 60'000);
  const auto cleanup = locks().TryAcquireLock("cleanup", "dead-process", 1000, 60'000);
  ASSERT_TRUE(media && cleanup);
  locks().ExpireAllLocks();
  EXPECT_FALSE(locks().IsLockTokenCurrent("media", *media, 1001));
  EXPECT_FALSE(locks().RenewLock("cleanup", *cleanup, 1001, 500));
  const auto next = locks().TryAcquireLock("media", "restarted", 1002, 500);
  ASSERT_TRUE(next.has_value()) << "long before the old lease's expiry";
  EXPECT_GT(*next, *media) << "tokens keep growing";
}

AIMOVIEZ_ON_EVERY_BACKEND(OperationsRepositoriesContract);

}  // namespace
}  // namespace aimoviez

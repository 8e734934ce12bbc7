// Verifiable rounds: the leaf format, the tally the leaves imply, and publishing a closed round
// over the SQLite store (root, proofs, alarms).
#include "domain/round_log.h"

#include <gtest/gtest.h>

#include "domain/round_log_service.h"
#include "domain/season_service.h"
#include "test_support.h"

namespace aimoviez {
namespace {

TEST(RoundLog, LeafBytesAreFixedAndRoundTrip) {
  RoundLeaf leaf{7, 3, 42, 10, 123456789, {}};
  leaf.voter_pseudonym.fill(0xAB);
  const std::string bytes = EncodeLeaf(leaf);
  ASSERT_EQ(bytes.size(), kRoundLeafBytes);
  EXPECT_EQ(crypto::ToHex(bytes.substr(0, 33)),
            "01"                  // version
            "0000000000000007"    // season
            "00000003"            // slot
            "000000000000002a"    // clip
            "0000000a"            // weight
            "00000000075bcd15");  // sequence
  const auto back = DecodeLeaf(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->clip_id, 42);
  EXPECT_EQ(back->sequence, 123456789);
  EXPECT_EQ(back->voter_pseudonym, leaf.voter_pseudonym);
  EXPECT_FALSE(DecodeLeaf(bytes.substr(1)));
  EXPECT_FALSE(DecodeLeaf("\x02" + bytes.substr(1)));
}

TEST(RoundLog, PseudonymsDifferPerRoundAndPerVoter) {
  const auto k1 = RoundPseudonymKey("secret", 1, 1);
  const auto k2 = RoundPseudonymKey("secret", 1, 2);
  EXPECT_NE(VoterPseudonym(k1, "user_1"), VoterPseudonym(k2, "user_1"));
  EXPECT_NE(VoterPseudonym(k1, "user_1"), VoterPseudonym(k1, "user_2"));
  EXPECT_EQ(VoterPseudonym(k1, "user_1"),
            VoterPseudonym(RoundPseudonymKey("secret", 1, 1), "user_1"));
  EXPECT_NE(VoterPseudonym(k1, "user_1"),
            VoterPseudonym(RoundPseudonymKey("other", 1, 1), "user_1"));
}

TEST(RoundLog, TallyFollowsTheWinnerRuleAndKeepsRemovedClipsOut) {
  // Clip 2 and 3 tie on score; 3 has more votes (breadth beats weight). Clip 9 was removed.
  RoundTallier tallier({{1, 0, 0, 100}, {2, 0, 0, 200}, {3, 0, 0, 300}});
  auto leaf = [](Id clip, int weight) { return RoundLeaf{1, 1, clip, weight, 0, {}}; };
  tallier.Count(leaf(2, 3));
  tallier.Count(leaf(3, 1));
  tallier.Count(leaf(3, 1));
  tallier.Count(leaf(3, 1));
  for (int i = 0; i < 5; ++i) tallier.Count(leaf(9, 1));
  const auto tally = std::move(tallier).Finish();
  ASSERT_EQ(tally.lines.size(), 4U);
  EXPECT_EQ(tally.lines[0].clip_id, 9);
  EXPECT_FALSE(tally.lines[0].in_round);
  EXPECT_EQ(tally.lines[1].clip_id, 3);
  EXPECT_EQ(tally.lines[3].clip_id, 1);
  EXPECT_EQ(tally.lines[3].votes, 0);
  EXPECT_EQ(WinnerOfTally(tally.lines), 3) << "a removed clip cannot win";
}

class RoundLogServiceTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    SeasonService seasons(*store_, clock_, SeasonLimits{});
    const AuditActor admin{1, "admin@example.com"};
    season_ = seasons.CreateSeason(SeasonDraft{"Logs", "Action", "", 3, 3600}, admin)->id;
    ASSERT_TRUE(seasons.ActivateSeason(season_, admin).ok());
    for (int i = 0; i < 3; ++i) {
      Clip c;
      c.title = "clip";
      c.status = ClipStatus::kPending;
      c.created_at = clock_.NowMs() + i;
      const Id id = store_->InsertClip(c).id;
      ASSERT_TRUE(seasons.ApproveClip(id, admin).ok());
      clips_.push_back(id);
    }
  }

  void Vote(Id id, Id clip, const std::string& voter, int weight = 1) {
    VoteRecord v;
    v.id = id;
    v.clip_id = clip;
    v.season_id = season_;
    v.voter_key = voter;
    v.weight = weight;
    v.slot_position = 1;
    v.created_at = clock_.NowMs();
    // As the vote engine writes them: the engine numbers its votes.
    VoteWrite write;
    write.record = v;
    store_->ApplyVoteBatch({write}, {}, {});
  }

  std::vector<ClipStanding> Standings() { return store_->SlotStandings(season_, 1); }

  Id season_ = 0;
  std::vector<Id> clips_;
};

TEST_F(RoundLogServiceTest, PublishedRootCoversEveryVoteAndEveryProofVerifies) {
  Vote(11, clips_[0], "user_1");
  Vote(12, clips_[1], "device_a", 3);
  Vote(13, clips_[0], "device_b");
  Vote(10, clips_[0], "user_2");
  RoundLogService logs(*store_, clock_, "secret");
  const auto record = logs.Publish(season_, 1, Standings(), clips_[0], false);
  EXPECT_EQ(record.alarm, "");
  EXPECT_EQ(record.tree_size, 4U);
  EXPECT_EQ(record.revision, 1);
  EXPECT_EQ(record.season_log_index, 0U);

  const auto leaves = logs.Leaves(record, 0, 100);
  ASSERT_EQ(leaves.size(), 4U);
  std::vector<merkle::Hash> hashes;
  std::vector<Id> order;
  for (const auto& l : leaves) {
    EXPECT_EQ(l.leaf_hash, merkle::LeafHash(l.leaf));
    hashes.push_back(l.leaf_hash);
    order.push_back(DecodeLeaf(l.leaf)->sequence);
  }
  EXPECT_EQ(order, (std::vector<Id>{10, 11, 12, 13})) << "leaves are in vote order";
  EXPECT_EQ(merkle::Tree(hashes).Root(), record.root);
  // The pseudonym is the round's keyed hash of the voter, nothing else.
  EXPECT_EQ(DecodeLeaf(leaves[0].leaf)->voter_pseudonym,
            VoterPseudonym(logs.PseudonymKey(season_, 1), "user_2"));

  for (const auto& l : leaves) {
    auto proof = logs.Proof(season_, 1, l.leaf_hash);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(proof->leaf_index, l.index);
    EXPECT_TRUE(merkle::VerifyInclusion(l.index, 4, l.leaf_hash, proof->audit_path, record.root));
  }
  EXPECT_EQ(logs.Proof(season_, 1, merkle::LeafHash("forged")).error().code, "LEAF_NOT_FOUND");
  EXPECT_EQ(logs.Proof(season_, 2, leaves[0].leaf_hash).error().kind, ErrorKind::kNotFound);
}

TEST_F(RoundLogServiceTest, DisagreementsArePublishedAsAlarmsNeverSilently) {
  Vote(1, clips_[0], "user_1");
  Vote(2, clips_[1], "user_2", 3);
  RoundLogService logs(*store_, clock_, "secret");
  // The rule picks clip 1 (score 3); locking clip 0 without an admin's choice is an alarm.
  auto wrong = logs.Publish(season_, 1, Standings(), clips_[0], false);
  EXPECT_NE(wrong.alarm.find("winner rule picks clip " + std::to_string(clips_[1])),
            std::string::npos)
      << wrong.alarm;
  EXPECT_EQ(logs.alarms(), 1U);
  // Counts that disagree with the leaves are one too.
  auto standings = Standings();
  standings[0].vote_count += 1;
  auto miscounted = logs.Publish(season_, 1, standings, clips_[1], false);
  EXPECT_NE(miscounted.alarm.find("leaves count"), std::string::npos) << miscounted.alarm;
  // An admin's choice is published as assigned, without an alarm; each publication is a new
  // revision and a new entry of the season log.
  auto assigned = logs.Publish(season_, 1, Standings(), clips_[0], true);
  EXPECT_EQ(assigned.alarm, "");
  EXPECT_EQ(assigned.revision, 3);
  EXPECT_EQ(assigned.season_log_index, 2U);
  EXPECT_EQ(store_->FindRoundLog(season_, 1)->revision, 3);

  auto log = logs.SeasonLog(season_, 1, 3);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->entries.size(), 3U);
  EXPECT_TRUE(merkle::VerifyConsistency(1, 3, log->from_root, log->root, log->consistency));
  EXPECT_FALSE(logs.SeasonLog(season_, 0, 3).ok());
  EXPECT_FALSE(logs.SeasonLog(season_, 2, 4).ok());
}

}  // namespace
}  // namespace aimoviez

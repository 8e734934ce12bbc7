// The community repositories (leaderboards and profiles, comments, follows and blocks) behave the
// same on every backend: each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include "store_backends.h"

namespace aimoviez {
namespace {

using Board = CommunityReadRepository::Board;
using Order = CommentRepository::Order;

class CommunityRepositoriesContract : public testing::BackendTest {
 protected:
  Id NewUser(const std::string& name) {
    return users().CreateUser(name + "@example.com", name, 1).value().id;
  }
  Id NewSeason() {
    Season s;
    s.label = "S";
    s.total_slots = 2;
    s.voting_window_seconds = 60;
    return seasons().CreateSeason(s).id;
  }
  Id NewClip(Id season, std::optional<Id> creator, ClipStatus status = ClipStatus::kActive) {
    Clip c;
    c.season_id = season;
    c.slot_position = 1;
    c.user_id = creator;
    c.title = "clip";
    c.status = status;
    c.created_at = 1;
    return clips().InsertClip(c).id;
  }
  void Vote(Id clip, Id season, std::optional<Id> user, const std::string& voter, EpochMs at) {
    VoteWrite w;
    w.record.id = ++vote_id_;
    w.record.clip_id = clip;
    w.record.season_id = season;
    w.record.slot_position = 1;
    w.record.voter_key = voter;
    w.record.user_id = user;
    w.record.created_at = at;
    votes().ApplyVoteBatch({w}, {}, {});
  }
  Comment Say(Id clip, Id user, const std::string& text, EpochMs at,
              std::optional<Id> parent = std::nullopt) {
    Comment c;
    c.clip_id = clip;
    c.user_id = user;
    c.text = text;
    c.created_at = at;
    c.parent_id = parent;
    return comments().InsertComment(c);
  }
  Id vote_id_ = 0;
};

TEST_P(CommunityRepositoriesContract, LeaderboardsRankByVotesInTheWindowAndPageByCursor) {
  const Id season = NewSeason();
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const Id hot = NewClip(season, ann);
  const Id warm = NewClip(season, bob);
  const Id hidden = NewClip(season, bob, ClipStatus::kRejected);
  for (int i = 0; i < 3; ++i) Vote(hot, season, bob, "user:bob", 100 + i);
  Vote(warm, season, ann, "user:ann", 110);
  Vote(warm, season, std::nullopt, "anon:1", 120);
  Vote(hidden, season, ann, "user:ann", 130);
  Vote(hot, season, ann, "user:ann", 5000);  // outside the window

  const auto top = community().TopRanked(Board::kClips, 0, 1000, std::nullopt, 10);
  ASSERT_EQ(top.size(), 2u);  // the rejected clip ranks nowhere
  EXPECT_EQ(top[0].id, hot);
  EXPECT_EQ(top[0].score, 3);
  EXPECT_EQ(top[1].score, 2);
  const auto next = community().TopRanked(Board::kClips, 0, 1000, RankCursor{3, hot}, 10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, warm);

  const auto voters = community().TopRanked(Board::kVoters, 0, 1000, std::nullopt, 10);
  ASSERT_EQ(voters.size(), 2u);
  EXPECT_EQ(voters[0].id, bob);
  EXPECT_EQ(voters[1].score, 2);  // ann: warm and the rejected clip (her votes still count)
  const auto creators = community().TopRanked(Board::kCreators, 0, 1000, std::nullopt, 1);
  ASSERT_EQ(creators.size(), 1u);
  EXPECT_EQ(creators[0].id, ann);
  EXPECT_EQ(creators[0].score, 3);
}

TEST_P(CommunityRepositoriesContract, AProfileCountsVotesClipsRankDaysAndHistory) {
  const Id season = NewSeason();
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const Id clip = NewClip(season, ann);
  NewClip(season, ann, ClipStatus::kPending);
  NewClip(season, ann, ClipStatus::kLocked);
  const EpochMs day = 86'400'000;
  Vote(clip, season, bob, "user:bob", 3 * day + 5);
  Vote(clip, season, bob, "user:bob", 5 * day + 5);
  Vote(clip, season, bob, "user:bob", 5 * day + 9);
  Vote(clip, season, ann, "user:ann", 5 * day + 7);

  const auto stats = community().StatsFor(bob, 5 * day);
  EXPECT_EQ(stats.votes_total, 3);
  EXPECT_EQ(stats.votes_today, 2);
  EXPECT_EQ(stats.rank, 1);
  EXPECT_EQ(stats.vote_days, (std::vector<std::int64_t>{5, 3}));
  const auto creator = community().StatsFor(ann, 5 * day);
  EXPECT_EQ(creator.clips_total, 3);
  EXPECT_EQ(creator.clips_pending, 1);
  EXPECT_EQ(creator.clips_active, 1);
  EXPECT_EQ(creator.clips_locked, 1);
  EXPECT_EQ(creator.rank, 2);
  EXPECT_EQ(community().StatsFor(NewUser("cat"), 0).rank, 0);

  const auto history = community().VoteHistory(bob, 2);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].created_at, 5 * day + 9);  // newest first
  EXPECT_EQ(history[0].clip.id, clip);
  EXPECT_EQ(history[0].clip.username, "ann");
  EXPECT_EQ(history[0].vote_type, "standard");
}

TEST_P(CommunityRepositoriesContract, CommentsPageNewestOrTopWithRepliesAndExactLikes) {
  const Id season = NewSeason();
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const Id clip = NewClip(season, ann);
  const auto first = Say(clip, ann, "first", 10);
  const auto second = Say(clip, bob, "second", 20);
  const auto third = Say(clip, bob, "third", 30);
  const auto reply = Say(clip, ann, "a reply", 40, first.id);
  EXPECT_EQ(first.username, "ann");
  EXPECT_EQ(reply.parent_id, first.id);

  EXPECT_TRUE(comments().AddLike(second.id, ann, 50));
  EXPECT_FALSE(comments().AddLike(second.id, ann, 51));  // once per person
  EXPECT_TRUE(comments().AddLike(second.id, bob, 52));
  EXPECT_TRUE(comments().AddLike(first.id, bob, 53));
  EXPECT_EQ(comments().FindComment(second.id)->likes, 2);

  const auto newest = comments().ListTopLevel(clip, Order::kNewest, std::nullopt, 2, ann);
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].id, third.id);
  EXPECT_TRUE(newest[1].liked_by_me);
  const auto older =
      comments().ListTopLevel(clip, Order::kNewest, CommentCursor{20, second.id}, 10, ann);
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0].id, first.id);
  const auto top = comments().ListTopLevel(clip, Order::kTop, std::nullopt, 10, std::nullopt);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].id, second.id);
  EXPECT_FALSE(top[0].liked_by_me);

  const auto replies = comments().ListReplies({first.id, second.id}, bob);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].text, "a reply");
  EXPECT_TRUE(comments().ListReplies({}, bob).empty());

  EXPECT_TRUE(comments().RemoveLike(second.id, ann));
  EXPECT_FALSE(comments().RemoveLike(second.id, ann));
  EXPECT_EQ(comments().FindComment(second.id)->likes, 1);
}

TEST_P(CommunityRepositoriesContract, HiddenCommentsAreNotListedOrCounted) {
  const Id season = NewSeason();
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const Id clip = NewClip(season, ann);
  const Id other = NewClip(season, ann);
  const auto kept = Say(clip, ann, "kept", 10);
  const auto deleted = Say(clip, ann, "deleted", 20);
  const auto held = Say(clip, bob, "held", 30);
  const auto by_bob = Say(clip, bob, "bob speaks", 40);
  Say(other, ann, "elsewhere", 50);
  comments().SoftDeleteComment(deleted.id);
  comments().SetCommentStatus(held.id, CommentStatus::kFlagged);
  EXPECT_TRUE(comments().FindComment(deleted.id)->deleted);

  EXPECT_EQ(comments().ListTopLevel(clip, Order::kNewest, std::nullopt, 10, ann).size(), 2u);
  // Ann blocks Bob: his comments disappear for her, not for others.
  EXPECT_TRUE(social().AddBlock(ann, bob, 60));
  const auto for_ann = comments().ListTopLevel(clip, Order::kNewest, std::nullopt, 10, ann);
  ASSERT_EQ(for_ann.size(), 1u);
  EXPECT_EQ(for_ann[0].id, kept.id);
  EXPECT_EQ(comments().ListTopLevel(clip, Order::kNewest, std::nullopt, 10, bob).size(), 2u);
  EXPECT_EQ(by_bob.username, "bob");

  const auto counts = comments().CountComments({clip, other});
  std::map<Id, std::int64_t> by_clip(counts.begin(), counts.end());
  EXPECT_EQ(by_clip[clip], 2);
  EXPECT_EQ(by_clip[other], 1);

  const auto flagged = comments().ListCommentsByStatus(CommentStatus::kFlagged, 10, 0);
  ASSERT_EQ(flagged.size(), 1u);
  EXPECT_EQ(flagged[0].id, held.id);
  EXPECT_EQ(comments().ListCommentsByStatus(std::nullopt, 10, 0).size(), 4u);  // not deleted
  EXPECT_EQ(comments().ListCommentsByStatus(std::nullopt, 2, 3).size(), 1u);
}

TEST_P(CommunityRepositoriesContract, FollowsAreCountedAndListedNewestFirstAndBlocksKept) {
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const Id cat = NewUser("cat");
  EXPECT_TRUE(social().AddFollow(bob, ann, 10));
  EXPECT_FALSE(social().AddFollow(bob, ann, 11));
  EXPECT_TRUE(social().AddFollow(cat, ann, 12));
  EXPECT_TRUE(social().AddFollow(ann, cat, 13));
  EXPECT_TRUE(social().IsFollowing(bob, ann));
  EXPECT_FALSE(social().IsFollowing(ann, bob));
  const auto counts = social().CountFollows(ann);
  EXPECT_EQ(counts.followers, 2);
  EXPECT_EQ(counts.following, 1);

  const auto followers = social().ListFollowers(ann, std::nullopt, 1);
  ASSERT_EQ(followers.size(), 1u);
  EXPECT_EQ(followers[0].user.username, "cat");
  EXPECT_EQ(followers[0].since, 12);
  EXPECT_TRUE(followers[0].user.email.empty());  // public fields only
  const auto rest = social().ListFollowers(ann, followers[0].cursor, 10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].user.id, bob);
  EXPECT_EQ(social().ListFollowing(ann, std::nullopt, 10).at(0).user.id, cat);
  EXPECT_TRUE(social().RemoveFollow(bob, ann));
  EXPECT_FALSE(social().RemoveFollow(bob, ann));

  EXPECT_TRUE(social().AddBlock(ann, bob, 20));
  EXPECT_FALSE(social().AddBlock(ann, bob, 21));
  EXPECT_TRUE(social().AddBlock(ann, cat, 22));
  EXPECT_TRUE(social().IsBlocked(ann, bob));
  EXPECT_FALSE(social().IsBlocked(bob, ann));
  EXPECT_EQ(social().CountBlocked(ann), 2);
  EXPECT_EQ(social().ListBlocked(ann, 10).at(0).user.id, cat);
  EXPECT_TRUE(social().RemoveBlock(ann, bob));
  EXPECT_EQ(social().CountBlocked(ann), 1);
}

AIMOVIEZ_ON_EVERY_BACKEND(CommunityRepositoriesContract);

}  // namespace
}  // namespace aimoviez

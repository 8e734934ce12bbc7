// The record-keeping repositories (published round logs, search, a person's export and erasure)
// behave the same on every backend: each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <set>

#include "storage/person_tables.h"
#include "store_backends.h"

namespace aimoviez {
namespace {

class RecordsRepositoriesContract : public testing::BackendTest {
 protected:
  Id NewUser(const std::string& name) {
    return users().CreateUser(name + "@example.com", name, 1).value().id;
  }
  Id NewSeason() {
    Season s;
    s.label = "S";
    s.total_slots = 3;
    s.voting_window_seconds = 60;
    return seasons().CreateSeason(s).id;
  }
  Clip NewClip(Id season, std::optional<Id> creator, const std::string& title,
               const std::string& description, ClipStatus status, std::int64_t votes = 0,
               EpochMs at = 1, const std::string& genre = "Drama") {
    Clip c;
    c.season_id = season;
    c.slot_position = 1;
    c.user_id = creator;
    c.title = title;
    c.description = description;
    c.genre = genre;
    c.status = status;
    c.vote_count = votes;
    c.created_at = at;
    return clips().InsertClip(c);
  }
  std::vector<Id> Find(std::vector<std::string> words, SearchSort sort = SearchSort::kTop,
                       std::optional<std::string> genre = std::nullopt, EpochMs now = 0) {
    ClipSearch q;
    q.words = std::move(words);
    q.sort = sort;
    q.genre = std::move(genre);
    q.now = now;
    return search().SearchClips(q);
  }
};

merkle::Hash HashOf(const std::string& text) {
  return merkle::LeafHash(text);
}

TEST_P(RecordsRepositoriesContract, ARoundLogKeepsItsRootTallyAndFrozenLeaves) {
  std::vector<StoredRoundLeaf> leaves;
  std::string binary("\x00\x01\xff\"\\,{}", 9);  // every awkward byte a leaf may hold
  for (std::uint64_t i = 0; i < 3; ++i) {
    const std::string leaf = binary + std::to_string(i);
    leaves.push_back(StoredRoundLeaf{i, leaf, HashOf(leaf), 40 + static_cast<Id>(i), 1});
  }
  RoundLogRecord log;
  log.season_id = 5;
  log.slot = 2;
  log.revision = 1;
  log.tree_size = 3;
  log.root = HashOf("root");
  log.winner_clip_id = 41;
  log.tally_json = R"([{"clipId":41,"votes":2}])";
  log.published_at = 100;
  log.season_log_index = 0;
  round_logs().InsertRoundLog(log, leaves);
  auto second = log;
  second.revision = 2;  // an admin's unlock and re-close
  second.winner_assigned = true;
  second.alarm = "tally differs";
  second.season_log_index = 1;
  round_logs().InsertRoundLog(second, {});

  const auto found = round_logs().FindRoundLog(5, 2);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->revision, 2);
  EXPECT_TRUE(found->winner_assigned);
  EXPECT_EQ(found->alarm, "tally differs");
  EXPECT_EQ(found->root, HashOf("root"));
  EXPECT_FALSE(round_logs().FindRoundLog(5, 3).has_value());
  const auto season_log = round_logs().ListSeasonLog(5);
  ASSERT_EQ(season_log.size(), 2u);
  EXPECT_EQ(season_log[0].tally_json, R"([{"clipId":41,"votes":2}])");
  EXPECT_EQ(season_log[0].tree_size, 3u);

  const auto stored = round_logs().ListRoundLeaves(5, 2, 1, 1, 10);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].leaf, binary + "1");
  EXPECT_EQ(stored[0].leaf_hash, HashOf(binary + "1"));
  EXPECT_EQ(stored[1].clip_id, 42);
  std::vector<merkle::Hash> hashes;
  round_logs().ForEachRoundLeafHash(5, 2, 1, [&](const merkle::Hash& h) { hashes.push_back(h); });
  ASSERT_EQ(hashes.size(), 3u);
  EXPECT_EQ(hashes[2], HashOf(binary + "2"));
  EXPECT_EQ(round_logs().FindRoundLeafIndex(5, 2, 1, HashOf(binary + "2")), 2u);
  EXPECT_FALSE(round_logs().FindRoundLeafIndex(5, 2, 2, HashOf(binary + "2")).has_value());
}

TEST_P(RecordsRepositoriesContract, SearchFindsPublicClipsByWordPrefixesWithDiacriticsFolded) {
  const Id season = NewSeason();
  const Id ana = NewUser("AnaFilms");
  const auto rain =
      NewClip(season, ana, "Rain on glass", "A café at night", ClipStatus::kActive, 5);
  const auto glow =
      NewClip(season, std::nullopt, "Glow", "neon", ClipStatus::kLocked, 9, 1, "Horror");
  NewClip(season, ana, "Rain, unseen", "pending", ClipStatus::kPending, 50);
  NewClip(season, ana, "Rain, refused", "rejected", ClipStatus::kRejected, 50);

  EXPECT_EQ(Find({"rain", "gla"}), std::vector<Id>{rain.id});
  EXPECT_EQ(Find({"cafe"}), std::vector<Id>{rain.id});  // "café" folded
  EXPECT_EQ(Find({"CAFÉ"}), std::vector<Id>{rain.id});
  EXPECT_EQ(Find({"anafil"}), std::vector<Id>{rain.id});     // the creator's name
  EXPECT_TRUE(Find({"rain", "neon"}).empty());               // every word must match
  EXPECT_EQ(Find({}), (std::vector<Id>{glow.id, rain.id}));  // top: most votes first
  EXPECT_EQ(Find({}, SearchSort::kNew).size(), 2u);
  EXPECT_EQ(Find({}, SearchSort::kTop, "Horror"), std::vector<Id>{glow.id});

  ASSERT_TRUE(users().RenameUser(ana, "Zelda").ok());  // the index follows a rename
  EXPECT_EQ(Find({"zel"}), std::vector<Id>{rain.id});
  EXPECT_TRUE(Find({"anafil"}).empty());
  auto edited = rain;
  edited.title = "Storm";
  clips().UpdateClip(edited);  // and an edit
  EXPECT_TRUE(Find({"gla"}).empty());
  EXPECT_EQ(Find({"storm"}), std::vector<Id>{rain.id});
}

TEST_P(RecordsRepositoriesContract, TrendingWeighsVotesByAgeAndCreatorsMatchByPrefix) {
  const Id season = NewSeason();
  const EpochMs hour = 3'600'000;
  const auto old_hit = NewClip(season, std::nullopt, "Old", "", ClipStatus::kActive, 100, 0);
  const auto fresh = NewClip(season, std::nullopt, "Fresh", "", ClipStatus::kActive, 30, 98 * hour);
  EXPECT_EQ(Find({}, SearchSort::kTrending, std::nullopt, 100 * hour),
            (std::vector<Id>{fresh.id, old_hit.id}));

  const Id ann = NewUser("Annie");
  const Id anders = NewUser("anders");
  NewUser("andy");  // no public clip
  NewClip(season, ann, "a", "", ClipStatus::kActive);
  NewClip(season, anders, "b", "", ClipStatus::kLocked);
  const auto creators = search().SearchCreators("an", 0, 10);
  ASSERT_EQ(creators.size(), 2u);
  EXPECT_EQ(creators[0].username, "anders");
  EXPECT_TRUE(creators[0].email.empty());
  EXPECT_EQ(search().SearchCreators("an", 1, 10).size(), 1u);
  EXPECT_TRUE(search().SearchCreators("an\\_", 0, 10).empty());
}

TEST_P(RecordsRepositoriesContract, APersonIsExportedFromEveryTableAndErasedWithTheRightRemains) {
  const Id season = NewSeason();
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const auto lost = NewClip(season, ann, "lost", "", ClipStatus::kActive);
  auto won = NewClip(season, ann, "won", "", ClipStatus::kLocked);
  const auto other = NewClip(season, bob, "other", "", ClipStatus::kActive);
  clips().FinishProcessing(lost.id, "/media/clips/lost.mp4", "/media/thumbs/lost.jpg", 8000);
  sessions().CreateSession(SessionRecord{"secret-hash", ann, 1, 1, "pub", "phone"});
  VoteWrite closed_vote;
  closed_vote.record.id = 1;
  closed_vote.record.clip_id = other.id;
  closed_vote.record.season_id = season;
  closed_vote.record.voter_key = "user_" + std::to_string(ann);
  closed_vote.record.user_id = ann;
  closed_vote.record.slot_position = 1;
  closed_vote.record.created_at = 5;
  votes().ApplyVoteBatch({closed_vote}, {}, {});
  Comment said;
  said.clip_id = other.id;
  said.user_id = ann;
  said.text = "hello";
  said.created_at = 7;
  const auto parent = comments().InsertComment(said);
  said.user_id = bob;
  said.parent_id = parent.id;
  said.text = "a reply";
  comments().InsertComment(said);
  audit().AppendAudit(
      AuditEntry{0, "clip.approve", "clip", "1", "ann@example.com", ann, R"({"by":"ann"})", 9});

  const auto exported = accounts().ExportAccount(ann);
  for (const auto& table : PersonTables()) {
    if (table.postgres_only && GetParam() != "postgres") continue;
    EXPECT_TRUE(exported.contains(table.name)) << table.name;
  }
  ASSERT_EQ(exported.at("sessions").as_array().size(), 1u);
  EXPECT_FALSE(exported.at("sessions").as_array()[0].as_object().contains("token_hash"));
  EXPECT_EQ(exported.at("users").as_array()[0].as_object().at("is_admin").as_int64(), 0);
  EXPECT_EQ(exported.at("votes").as_array().size(), 1u);
  EXPECT_EQ(exported.at("tournament_clips").as_array().size(), 2u);
  EXPECT_EQ(accounts().VotedClipsAt("user_" + std::to_string(ann), season, 1),
            std::vector<Id>{other.id});

  const auto erased = accounts().EraseAccount(ann, 50);
  EXPECT_FALSE(users().FindUser(ann).has_value());
  EXPECT_FALSE(sessions().FindSession("secret-hash").has_value());
  EXPECT_FALSE(clips().FindClip(lost.id).has_value());
  const auto kept = clips().FindClip(won.id);  // a winner stays in its film, without its author
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->username, "deleted user");
  EXPECT_EQ(erased.seasons_to_recredit, std::vector<Id>{season});
  std::set<std::string> media(erased.media_keys.begin(), erased.media_keys.end());
  EXPECT_EQ(media, (std::set<std::string>{"clips/lost.mp4", "thumbs/lost.jpg"}));
  // The closed round's vote still counts, no longer tied to her.
  std::vector<std::string> voters;
  votes().ForEachVoteAt(season, 1, [&](const StoredVote& v) { voters.push_back(v.voter_key); });
  ASSERT_EQ(voters.size(), 1u);
  EXPECT_EQ(voters[0], "erased_1");
  // Her comment that was replied to stays as an empty, authorless placeholder.
  const auto placeholder = comments().FindComment(parent.id);
  ASSERT_TRUE(placeholder.has_value());
  EXPECT_EQ(placeholder->text, "");
  EXPECT_EQ(placeholder->username, "deleted user");
  const auto trail = audit().ListAudit(std::nullopt, 5).entries.at(0);
  EXPECT_EQ(trail.admin_email, "");
  EXPECT_FALSE(trail.admin_user_id.has_value());
  accounts().Scrub();
  EXPECT_TRUE(accounts().EraseAccount(ann, 60).media_keys.empty());  // already gone: nothing
}

AIMOVIEZ_ON_EVERY_BACKEND(RecordsRepositoriesContract);

// On PostgreSQL too, every table with a person column is in the export's list.
TEST(PostgresSchema, EveryTableWithAPersonColumnIsExported) {
  AIMOVIEZ_NEED_POSTGRES();
  testing::PostgresBackend backend(*testing::PostgresServerUrl());
  const auto rows = backend.db().Exec(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 "
      "ORDER BY table_name",
      pg::Params(backend.schema.name()));
  std::set<std::string> exported;
  for (const auto& t : PersonTables()) exported.insert(t.name);
  std::set<std::string> person_tables;
  for (int i = 0; i < rows.size(); ++i) {
    if (IsPersonColumn(rows.Text(i, 1))) person_tables.insert(rows.Text(i, 0));
  }
  for (const auto& table : person_tables) {
    EXPECT_TRUE(exported.count(table)) << table << " holds a person column but is not exported";
  }
  EXPECT_TRUE(person_tables.count("votes"));
  EXPECT_TRUE(person_tables.count("users"));
}

}  // namespace
}  // namespace aimoviez

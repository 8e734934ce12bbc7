// The catalogue repositories (seasons and slots, clips, films, uploads) behave the same on every
// backend: each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include "store_backends.h"

namespace aimoviez {
namespace {

class CatalogRepositoriesContract : public testing::BackendTest {
 protected:
  Season NewSeason(const std::string& label, int slots = 3) {
    Season s;
    s.label = label;
    s.genre = "Thriller";
    s.description = "A heist";
    s.total_slots = slots;
    s.voting_window_seconds = 3600;
    s.created_at = 1000;
    return seasons().CreateSeason(s);
  }

  Clip NewClip(Id season, int position, std::optional<Id> user, const std::string& title,
               EpochMs at, ClipStatus status = ClipStatus::kActive) {
    Clip c;
    c.season_id = season;
    c.slot_position = position;
    c.user_id = user;
    c.title = title;
    c.genre = "Thriller";
    c.video_url = "/media/" + title + ".mp4";
    c.duration_ms = 8000;
    c.status = status;
    c.created_at = at;
    return clips().InsertClip(c);
  }

  // A stored vote row, as the vote engine's writer leaves it.
  void AddVote(Id clip, const std::string& voter, int weight, Id season, int position) {
    VoteWrite w;
    w.record.id = ++last_vote_id_;
    w.record.clip_id = clip;
    w.record.voter_key = voter;
    w.record.weight = weight;
    w.record.vote_type = weight == 1 ? "standard" : weight == 3 ? "super" : "mega";
    w.record.season_id = season;
    w.record.slot_position = position;
    w.record.created_at = 5;
    votes().ApplyVoteBatch({w}, {}, {});
  }

  Id last_vote_id_ = 0;
};

TEST_P(CatalogRepositoriesContract, ASeasonIsCreatedWithItsUpcomingSlots) {
  const auto season = NewSeason("Season 1", 3);
  EXPECT_GT(season.id, 0);
  const auto slots = seasons().ListSlots(season.id);
  ASSERT_EQ(slots.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(slots[i].position, i + 1);
    EXPECT_EQ(slots[i].status, SlotStatus::kUpcoming);
    EXPECT_EQ(slots[i].label, "Slot " + std::to_string(i + 1));
    EXPECT_EQ(slots[i].genre, "Thriller");
    EXPECT_FALSE(slots[i].winner_clip_id.has_value());
  }
  const auto found = seasons().FindSeason(season.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->label, "Season 1");
  EXPECT_EQ(found->description, "A heist");
  EXPECT_EQ(found->voting_window_seconds, 3600);
  EXPECT_FALSE(found->activated_at.has_value());
  EXPECT_FALSE(seasons().FindActiveSeason().has_value());
}

TEST_P(CatalogRepositoriesContract, SeasonsAreUpdatedActivatedAndListed) {
  auto first = NewSeason("One");
  const auto second = NewSeason("Two");
  first.status = SeasonStatus::kActive;
  first.activated_at = 2000;
  first.label = "One, renamed";
  seasons().UpdateSeason(first);
  const auto active = seasons().FindActiveSeason();
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->id, first.id);
  EXPECT_EQ(active->label, "One, renamed");
  EXPECT_EQ(active->activated_at, 2000);
  const auto all = seasons().ListSeasons();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].id, second.id);
}

TEST_P(CatalogRepositoriesContract, TheOpenSlotAndTheSlotsWhoseVotingEnded) {
  const auto season = NewSeason("S", 3);
  auto slot = *seasons().FindSlotAt(season.id, 2);
  EXPECT_FALSE(seasons().FindOpenSlot(season.id).has_value());
  slot.status = SlotStatus::kVoting;
  slot.voting_started_at = 100;
  slot.voting_ends_at = 500;
  seasons().UpdateSlot(slot);
  EXPECT_EQ(seasons().FindOpenSlot(season.id)->position, 2);
  EXPECT_EQ(seasons().FindSlot(slot.id)->voting_ends_at, 500);
  EXPECT_TRUE(seasons().ListVotingSlotsEndingBefore(499).empty());
  const auto ended = seasons().ListVotingSlotsEndingBefore(500);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].id, slot.id);
  EXPECT_FALSE(seasons().FindSlotAt(season.id, 4).has_value());
}

TEST_P(CatalogRepositoriesContract, ClipsCarryTheirCreatorAndAreFilteredAndPaged) {
  const auto season = NewSeason("S");
  const Id maker = users().CreateUser("m@example.com", "maker", 1).value().id;
  const auto a = NewClip(season.id, 1, maker, "a", 10);
  NewClip(season.id, 1, std::nullopt, "b", 20);
  NewClip(season.id, 2, maker, "c", 5, ClipStatus::kPending);
  EXPECT_EQ(a.username, "maker");
  EXPECT_EQ(a.duration_ms, 8000);
  EXPECT_EQ(a.status, ClipStatus::kActive);
  EXPECT_EQ(a.processing, ProcessingStatus::kReady);

  ClipQuery all;
  all.season_id = season.id;
  const auto listed = clips().ListClips(all);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].title, "a");  // by position, then age
  EXPECT_EQ(listed[2].title, "c");
  EXPECT_EQ(clips().CountClips(all), 3);

  ClipQuery mine;
  mine.user_id = maker;
  mine.status = ClipStatus::kActive;
  EXPECT_EQ(clips().CountClips(mine), 1);
  ClipQuery slot_one;
  slot_one.season_id = season.id;
  slot_one.slot_position = 1;
  slot_one.limit = 1;
  slot_one.offset = 1;
  const auto page = clips().ListClips(slot_one);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].title, "b");
  EXPECT_EQ(clips().CountClips(ClipQuery{}), 3);
}

TEST_P(CatalogRepositoriesContract, AClipIsEditedAndAClipWithoutSeasonStaysWithoutOne) {
  auto loose = NewClip(0, 0, std::nullopt, "loose", 1, ClipStatus::kPending);
  EXPECT_EQ(loose.season_id, 0);
  loose.title = "renamed";
  loose.status = ClipStatus::kRejected;
  clips().UpdateClip(loose);
  const auto found = *clips().FindClip(loose.id);
  EXPECT_EQ(found.title, "renamed");
  EXPECT_EQ(found.status, ClipStatus::kRejected);
  EXPECT_EQ(found.season_id, 0);
  EXPECT_FALSE(clips().FindClip(loose.id + 100).has_value());
}

TEST_P(CatalogRepositoriesContract, StandingsAreCountedFromTheStoredVotesOfTheRound) {
  const auto season = NewSeason("S");
  const auto a = NewClip(season.id, 1, std::nullopt, "a", 1);
  const auto b = NewClip(season.id, 1, std::nullopt, "b", 2);
  const auto out = NewClip(season.id, 1, std::nullopt, "out", 3, ClipStatus::kEliminated);
  AddVote(a.id, "v1", 1, season.id, 1);
  AddVote(a.id, "v2", 10, season.id, 1);
  AddVote(b.id, "v1", 1, season.id, 1);
  AddVote(b.id, "v3", 1, season.id, 2);  // another round's vote does not count here
  AddVote(out.id, "v1", 1, season.id, 1);
  const auto standings = clips().SlotStandings(season.id, 1);
  ASSERT_EQ(standings.size(), 2u);
  EXPECT_EQ(standings[0].clip_id, a.id);
  EXPECT_EQ(standings[0].vote_count, 2);
  EXPECT_EQ(standings[0].weighted_score, 11);
  EXPECT_EQ(standings[1].vote_count, 1);
  EXPECT_EQ(standings[1].created_at, 2);

  clips().SnapshotCounters(standings);
  EXPECT_EQ(clips().FindClip(a.id)->weighted_score, 11);
  EXPECT_EQ(clips().FindClip(b.id)->vote_count, 1);

  clips().CarryClips({a.id, out.id}, 2);
  const auto carried = *clips().FindClip(out.id);
  EXPECT_EQ(carried.slot_position, 2);
  EXPECT_EQ(carried.status, ClipStatus::kActive);
  EXPECT_EQ(clips().FindClip(a.id)->vote_count, 0);
  clips().SetClipsStatus({a.id, b.id}, ClipStatus::kLocked);
  EXPECT_EQ(clips().FindClip(b.id)->status, ClipStatus::kLocked);
  clips().CarryClips({}, 3);  // nothing to carry: nothing changes
  clips().SnapshotCounters({});
  EXPECT_EQ(clips().FindClip(b.id)->slot_position, 1);
}

TEST_P(CatalogRepositoriesContract, UploadedClipsQueueForProcessingOldestFirst) {
  const auto season = NewSeason("S");
  auto first = NewClip(season.id, 1, std::nullopt, "first", 1, ClipStatus::kPending);
  auto second = NewClip(season.id, 1, std::nullopt, "second", 2, ClipStatus::kPending);
  EXPECT_FALSE(clips().NextClipToProcess().has_value());
  clips().SetProcessing(first.id, ProcessingStatus::kQueued, 0, "");
  clips().SetProcessing(second.id, ProcessingStatus::kQueued, 0, "");
  EXPECT_EQ(clips().NextClipToProcess()->id, first.id);

  clips().SetProcessing(first.id, ProcessingStatus::kProcessing, 40, "");
  EXPECT_EQ(clips().NextClipToProcess()->id, second.id);
  EXPECT_EQ(clips().FindClip(first.id)->processing_progress, 40);
  // A process stopped mid-way: at the next start the clip is queued again.
  clips().RequeueInterruptedProcessing();
  EXPECT_EQ(clips().NextClipToProcess()->id, first.id);
  EXPECT_EQ(clips().FindClip(first.id)->processing_progress, 0);

  clips().FinishProcessing(first.id, "/media/f.mp4", "/media/f.jpg", 7900);
  const auto done = *clips().FindClip(first.id);
  EXPECT_EQ(done.processing, ProcessingStatus::kReady);
  EXPECT_EQ(done.video_url, "/media/f.mp4");
  EXPECT_EQ(done.duration_ms, 7900);
  clips().SetProcessing(second.id, ProcessingStatus::kFailed, 10, "not a video");
  EXPECT_EQ(clips().FindClip(second.id)->processing_error, "not a video");
  EXPECT_FALSE(clips().NextClipToProcess().has_value());
}

TEST_P(CatalogRepositoriesContract, AFilmIsQueuedBuiltAndRequeued) {
  auto season = NewSeason("S");
  EXPECT_TRUE(films().FinishedSeasonsWithoutFilm().empty());
  season.status = SeasonStatus::kFinished;
  seasons().UpdateSeason(season);
  EXPECT_EQ(films().FinishedSeasonsWithoutFilm(), std::vector<Id>{season.id});

  auto film = films().RequestFilm(season.id, 100);
  EXPECT_EQ(film.status, FilmStatus::kQueued);
  EXPECT_EQ(film.created_at, 100);
  EXPECT_TRUE(films().FinishedSeasonsWithoutFilm().empty());
  EXPECT_EQ(films().NextFilmToBuild()->id, film.id);

  film.status = FilmStatus::kBuilding;
  film.progress = 50;
  films().UpdateFilm(film);
  EXPECT_FALSE(films().NextFilmToBuild().has_value());
  clips().RequeueInterruptedProcessing();  // a build cut short is queued again too
  EXPECT_EQ(films().FindFilm(season.id)->status, FilmStatus::kQueued);

  film.status = FilmStatus::kReady;
  film.video_url = "/media/film.mp4";
  film.chapters_json = R"([{"slot":1}])";
  film.duration_ms = 24000;
  films().UpdateFilm(film);
  const auto ready = *films().FindFilm(season.id);
  EXPECT_EQ(ready.chapters_json, R"([{"slot":1}])");
  EXPECT_EQ(ready.duration_ms, 24000);

  const auto rebuilt = films().RequestFilm(season.id, 900);  // the same row, queued again
  EXPECT_EQ(rebuilt.id, film.id);
  EXPECT_EQ(rebuilt.status, FilmStatus::kQueued);
  EXPECT_EQ(rebuilt.created_at, 100);
  EXPECT_EQ(rebuilt.updated_at, 900);
}

TEST_P(CatalogRepositoriesContract, DeletingASeasonTakesItsSlotsClipsVotesAndFilm) {
  const auto season = NewSeason("Gone");
  const auto kept = NewSeason("Kept");
  const auto clip = NewClip(season.id, 1, std::nullopt, "c", 1);
  const auto other = NewClip(kept.id, 1, std::nullopt, "o", 1);
  AddVote(clip.id, "v", 1, season.id, 1);
  AddVote(other.id, "v", 1, kept.id, 1);
  auto slot = *seasons().FindSlotAt(season.id, 1);
  slot.winner_clip_id = clip.id;
  seasons().UpdateSlot(slot);
  films().RequestFilm(season.id, 1);

  seasons().DeleteSeason(season.id);
  EXPECT_FALSE(seasons().FindSeason(season.id).has_value());
  EXPECT_TRUE(seasons().ListSlots(season.id).empty());
  EXPECT_FALSE(clips().FindClip(clip.id).has_value());
  EXPECT_FALSE(films().FindFilm(season.id).has_value());
  EXPECT_TRUE(clips().SlotStandings(season.id, 1).empty());
  EXPECT_EQ(clips().SlotStandings(kept.id, 1).at(0).vote_count, 1);
}

TEST_P(CatalogRepositoriesContract, UploadsAreTrackedUntilRegisteredAndAbandonedOnesListed) {
  const Id maker = users().CreateUser("m@example.com", "maker", 1).value().id;
  Upload u;
  u.object_key = "uploads/abc.mp4";
  u.user_id = maker;
  u.declared_size = 5'000'000;
  u.content_type = "video/mp4";
  u.expires_at = 9000;
  u.created_at = 100;
  auto stored = uploads().InsertUpload(u);
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.status, UploadStatus::kSigned);
  EXPECT_EQ(stored.updated_at, 100);
  u.object_key = "uploads/def.mp4";
  u.created_at = 200;
  const auto second = uploads().InsertUpload(u);
  EXPECT_FALSE(uploads().FindUpload("uploads/none.mp4").has_value());

  stored.status = UploadStatus::kUploaded;
  stored.received_bytes = 4'999'000;
  uploads().UpdateUpload(stored);
  EXPECT_EQ(uploads().FindUpload("uploads/abc.mp4")->received_bytes, 4'999'000);

  // Abandoned: never registered, created before the cut-off; oldest first, bounded.
  EXPECT_EQ(uploads().ListAbandonedUploads(150, 10).size(), 1u);
  EXPECT_EQ(uploads().ListAbandonedUploads(1000, 1).size(), 1u);
  EXPECT_EQ(uploads().ListAbandonedUploads(1000, 10).size(), 2u);

  // Leaving: the links not yet used stop working.
  uploads().CancelSignedUploads(maker);
  EXPECT_EQ(uploads().FindUpload("uploads/def.mp4")->status, UploadStatus::kFailed);
  EXPECT_EQ(uploads().FindUpload("uploads/abc.mp4")->status, UploadStatus::kUploaded);

  const auto season = NewSeason("S");
  auto clip = NewClip(season.id, 1, maker, "abc", 5, ClipStatus::kPending);
  EXPECT_FALSE(uploads().IsKeyReferenced("uploads/abc.mp4"));
  clips().FinishProcessing(clip.id, "/media/uploads/abc.mp4", "/media/thumbs/abc.jpg", 8000);
  EXPECT_TRUE(uploads().IsKeyReferenced("uploads/abc.mp4"));
  EXPECT_TRUE(uploads().IsKeyReferenced("thumbs/abc.jpg"));
  stored.status = UploadStatus::kRegistered;
  stored.clip_id = clip.id;
  uploads().UpdateUpload(stored);
  EXPECT_EQ(uploads().ListAbandonedUploads(1000, 10).size(), 1u);
  uploads().DeleteUpload(second.id);
  EXPECT_TRUE(uploads().ListAbandonedUploads(1000, 10).empty());
}

AIMOVIEZ_ON_EVERY_BACKEND(CatalogRepositoriesContract);

}  // namespace
}  // namespace aimoviez

// Public reads (spec 16 "Core"): the story (seasons, slots, winners), single clips, genres with
// the genre vote between seasons, and the public feature-flag map.
#pragma once

#include <map>

#include "domain/actor.h"
#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/ports.h"
#include "domain/rate_limit.h"
#include "domain/rate_windows.h"
#include "domain/vote_engine.h"

namespace aimoviez {

struct StorySeason {
  Season season;
  std::vector<Slot> slots;
  std::map<Id, Clip> winners;  // by clip id
  std::int64_t clips_in_open_slot = 0;
};

struct GenreVoteView {
  bool voting_open = false;
  Id round = 0;
  std::vector<GenreTally> tallies;  // every known genre, zero when unvoted
  std::int64_t total_votes = 0;
  std::optional<std::string> my_vote;
};

// The open round as it stands: its clips by weighted score (live counts), best first.
struct RoundStandings {
  Season season;
  Slot slot;
  std::vector<Clip> clips;
  std::int64_t total_clips = 0;
};

class CatalogService {
 public:
  CatalogService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  // Live counts of open-slot clips come from the engine; stored counters are snapshots.
  void SetVoteEngine(VoteEngine& engine) { engine_ = &engine; }
  // Where a changed genre tally is announced (live percentages on the "season" channel).
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }
  // Where genre-vote changes are counted: the node's own windows until serving gives it the
  // shared ones (Redis in cluster mode, so one voter has one budget across nodes).
  void SetRateWindows(RateWindows& windows) { windows_ = &windows; }
  Clip WithLiveCounts(Clip clip);

  // Seasons visible to the public (never drafts), newest first; archived ones only on request.
  std::vector<StorySeason> Story(bool include_archived);
  Result<Clip> GetClip(Id clip_id);

  // Nullopt when no round is open. At most `limit` clips; ties by votes, then the older clip.
  std::optional<RoundStandings> OpenRoundStandings(int limit);
  // The most clips of one round that the standings rank (a round has far fewer in practice).
  static constexpr int kMaxStandingClips = 2000;

  GenreVoteView GenreVotes(const Actor& actor);
  Result<GenreVoteView> CastGenreVote(const Actor& actor, std::string_view genre);
  Result<GenreVoteView> RevokeGenreVote(const Actor& actor);
  // Genre-vote changes allowed per minute, per voter and per client address (a visitor
  // inventing new devices still shares an address).
  static constexpr int kGenreVotesPerVoterPerMinute = 10;
  static constexpr int kGenreVotesPerIpPerMinute = 30;

  std::vector<FeatureFlag> Features() { return store_.ListFlags(); }
  std::int64_t CreatorCount() { return store_.CountCreators(); }

 private:
  Status AdmitGenreVote(const Actor& actor);

  Store& store_;
  const Clock& clock_;
  VoteEngine* engine_ = nullptr;
  LiveEvents* live_ = nullptr;
  LocalRateWindows own_windows_;
  RateWindows* windows_ = &own_windows_;
};

}  // namespace aimoviez

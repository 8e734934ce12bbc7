#include "domain/catalog_service.h"

#include <algorithm>

namespace aimoviez {

std::vector<StorySeason> CatalogService::Story(bool include_archived) {
  std::vector<StorySeason> out;
  auto seasons = store_.ListSeasons();
  std::reverse(seasons.begin(), seasons.end());
  for (auto& season : seasons) {
    if (season.status == SeasonStatus::kDraft) continue;
    if (season.status == SeasonStatus::kArchived && !include_archived) continue;
    StorySeason s{season, store_.ListSlots(season.id), {}, 0};
    for (const auto& slot : s.slots) {
      if (slot.winner_clip_id) {
        if (auto clip = store_.FindClip(*slot.winner_clip_id)) s.winners.emplace(clip->id, *clip);
      }
      if (slot.status == SlotStatus::kVoting || slot.status == SlotStatus::kWaitingForClips) {
        s.clips_in_open_slot = store_.CountClips(
            ClipQuery{season.id, slot.position, ClipStatus::kActive, std::nullopt, 0, 0});
      }
    }
    out.push_back(std::move(s));
  }
  // The live season leads, then finished ones newest first.
  std::stable_partition(out.begin(), out.end(),
                        [](const auto& s) { return s.season.status == SeasonStatus::kActive; });
  return out;
}

Clip CatalogService::WithLiveCounts(Clip clip) {
  if (engine_ && clip.status == ClipStatus::kActive) {
    // Only for the round the engine serves: a node that has not yet read a round another node
    // opened still holds the clip's counts of the round before (the stored ones are current).
    const auto round = engine_->Round();
    if (!round || round->season_id != clip.season_id || round->position != clip.slot_position) {
      return clip;
    }
    if (auto counts = engine_->Counts(clip.id)) {
      clip.vote_count = counts->vote_count;
      clip.weighted_score = counts->weighted_score;
      clip.view_count = counts->impressions;
    }
  }
  return clip;
}

Result<Clip> CatalogService::GetClip(Id clip_id) {
  auto clip = store_.FindClip(clip_id);
  // Pending and rejected clips are visible only to moderators (through the admin API).
  if (!clip || clip->status == ClipStatus::kPending || clip->status == ClipStatus::kRejected) {
    return Error::NotFound("Clip");
  }
  return WithLiveCounts(*clip);
}

std::optional<RoundStandings> CatalogService::OpenRoundStandings(int limit) {
  auto season = store_.FindActiveSeason();
  if (!season) return std::nullopt;
  auto slot = store_.FindOpenSlot(season->id);
  if (!slot) return std::nullopt;
  RoundStandings out{*season, *slot, {}, 0};
  for (auto& clip : store_.ListClips(ClipQuery{season->id, slot->position, ClipStatus::kActive,
                                               std::nullopt, kMaxStandingClips, 0})) {
    out.clips.push_back(WithLiveCounts(std::move(clip)));
  }
  out.total_clips = static_cast<std::int64_t>(out.clips.size());
  std::sort(out.clips.begin(), out.clips.end(), [](const Clip& a, const Clip& b) {
    if (a.weighted_score != b.weighted_score) return a.weighted_score > b.weighted_score;
    if (a.vote_count != b.vote_count) return a.vote_count > b.vote_count;
    return a.id < b.id;
  });
  if (static_cast<int>(out.clips.size()) > limit) out.clips.resize(static_cast<std::size_t>(limit));
  return out;
}

GenreVoteView CatalogService::GenreVotes(const Actor& actor) {
  GenreVoteView view;
  view.round = store_.LatestFinishedSeasonId();
  // Genre voting runs between seasons: while no season is live.
  view.voting_open = view.round > 0 && !store_.FindActiveSeason().has_value();
  const auto counted = store_.TallyGenreVotes(view.round);
  for (const auto& genre : Genres()) {
    GenreTally t{genre, 0};
    for (const auto& c : counted) {
      if (c.genre == genre) t.votes = c.votes;
    }
    view.total_votes += t.votes;
    view.tallies.push_back(t);
  }
  view.my_vote = store_.FindGenreVote(view.round, actor.voter_key());
  return view;
}

Status CatalogService::AdmitGenreVote(const Actor& actor) {
  const EpochMs now = clock_.NowMs();
  // Throws LimitsUnavailable (503) when the shared windows cannot be asked: never unchecked.
  for (const auto& [key, limit] :
       {std::pair{"genre-voter|" + actor.voter_key(), kGenreVotesPerVoterPerMinute},
        std::pair{"genre-ip|" + actor.ip, kGenreVotesPerIpPerMinute}}) {
    const auto decision = windows_->Admit(key, limit, now);
    if (!decision.allowed) {
      return Error{ErrorKind::kRateLimited,
                   "RATE_LIMITED",
                   "Too many genre votes; slow down",
                   {{"retryAfterSeconds", decision.retry_after_seconds}}};
    }
  }
  return Ok{};
}

Result<GenreVoteView> CatalogService::CastGenreVote(const Actor& actor, std::string_view genre) {
  if (auto admitted = AdmitGenreVote(actor); !admitted) return admitted.error();
  if (!IsKnownGenre(genre)) {
    return Error::InvalidInput("genre is not one of the known genres", "INVALID_GENRE")
        .With("field", "genre");
  }
  auto view = GenreVotes(actor);
  if (!view.voting_open) {
    return Error::Conflict("GENRE_VOTING_CLOSED", "Genre voting opens when a season finishes");
  }
  store_.UpsertGenreVote(view.round, actor.voter_key(), genre, clock_.NowMs());
  auto changed = GenreVotes(actor);
  if (live_ != nullptr) live_->GenreVotesChanged(changed);
  return changed;
}

Result<GenreVoteView> CatalogService::RevokeGenreVote(const Actor& actor) {
  if (auto admitted = AdmitGenreVote(actor); !admitted) return admitted.error();
  auto view = GenreVotes(actor);
  if (!view.voting_open) {
    return Error::Conflict("GENRE_VOTING_CLOSED", "Genre voting opens when a season finishes");
  }
  if (!store_.DeleteGenreVote(view.round, actor.voter_key())) {
    return Error::NotFound("Genre vote");
  }
  auto changed = GenreVotes(actor);
  if (live_ != nullptr) live_->GenreVotesChanged(changed);
  return changed;
}

}  // namespace aimoviez

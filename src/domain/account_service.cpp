#include "domain/account_service.h"

#include <future>

#include "common/time.h"

namespace aimoviez {

boost::json::object AccountService::Export(const User& user) {
  boost::json::object doc;
  doc["format"] = "aimoviez-account-export/1";
  doc["exportedAt"] = FormatIso8601(clock_.NowMs());
  doc["userId"] = user.id;
  doc["tables"] = store_.ExportAccount(user.id);
  return doc;
}

int AccountService::WithdrawOpenRoundVotes(const User& user) {
  const auto round = engine_.Round();
  if (!round) return 0;
  const std::string voter = "user_" + std::to_string(user.id);
  int withdrawn = 0;
  for (Id clip_id : store_.VotedClipsAt(voter, round->season_id, round->position)) {
    // A clip may hold several of the voter's votes (multi-vote): revoke until none is left. The
    // bound only guards against a loop if the engine ever kept answering success.
    for (int i = 0; i < 1000; ++i) {
      std::promise<bool> done;
      engine_.Revoke(
          RevokeRequest{voter, "", clip_id},
          [&done](Result<VoteOutcome> r, const RateLimitInfo&) { done.set_value(r.ok()); });
      if (!done.get_future().get()) break;
      ++withdrawn;
    }
  }
  return withdrawn;
}

Result<AccountService::Deleted> AccountService::DeleteAccount(const User& user,
                                                              std::string_view confirm) {
  if (confirm != kDeleteAccountPhrase) {
    return Error::InvalidInput("Type DELETE MY ACCOUNT in `confirm` to delete your account",
                               "INVALID_CONFIRMATION")
        .With("field", "confirm");
  }
  Deleted deleted;
  store_.DeleteUserSessions(user.id, "");
  store_.CancelSignedUploads(user.id);
  live_->AccountSessionsEnded(user.id);
  deleted.votes_withdrawn = WithdrawOpenRoundVotes(user);
  ErasedAccount erased;
  engine_.Exclusive([&] { erased = store_.EraseAccount(user.id, clock_.NowMs()); });
  for (const auto& key : erased.media_keys) {
    if (objects_.RemoveObject(key)) ++deleted.media_removed;
  }
  // Films carry their scenes' credits in their chapters: rebuild those that named the person.
  const EpochMs now = clock_.NowMs();
  for (Id season_id : erased.seasons_to_recredit) {
    if (store_.FindFilm(season_id)) store_.RequestFilm(season_id, now);
  }
  if (!erased.seasons_to_recredit.empty()) films_.Wake();
  store_.Scrub();
  return deleted;
}

}  // namespace aimoviez

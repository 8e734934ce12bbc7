#include "domain/vote_refusals.h"

#include "common/time.h"

namespace aimoviez::vote_refusal {

namespace {
Error Make(ErrorKind kind, std::string code, std::string message) {
  return Error{kind, std::move(code), std::move(message), {}};
}
}  // namespace

Error NoActiveSlot() {
  return Make(ErrorKind::kConflict, "NO_ACTIVE_SLOT", "No slot is open for voting");
}

Error VotingClosed() {
  return Make(ErrorKind::kConflict, "VOTING_CLOSED", "This round's voting window has ended");
}

Error ClipNotVotable() {
  return Make(ErrorKind::kConflict, "CLIP_NOT_VOTABLE",
              "This clip is not competing in the open slot");
}

Error ClipLeftTheRound() {
  return Make(ErrorKind::kConflict, "CLIP_NOT_VOTABLE",
              "This clip is no longer competing in an open round");
}

Error RateLimitedNetwork() {
  return Make(ErrorKind::kRateLimited, "RATE_LIMITED",
              "Too many votes from this network; slow down");
}

Error RateLimitedVoter() {
  return Make(ErrorKind::kRateLimited, "RATE_LIMITED", "Too many votes; slow down");
}

Error DailyLimit(int limit, EpochMs now) {
  return Make(ErrorKind::kRateLimited, "DAILY_LIMIT", "Daily vote limit reached")
      .With("limit", limit)
      .With("resetAt", boost::json::string(FormatIso8601(NextUtcDayStart(now))));
}

Error AlreadyVoted() {
  return Make(ErrorKind::kConflict, "ALREADY_VOTED", "You already voted for this clip");
}

Error PowerVoteUsed(VoteType type) {
  return Make(ErrorKind::kConflict, "POWER_VOTE_USED",
              "Your " + std::string(ToString(type)) + " vote for this slot is already used");
}

Error VoteNotFound() {
  return Make(ErrorKind::kNotFound, "VOTE_NOT_FOUND", "You have not voted for this clip");
}

Error InvalidatedVoteNotFound() {
  return Make(ErrorKind::kNotFound, "VOTE_NOT_FOUND",
              "That vote is not among the open round's votes");
}

Error StorageUnavailable() {
  return Make(ErrorKind::kUnavailable, "STORAGE_UNAVAILABLE",
              "The vote could not be stored; try again");
}

std::optional<Error> RoundRefusal(const std::optional<OpenRound>& round, bool voting_open,
                                  EpochMs now, bool check_deadline) {
  if (!round || !voting_open) return NoActiveSlot();
  if (check_deadline && round->voting_ends_at && now >= *round->voting_ends_at) {
    return VotingClosed();
  }
  return std::nullopt;
}

}  // namespace aimoviez::vote_refusal

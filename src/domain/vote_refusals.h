// Why a vote (or its withdrawal) is refused, as the client sees it: one code and message for
// each reason, shared by the embedded and the cluster vote engines so the two answer alike.
#pragma once

#include <optional>
#include <string_view>

#include "domain/errors.h"
#include "domain/vote_types.h"

namespace aimoviez::vote_refusal {

Error NoActiveSlot();
Error VotingClosed();
Error ClipNotVotable();
// Cluster mode: the ledger found the round closed, or the clip gone from it, after this node
// let the vote by.
Error ClipLeftTheRound();
Error RateLimitedNetwork();
Error RateLimitedVoter();
Error DailyLimit(int limit, EpochMs now);
Error AlreadyVoted();
Error PowerVoteUsed(VoteType type);
Error VoteNotFound();
Error InvalidatedVoteNotFound();
Error StorageUnavailable();

// Why the open round (as an engine holds it) takes no vote now, or nullopt. `check_deadline`
// is off for withdrawals, which stay possible until the round closes.
std::optional<Error> RoundRefusal(const std::optional<OpenRound>& round, bool voting_open,
                                  EpochMs now, bool check_deadline);

}  // namespace aimoviez::vote_refusal

// Cluster mode's authority on votes. Several nodes take votes at once, so "one vote per voter,
// clip and round" and the daily cap cannot be decided in any one node's memory: each node's
// writer hands its whole batch to the ledger, which decides every vote against what all nodes
// have stored and stores the accepted ones, in one transaction (PostgreSQL). A node answers its
// requests only after that commit, so an accepted vote is durable whichever node dies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/ports.h"

namespace aimoviez {

struct LedgerVote {
  VoteRecord record;            // id is ignored: the ledger numbers accepted votes
  bool repeat_allowed = false;  // multi-vote: the same clip again is a further vote
  // An anonymous vote (record.network set): whether the client kept the signed device cookie.
  bool device_verified = true;
};

enum class LedgerVerdict {
  kAccepted,
  kAlreadyVoted,  // this voter's vote for this clip in this round is stored already
  kDailyLimit,    // the voter has used the day's allowance
  kPowerUsed,     // the voter's super (or mega) vote of this round is spent
  kRoundClosed,   // the round is not open for votes, or the clip is not competing in it
  // An anonymous vote past its network's budget for the day (LedgerRules::network):
  kNetworkClipBudget,     // votes on this clip
  kUnverifiedClipBudget,  // votes on this clip from clients without the device cookie
  kNetworkDailyBudget,    // votes on all clips
};

// A clip's standing in a round as the ledger keeps it (updated with every batch).
struct ClipTally {
  Id clip_id = 0;
  std::int64_t votes = 0;
  std::int64_t score = 0;        // the sum of the weights
  std::int64_t impressions = 0;  // voters shown the clip in this round (each once)
  bool operator==(const ClipTally&) const = default;
};

struct LedgerDecision {
  LedgerVerdict verdict = LedgerVerdict::kRoundClosed;
  Id vote_id = 0;        // the stored row, when accepted
  int votes_today = 0;   // the voter's count for the day after this decision
  bool flagged = false;  // when accepted: as the node asked, or for a run of rapid votes
  // When accepted: the clip's kept tally counting this vote and every vote committed before
  // it, on any node (the batch's votes for one clip are numbered in batch order).
  ClipTally tally;
};

// What a batch is decided by besides the stored votes: the day's allowance, and the run of
// votes, each within `rapid_gap_ms` of the one before, at which a vote is flagged (VotePolicy).
struct LedgerRules {
  LedgerRules(int cap = 200) : daily_cap(cap) {}  // NOLINT: a cap alone is the common case
  int daily_cap;
  int rapid_run = 8;
  std::int64_t rapid_gap_ms = 1500;
  // What one network (LedgerVote::record.network, an address or an IPv6 /64) may add by
  // anonymous votes in a day, counted over every node; past half the per-clip budget its votes
  // are flagged `busy_network`. Signed-in votes carry no network and are not counted.
  struct NetworkBudget {
    int per_clip = 20;
    int unverified_per_clip = 5;
    int per_day = 2000;
  } network;
};

// A vote taken out of a round, and its clip's kept tally after that.
struct LedgerRemoval {
  StoredVote vote;
  ClipTally tally;
};

// What the ledger holds of one voter in a round: enough for the voter's feed page.
struct VoterStanding {
  int votes_today = 0;
  std::vector<Id> voted_clip_ids;
  std::vector<Id> seen_clip_ids;
  std::uint8_t power_used = 0;     // 1: super spent, 2: mega spent (as VoteOutcome)
  std::int64_t round_version = 0;  // as RoundVersion(), read in the same round trip
};

// A kept tally that did not match the stored rows, and what it was set to.
struct TallyRepair {
  ClipTally kept;
  ClipTally counted;
};

class VoteLedger {
 public:
  virtual ~VoteLedger() = default;
  // Decides and stores a batch of votes for one round in one transaction: a decision per vote,
  // in the batch's order. `day_start` is the UTC day the votes count toward (ms).
  virtual std::vector<LedgerDecision> Commit(Id season_id, int slot_position,
                                             const std::vector<LedgerVote>& votes,
                                             EpochMs day_start, const LedgerRules& rules) = 0;
  // Removes the voter's latest vote for the clip in the round and returns it (nullopt: there
  // was none). A vote cast on `day_start`'s day gives that day's allowance back.
  virtual std::optional<LedgerRemoval> Revoke(Id season_id, int slot_position,
                                              std::string_view voter_key, Id clip_id,
                                              EpochMs day_start) = 0;
  // Removes exactly the stored vote `vote_id` of the round (an admin's invalidation): no
  // allowance is given back. nullopt when the round holds no such vote.
  virtual std::optional<LedgerRemoval> Invalidate(Id season_id, int slot_position, Id vote_id) = 0;
  // A number that changes whenever the open round as nodes cache it (season, slots, competing
  // clips) changes: a node that read an older one reads the round again.
  virtual std::int64_t RoundVersion() = 0;
  // The voter's votes today (of every round), their votes and the clips shown to them in the
  // round, the power votes they spent in it, and the round version.
  virtual VoterStanding Standing(Id season_id, int slot_position, std::string_view voter_key,
                                 EpochMs day_start) = 0;
  // Stores which clips each voter was shown; a clip shown to a voter again is not counted again.
  virtual void RecordImpressions(const std::vector<ViewRecord>& views) = 0;
  // Deletes the per-day counts (voters' and networks') of days before `day_start`: they decide
  // nothing any more. Returns how many rows went.
  virtual std::size_t ForgetDaysBefore(EpochMs day_start) = 0;
  // The kept tallies of a round's clips, in clip order: what every node shows.
  virtual std::vector<ClipTally> Tallies(Id season_id, int slot_position) = 0;
  // Recounts the round's stored rows, sets every kept tally that differs to the recount, and
  // says which ones did.
  virtual std::vector<TallyRepair> Reconcile(Id season_id, int slot_position) = 0;
};

}  // namespace aimoviez

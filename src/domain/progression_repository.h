// Storage port for progression (XP, streaks, badges): an outbox of engagement events written in
// the same transaction as what caused them, the durable cursors that consume it and the signed-in
// votes, and the per-user totals. ProgressionService applies everything inside one transaction
// with the cursor's move, so each event counts exactly once, across crashes and restarts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"
#include "domain/progression_rules.h"

namespace aimoviez {

// Kinds of engagement event (the outbox's `kind` column).
inline constexpr std::string_view kEventClipSubmitted = "clip_submitted";
inline constexpr std::string_view kEventClipApproved = "clip_approved";
inline constexpr std::string_view kEventClipRejected = "clip_rejected";
inline constexpr std::string_view kEventClipWon = "clip_won";
inline constexpr std::string_view kEventReferralCredited = "referral_credited";

struct EngagementEvent {
  Id id = 0;
  std::string kind;
  Id user_id = 0;
  Id ref_id = 0;       // the clip; for a referral, the account referred
  std::string detail;  // the clip's title (the referred username), for the notification
  EpochMs created_at = 0;
};

// Where a reader of the signed-in votes is, in commit order: `txn` orders the transactions that
// stored them (0 where one writer stores votes in id order, as SQLite does), `vote_id` the votes
// within one transaction. Several nodes take vote ids from one sequence but commit their batches
// in any order, so the id alone could pass a batch still being committed and skip it for ever.
struct VoteStreamPosition {
  std::int64_t txn = 0;
  Id vote_id = 0;
};

struct SignedInVote {
  std::int64_t txn = 0;
  Id vote_id = 0;
  Id user_id = 0;
  Id clip_id = 0;
  int slot_position = 0;
  EpochMs created_at = 0;
};

// A user's totals, rewritten as events apply.
struct UserProgress {
  Id user_id = 0;
  std::int64_t xp = 0;
  ProgressCounters counters;
  Streak streak;
  std::int64_t votes_on_day = 0;  // votes counted on streak.last_day (for the daily goal)
};

struct XpEntry {
  std::string event_key;
  std::string kind;
  int xp = 0;
  EpochMs created_at = 0;
};

struct BadgeUnlock {
  std::string badge;
  EpochMs unlocked_at = 0;
};

class ProgressionRepository {
 public:
  virtual ~ProgressionRepository() = default;
  // Called by services inside the transaction that made the change.
  virtual void AppendEngagementEvent(std::string_view kind, Id user_id, Id ref_id,
                                     std::string_view detail, EpochMs now) = 0;
  virtual std::vector<EngagementEvent> EngagementEventsAfter(Id after, int limit) = 0;
  // Signed-in votes whose transactions have finished, after `after` in commit order.
  virtual std::vector<SignedInVote> SignedInVotesAfter(VoteStreamPosition after, int limit) = 0;
  // Named positions: "events" (outbox ids), "votes" and "votes_txn" (a VoteStreamPosition).
  // Read inside a transaction, a cursor is held until it commits: one pass at a time moves it,
  // however many nodes run the job.
  virtual Id ProgressCursor(std::string_view name) = 0;
  virtual void SetProgressCursor(std::string_view name, Id position) = 0;

  virtual UserProgress LoadProgress(Id user_id) = 0;
  virtual void SaveProgress(const UserProgress& progress) = 0;
  // Records XP for an event once: false (and nothing written) when the key was already used.
  virtual bool AddXp(Id user_id, std::string_view event_key, std::string_view kind, int xp,
                     EpochMs now) = 0;
  virtual std::vector<XpEntry> RecentXp(Id user_id, int limit) = 0;
  // False when the badge was already unlocked.
  virtual bool UnlockBadge(Id user_id, std::string_view badge, EpochMs now) = 0;
  virtual std::vector<BadgeUnlock> ListBadges(Id user_id) = 0;
  // XP totals of several users at once (leaderboard rows); users without progress are absent.
  virtual std::vector<std::pair<Id, std::int64_t>> XpOfUsers(const std::vector<Id>& user_ids) = 0;
};

}  // namespace aimoviez

// Storage port for notifications to everyone (a new voting round, an admin's announcement): the
// broadcast is written once, in the transaction that caused it, and fanned out in batches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

struct Broadcast {
  Id id = 0;
  std::string type;  // round_started or announcement
  std::string title;
  std::string body;
  std::string link;
  std::string dedupe_key;  // unique: the same event is broadcast once
  std::optional<Id> created_by;
  EpochMs created_at = 0;
  Id next_user_id = 0;         // users with ids below it have been handled
  std::int64_t delivered = 0;  // notifications stored (muted types and duplicates not counted)
  std::optional<EpochMs> finished_at;
};

class BroadcastRepository {
 public:
  virtual ~BroadcastRepository() = default;
  // The new broadcast's id; nothing when its dedupe key was used before.
  virtual std::optional<Id> AppendBroadcast(const Broadcast& b) = 0;
  // The oldest broadcast not yet delivered to everyone that no other transaction is delivering;
  // held by the caller's transaction until it ends.
  virtual std::optional<Broadcast> NextPendingBroadcast() = 0;
  // Accounts, not banned, with ids of at least `from` and made no later than `created_by`,
  // ascending: a broadcast tells the people who were there when it was written.
  virtual std::vector<Id> UserIdsFrom(Id from, EpochMs created_by, int limit) = 0;
  virtual void AdvanceBroadcast(Id id, Id next_user_id, std::int64_t delivered,
                                std::optional<EpochMs> finished_at) = 0;
  // Newest first.
  virtual std::vector<Broadcast> RecentBroadcasts(std::string_view type, int limit) = 0;
};

}  // namespace aimoviez

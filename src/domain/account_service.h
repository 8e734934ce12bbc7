// A person's own account as data: the GDPR export (everything the platform holds about them, in
// one JSON document) and the deletion of the account with all personal data.
//
// Deletion, in order:
//  1. the account's sessions end, so nothing new can be done in its name meanwhile;
//  2. its votes in the open round are withdrawn through the vote engine (exactly as the person's
//     own "unvote" would), so the live counts stay exact;
//  3. in one transaction, under the engine's round gate (which reloads the engine after): likes
//     and genre votes go; comments go, except that one others replied to stays as an authorless,
//     empty placeholder; clips that never won go with their media and the votes cast on them;
//     winning clips stay in their film, credited to "deleted user"; votes of closed rounds stay
//     (the published tallies do not change) but lose the link to the person; the audit trail
//     forgets the person's email and name; the account, its sign-in identities and uploads go;
//  4. the media only those rows used is removed, films that credited the person are rebuilt,
//     and the database's log is checkpointed and truncated so no file keeps the erased rows
//     (SQLite runs with secure_delete, so freed pages are zeroed).
#pragma once

#include <boost/json/object.hpp>

#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/ports.h"
#include "domain/upload_service.h"
#include "domain/vote_engine.h"

namespace aimoviez {

inline constexpr std::string_view kDeleteAccountPhrase = "DELETE MY ACCOUNT";

class AccountService {
 public:
  AccountService(Store& store, const Clock& clock, VoteEngine& engine, ObjectStorage& objects,
                 ProcessingQueue& films)
      : store_(store), clock_(clock), engine_(engine), objects_(objects), films_(films) {}

  boost::json::object Export(const User& user);

  struct Deleted {
    int votes_withdrawn = 0;
    int media_removed = 0;
  };
  // INVALID_CONFIRMATION unless `confirm` is exactly kDeleteAccountPhrase.
  Result<Deleted> DeleteAccount(const User& user, std::string_view confirm);
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }

 private:
  int WithdrawOpenRoundVotes(const User& user);

  Store& store_;
  const Clock& clock_;
  VoteEngine& engine_;
  ObjectStorage& objects_;
  ProcessingQueue& films_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
};

}  // namespace aimoviez

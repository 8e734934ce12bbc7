// The vote use cases behind /api/vote: applies the feature flags (require_auth_voting,
// require_captcha_voting, multi_vote_enabled, power_votes_enabled) and hands the decision to the
// vote engine. Rules that need the open slot's state live in the engine.
#pragma once

#include <mutex>
#include <string>

#include "domain/actor.h"
#include "domain/captcha.h"
#include "domain/feature_flags.h"
#include "domain/live_events.h"
#include "domain/vote_engine.h"

namespace aimoviez {

class VoteService {
 public:
  // `network_key` keys the network tags anonymous votes are budgeted and stored under, so a
  // stored tag does not reveal the address (the IPv4 space is small enough to try whole).
  VoteService(VoteEngine& engine, FeatureFlags& flags, const CaptchaVerifier& captcha,
              const Clock& clock, std::string network_key)
      : engine_(engine),
        flags_(flags),
        captcha_(captcha),
        clock_(clock),
        network_key_(std::move(network_key)) {}

  // Durable vote changes are announced here (for coalesced live tallies).
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }

  void Cast(const Actor& actor, Id clip_id, VoteType type, const std::string& captcha_token,
            VoteCallback done);
  void Revoke(const Actor& actor, Id clip_id, VoteCallback done);
  // An admin's invalidation of one stored vote under review: withdrawn through the engine (so the
  // counts stay exact) and announced like any withdrawal; the voter gets nothing back.
  void Invalidate(const std::string& voter_key, Id clip_id, Id row_id, VoteCallback done);
  VoterFeed Feed(const Actor& actor, std::vector<Id> exclude_ids, std::size_t limit);
  std::optional<ClipCounts> Counts(Id clip_id) { return engine_.Counts(clip_id); }
  std::optional<OpenRound> Round() { return engine_.Round(); }
  bool CaptchaRequired() { return flags_.Enabled("require_captcha_voting"); }
  bool PowerVotesEnabled() { return flags_.Enabled("power_votes_enabled"); }
  bool MultiVoteEnabled() { return flags_.Enabled("multi_vote_enabled"); }

 private:
  VoteEngine& engine_;
  FeatureFlags& flags_;
  const CaptchaVerifier& captcha_;
  const Clock& clock_;
  std::string network_key_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
  std::mutex round_key_mutex_;
  Id round_key_season_ = 0;
  int round_key_slot_ = 0;
  std::string round_key_;

  VoteCallback Settled(Id clip_id, std::string voter_key, VoteCallback done);
  VoteReceipt ReceiptFor(const VoteOutcome& outcome, std::string_view voter_key);
  std::uint64_t NetworkTag(std::string_view ip) const;
};

}  // namespace aimoviez
